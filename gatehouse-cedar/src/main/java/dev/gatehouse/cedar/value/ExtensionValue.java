package dev.gatehouse.cedar.value;

/** A value of one of Cedar's extension types: {@code decimal}, {@code ipaddr}, {@code datetime}, {@code duration}. */
public sealed interface ExtensionValue extends Value permits DecimalValue, IpAddrValue, DatetimeValue, DurationValue {
}
