package dev.gatehouse.cedar.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExtensionValuesTest {

    @Test
    void decimalsHaveFourDigitsAndNeverRound() {
        assertThat(DecimalValue.parse("1.2345").unscaled()).isEqualTo(12345);
        assertThat(DecimalValue.parse("-0.5").unscaled()).isEqualTo(-5000);
        assertThat(DecimalValue.parse("007.1").unscaled()).isEqualTo(71000);
        assertThat(DecimalValue.parse("922337203685477.5807").unscaled()).isEqualTo(Long.MAX_VALUE);
        assertThat(DecimalValue.parse("-922337203685477.5808").unscaled()).isEqualTo(Long.MIN_VALUE);
        assertThat(DecimalValue.parse("-1.5").text()).isEqualTo("-1.5000");
        for (String bad : new String[] {"1", "1.", ".5", "+1.0", "1.23456", "1.0e3", "1_0.0", "١.٥", "922337203685477.5808", " 1.0", "-.5", "--1.0"}) {
            assertThatThrownBy(() -> DecimalValue.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void ipAddressesFollowTheReferenceParser() {
        assertThat(IpAddrValue.parse("1.2.3.4").prefix()).isEqualTo(32);
        assertThat(IpAddrValue.parse("1.2.3.4")).isEqualTo(IpAddrValue.parse("1.2.3.4/32"));
        assertThat(IpAddrValue.parse("::")).isEqualTo(IpAddrValue.parse("0:0:0:0:0:0:0:0"));
        assertThat(IpAddrValue.parse("1:2:3:4:5:6:7::").low() & 0xffff).isZero();
        assertThat(IpAddrValue.parse("10.0.0.1/8")).isNotEqualTo(IpAddrValue.parse("10.0.0.0/8"));
        assertThat(IpAddrValue.parse("::1").text()).isEqualTo("0:0:0:0:0:0:0:1/128");
        for (String bad : new String[] {"01.2.3.4", "1.2.3.4/01", "1.2.3.4/", "1.2.3.4/33", "1.2.3", "256.1.1.1", "1::2::3",
                "1:2:3:4:5:6:7:8::", "::1/129", "fe80::1%eth0", "::ffff:1.2.3.4", "12345::", "g::1", "1.2.3.4 ", "0000:0000:0000:0000:0000:0000:0000:0000/0128"}) {
            assertThatThrownBy(() -> IpAddrValue.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void rangesLoopbackAndMulticast() {
        IpAddrValue any4 = IpAddrValue.parse("0.0.0.0/0");
        assertThat(IpAddrValue.parse("203.0.113.9").isInRange(any4)).isTrue();
        assertThat(IpAddrValue.parse("::1").isInRange(any4)).isFalse();
        assertThat(IpAddrValue.parse("2001:db8::1").isInRange(IpAddrValue.parse("2001:db8::/32"))).isTrue();
        assertThat(IpAddrValue.parse("2001:db8::/31").isInRange(IpAddrValue.parse("2001:db8::/32"))).isFalse();
        assertThat(IpAddrValue.parse("::/0").isInRange(IpAddrValue.parse("::/0"))).isTrue();
        assertThat(IpAddrValue.parse("127.255.0.1").isLoopback()).isTrue();
        assertThat(IpAddrValue.parse("::1/127").isLoopback()).isFalse();
        assertThat(IpAddrValue.parse("239.1.1.1/4").isMulticast()).isTrue();
        assertThat(IpAddrValue.parse("224.0.0.0/3").isMulticast()).isFalse();
    }

    @Test
    void datetimesAcceptTheFiveFormsAndNormaliseOffsets() {
        assertThat(DatetimeValue.parse("1970-01-01").epochMillis()).isZero();
        assertThat(DatetimeValue.parse("1970-01-01T00:00:01.250Z").epochMillis()).isEqualTo(1250);
        assertThat(DatetimeValue.parse("1970-01-01T01:00:00+0100").epochMillis()).isZero();
        assertThat(DatetimeValue.parse("1970-01-01T00:00:00-2359").epochMillis()).isEqualTo((23 * 60 + 59) * 60_000L);
        assertThat(DatetimeValue.parse("2024-02-29").epochMillis()).isPositive();
        assertThat(DatetimeValue.parse("0000-01-01").epochMillis()).isEqualTo(-62167219200000L);
        assertThat(DatetimeValue.parse("1969-12-31T12:00:00Z").toDate().epochMillis()).isEqualTo(-86_400_000L);
        assertThat(DatetimeValue.parse("1969-12-31T12:00:00Z").toTime().millis()).isEqualTo(43_200_000L);
        for (String bad : new String[] {"2023-02-29", "2024-13-01", "2024-01-01T24:00:00Z", "2024-01-01T00:00:60Z", "2024-01-01T00:00:00",
                "2024-01-01T00:00:00+2400", "2024-01-01T00:00:00+0060", "2024-01-01T00:00:00.12Z", "2024-1-01", "2024-01-01Z", "10000-01-01", "2024-01-01T00:00Z"}) {
            assertThatThrownBy(() -> DatetimeValue.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void durationsAreOrderedUnitsThatMustFitSixtyFourBits() {
        assertThat(DurationValue.parse("1d2h3m4s5ms").millis()).isEqualTo(93_784_005L);
        assertThat(DurationValue.parse("-1h").millis()).isEqualTo(-3_600_000L);
        assertThat(DurationValue.parse("2m3ms").millis()).isEqualTo(120_003L);
        assertThat(DurationValue.parse("9223372036854775807ms").millis()).isEqualTo(Long.MAX_VALUE);
        assertThat(DurationValue.parse("-9223372036854775808ms").millis()).isEqualTo(Long.MIN_VALUE);
        assertThat(DurationValue.parse("106751991167d").millis()).isEqualTo(9_223_372_036_828_800_000L);
        assertThat(DurationValue.parse("-26h").toDays()).isEqualTo(-1);
        for (String bad : new String[] {"", "-", "1m1h", "1h1h", "1", "h", "1.5h", "1 h", "+1h", "9223372036854775808ms", "106751991168d", "-1d-1h", "1ms1s"}) {
            assertThatThrownBy(() -> DurationValue.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
