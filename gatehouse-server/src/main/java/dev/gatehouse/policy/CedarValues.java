package dev.gatehouse.policy;

import dev.gatehouse.core.Problem;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts caller-supplied JSON values (AuthZEN properties, application entity attributes,
 * application contexts) into engine values. Cedar has no floats or nulls, so those are a 400
 * naming the field rather than something silently dropped or rounded.
 */
final class CedarValues {
    private CedarValues() {}

    static Map<String, Object> record(Map<String, ?> in, String field) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (in == null) return out;
        in.forEach((k, v) -> out.put(k, value(v, field + "." + k)));
        return out;
    }

    static Object value(Object v, String field) {
        if (v instanceof String || v instanceof Boolean) return v;
        if (v instanceof Integer i) return i.longValue();
        if (v instanceof Long l) return l;
        if (v instanceof BigInteger b) {
            if (b.bitLength() < 64) return b.longValue();
            throw new Problem.Invalid("invalid_type", field, "'" + field + "' does not fit a 64-bit integer");
        }
        if (v instanceof Number) {
            throw new Problem.Invalid("invalid_type", field, "'" + field + "' must be an integer (Cedar has no fractional numbers)");
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            int n = 0;
            for (Object o : c) out.add(value(o, field + "[" + n++ + "]"));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.get("__entity") instanceof Map<?, ?> ref
                    && ref.get("type") instanceof String type && ref.get("id") instanceof String id) {
                return new EntityData.Uid(type, id);
            }
            if (m.size() == 1 && m.get("__extn") instanceof Map<?, ?> x && x.get("fn") instanceof String fn && x.get("arg") instanceof String arg) {
                if (!java.util.Set.of("decimal", "ip", "datetime", "duration").contains(fn)) {
                    throw new Problem.Invalid("invalid_type", field, "'" + field + "' names no Cedar extension function (decimal, ip, datetime, duration)");
                }
                return new EntityData.Extension(fn, arg);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, o) -> out.put(String.valueOf(k), value(o, field + "." + k)));
            return out;
        }
        if (v == null) throw new Problem.Invalid("invalid_type", field, "'" + field + "' is null; Cedar has no null, omit the key");
        throw new Problem.Invalid("invalid_type", field, "'" + field + "' has an unsupported type");
    }
}
