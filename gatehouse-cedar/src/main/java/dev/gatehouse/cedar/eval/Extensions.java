package dev.gatehouse.cedar.eval;

import dev.gatehouse.cedar.eval.EvaluationException.Kind;
import dev.gatehouse.cedar.value.BoolValue;
import dev.gatehouse.cedar.value.DatetimeValue;
import dev.gatehouse.cedar.value.DecimalValue;
import dev.gatehouse.cedar.value.DurationValue;
import dev.gatehouse.cedar.value.IpAddrValue;
import dev.gatehouse.cedar.value.LongValue;
import dev.gatehouse.cedar.value.StringValue;
import dev.gatehouse.cedar.value.Value;
import java.util.Map;

/**
 * Cedar's extension functions ({@code decimal}, {@code ip}, {@code datetime}, {@code duration}
 * and their methods), shared by the evaluator and by the JSON {@code __extn} escape.
 */
public final class Extensions {
    /** One extension function: its arity and what it computes from arguments of the right types. */
    public record ExtensionFunction(String name, int arity, java.util.function.Function<Value[], Value> body) {
        /** Applies the function; wrong arity or argument types are evaluation errors, as in Cedar. */
        public Value apply(Value[] args) {
            if (args.length != arity) {
                throw new EvaluationException(Kind.TYPE_ERROR, "wrong number of arguments in call to `" + name + "`: expected "
                        + arity + ", got " + args.length);
            }
            return body.apply(args);
        }
    }

    private static final Map<String, ExtensionFunction> FUNCTIONS = Map.ofEntries(
            fn("decimal", 1, a -> construct(() -> DecimalValue.parse(string(a[0], "decimal")))),
            fn("ip", 1, a -> construct(() -> IpAddrValue.parse(string(a[0], "ipaddr")))),
            fn("datetime", 1, a -> construct(() -> DatetimeValue.parse(string(a[0], "datetime")))),
            fn("duration", 1, a -> construct(() -> DurationValue.parse(string(a[0], "duration")))),
            fn("lessThan", 2, a -> BoolValue.of(decimal(a[0]).compareTo(decimal(a[1])) < 0)),
            fn("lessThanOrEqual", 2, a -> BoolValue.of(decimal(a[0]).compareTo(decimal(a[1])) <= 0)),
            fn("greaterThan", 2, a -> BoolValue.of(decimal(a[0]).compareTo(decimal(a[1])) > 0)),
            fn("greaterThanOrEqual", 2, a -> BoolValue.of(decimal(a[0]).compareTo(decimal(a[1])) >= 0)),
            fn("isIpv4", 1, a -> BoolValue.of(ip(a[0]).isIpv4())),
            fn("isIpv6", 1, a -> BoolValue.of(ip(a[0]).isIpv6())),
            fn("isLoopback", 1, a -> BoolValue.of(ip(a[0]).isLoopback())),
            fn("isMulticast", 1, a -> BoolValue.of(ip(a[0]).isMulticast())),
            fn("isInRange", 2, a -> BoolValue.of(ip(a[0]).isInRange(ip(a[1])))),
            fn("offset", 2, a -> overflow(datetime(a[0]).offset(duration(a[1])), "offset", a)),
            fn("durationSince", 2, a -> overflow(datetime(a[0]).durationSince(datetime(a[1])), "durationSince", a)),
            fn("toDate", 1, a -> overflow(datetime(a[0]).toDate(), "toDate", a)),
            fn("toTime", 1, a -> datetime(a[0]).toTime()),
            fn("toMilliseconds", 1, a -> LongValue.of(duration(a[0]).millis())),
            fn("toSeconds", 1, a -> LongValue.of(duration(a[0]).toSeconds())),
            fn("toMinutes", 1, a -> LongValue.of(duration(a[0]).toMinutes())),
            fn("toHours", 1, a -> LongValue.of(duration(a[0]).toHours())),
            fn("toDays", 1, a -> LongValue.of(duration(a[0]).toDays())));

    private Extensions() {
    }

    private static Map.Entry<String, ExtensionFunction> fn(String name, int arity, java.util.function.Function<Value[], Value> body) {
        return Map.entry(name, new ExtensionFunction(name, arity, body));
    }

    /** The function of that name, or null when Cedar has none. */
    public static ExtensionFunction function(String name) {
        return FUNCTIONS.get(name);
    }

    /**
     * Calls a function by name (for the JSON {@code __extn} escape).
     *
     * @throws EvaluationException for an unknown function, wrong arguments or an invalid literal
     */
    public static Value call(String name, Value... args) {
        ExtensionFunction f = FUNCTIONS.get(name);
        if (f == null) {
            throw new EvaluationException(Kind.EXTENSION_ERROR, "`" + name + "` is not an extension function");
        }
        return f.apply(args);
    }

    private static Value construct(java.util.function.Supplier<Value> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new EvaluationException(Kind.EXTENSION_ERROR, e.getMessage());
        }
    }

    private static Value overflow(Value result, String name, Value[] args) {
        if (result == null) {
            StringBuilder b = new StringBuilder("overflow in `").append(name).append("` of ");
            for (int i = 0; i < args.length; i++) {
                b.append(i == 0 ? "" : ", ").append(args[i].toCedar());
            }
            throw new EvaluationException(Kind.EXTENSION_ERROR, b.toString());
        }
        return result;
    }

    private static String string(Value v, String type) {
        if (v instanceof StringValue s) {
            return s.value();
        }
        throw EvaluationException.typeError("string (the text of a " + type + ")", v);
    }

    private static DecimalValue decimal(Value v) {
        if (v instanceof DecimalValue d) {
            return d;
        }
        throw EvaluationException.typeError("decimal" + (v instanceof StringValue ? " (maybe you forgot to apply the `decimal` constructor?)" : ""), v);
    }

    private static IpAddrValue ip(Value v) {
        if (v instanceof IpAddrValue d) {
            return d;
        }
        throw EvaluationException.typeError("ipaddr" + (v instanceof StringValue ? " (maybe you forgot to apply the `ip` constructor?)" : ""), v);
    }

    private static DatetimeValue datetime(Value v) {
        if (v instanceof DatetimeValue d) {
            return d;
        }
        throw EvaluationException.typeError("datetime" + (v instanceof StringValue ? " (maybe you forgot to apply the `datetime` constructor?)" : ""), v);
    }

    private static DurationValue duration(Value v) {
        if (v instanceof DurationValue d) {
            return d;
        }
        throw EvaluationException.typeError("duration" + (v instanceof StringValue ? " (maybe you forgot to apply the `duration` constructor?)" : ""), v);
    }
}
