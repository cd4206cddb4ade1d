package dev.gatehouse.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The type policies see the arguments of a call as: {@code context.input}, a record with an optional
 * attribute for every argument a registered tool (or prompt) declares in its input schema — one type
 * for all of them, since Cedar types context per action, not per resource. JSON Schema types map to
 * Cedar's: {@code string} → String, {@code integer} → Long, {@code number} → decimal, {@code boolean} →
 * Bool, arrays of those → Set, objects → records (to a bounded depth). An argument two tools declare
 * with different types is left out (a policy could not be checked against both).
 *
 * <p>Values are converted to this type ({@link #convert}); what does not fit — an argument no schema
 * declares, a value of another type, a very long string, a deep or large structure, a decimal Cedar
 * cannot represent — is left out and {@code context.inputTruncated} is true.
 */
public final class InputType {
    static final int MAX_DEPTH = 4;
    static final int MAX_STRING = 4096;
    static final int MAX_SET = 256;
    /** Attribute names a schema may carry: anything printable but quotes and backslashes (which would need escaping). */
    private static final Pattern NAME = Pattern.compile("[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,128}");
    /** Cedar decimals: at most 4 fractional digits, within a signed 64-bit count of ten-thousandths. */
    private static final BigDecimal DECIMAL_MAX = new BigDecimal("922337203685477.5807");
    private static final BigDecimal DECIMAL_MIN = new BigDecimal("-922337203685477.5808");

    sealed interface Type permits Primitive, SetOf, Rec {}

    enum Primitive implements Type {
        STRING("String"), LONG("Long"), DECIMAL("decimal"), BOOL("Bool");

        final String cedar;

        Primitive(String cedar) { this.cedar = cedar; }
    }

    record SetOf(Primitive element) implements Type {}

    record Rec(Map<String, Type> attributes) implements Type {}

    /** What a call's arguments became: the values that fit, and whether anything was left out. */
    public record Converted(Map<String, Object> values, boolean truncated) {}

    public static final InputType EMPTY = new InputType(new Rec(Map.of()));

    private final Rec root;

    private InputType(Rec root) { this.root = root; }

    /** The type of every argument the given input schemas declare (JSON Schema objects; others are ignored). */
    public static InputType of(Collection<JsonNode> schemas) {
        Rec merged = new Rec(new TreeMap<>());
        for (JsonNode schema : schemas) {
            if (type(schema, 0) instanceof Rec r) merged = merge(merged, r);
        }
        return new InputType(merged);
    }

    /** The record type in Cedar schema syntax, attributes optional: {@code {"amount"?: Long, …}}. */
    public String cedar() { return cedar(root); }

    private static Type type(JsonNode schema, int depth) {
        if (schema == null || !schema.isObject()) return null;
        String t = primaryType(schema.get("type"));
        if (t == null) return schema.has("properties") && depth < MAX_DEPTH ? record(schema, depth) : null;
        return switch (t) {
            case "string" -> Primitive.STRING;
            case "integer" -> Primitive.LONG;
            case "number" -> Primitive.DECIMAL;
            case "boolean" -> Primitive.BOOL;
            case "array" -> type(schema.get("items"), depth + 1) instanceof Primitive p ? new SetOf(p) : null;
            case "object" -> depth < MAX_DEPTH ? record(schema, depth) : null;
            default -> null;
        };
    }

    /** The one JSON type a schema allows ({@code ["string", "null"]} counts as string: Cedar has no null), else null. */
    private static String primaryType(JsonNode type) {
        if (type == null) return null;
        if (type.isTextual()) return type.textValue();
        if (type.isArray()) {
            String found = null;
            for (JsonNode t : type) {
                if (t.asText().equals("null")) continue;
                if (found != null) return null;
                found = t.asText();
            }
            return found;
        }
        return null;
    }

    private static Rec record(JsonNode schema, int depth) {
        Map<String, Type> attributes = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            if (!NAME.matcher(p.getKey()).matches()) continue;
            Type t = type(p.getValue(), depth + 1);
            if (t != null) attributes.put(p.getKey(), t);
        }
        return new Rec(attributes);
    }

    /** Both records' attributes; one declared twice with different types is dropped. */
    private static Rec merge(Rec a, Rec b) {
        Map<String, Type> out = new TreeMap<>(a.attributes());
        for (Map.Entry<String, Type> e : b.attributes().entrySet()) {
            Type mine = out.get(e.getKey());
            if (mine == null) {
                if (!out.containsKey(e.getKey())) out.put(e.getKey(), e.getValue());
            } else if (mine instanceof Rec ra && e.getValue() instanceof Rec rb) {
                out.put(e.getKey(), merge(ra, rb));
            } else if (!mine.equals(e.getValue())) {
                out.put(e.getKey(), null); // a conflict: remembered as null so a third schema cannot bring it back
            }
        }
        return new Rec(out);
    }

    private static String cedar(Type t) {
        if (t instanceof Primitive p) return p.cedar;
        if (t instanceof SetOf s) return "Set<" + s.element().cedar + ">";
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Type> a : ((Rec) t).attributes().entrySet()) {
            if (a.getValue() == null) continue;
            if (out.length() > 1) out.append(", ");
            out.append('"').append(a.getKey()).append("\"?: ").append(cedar(a.getValue()));
        }
        return out.append('}').toString();
    }

    // --- values

    /** Converts a call's arguments (a JSON object) to this type. */
    public Converted convert(JsonNode arguments) {
        boolean[] truncated = {false};
        Map<String, Object> values = arguments != null && arguments.isObject() ? record(root, arguments, truncated) : Map.of();
        if (arguments != null && !arguments.isObject() && !arguments.isNull() && !arguments.isMissingNode()) truncated[0] = true;
        return new Converted(values, truncated[0]);
    }

    private static Map<String, Object> record(Rec type, JsonNode object, boolean[] truncated) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Type t = type.attributes().get(field.getKey());
            Object v = t == null ? null : value(t, field.getValue(), truncated);
            if (v == null) truncated[0] = true;
            else out.put(field.getKey(), v);
        }
        return out;
    }

    /** The value as {@code type}, or null when it does not fit. */
    private static Object value(Type type, JsonNode v, boolean[] truncated) {
        if (type instanceof Rec r) return v.isObject() ? record(r, v, truncated) : null;
        if (type instanceof SetOf s) {
            if (!v.isArray() || v.size() > MAX_SET) return null;
            List<Object> out = new ArrayList<>();
            for (JsonNode e : v) {
                Object x = value(s.element(), e, truncated);
                if (x == null) return null;
                out.add(x);
            }
            return out;
        }
        return switch ((Primitive) type) {
            case STRING -> v.isTextual() && v.textValue().length() <= MAX_STRING ? v.textValue() : null;
            case BOOL -> v.isBoolean() ? v.booleanValue() : null;
            case LONG -> v.isIntegralNumber() && v.bigIntegerValue().bitLength() < 64 ? v.longValue() : null;
            case DECIMAL -> v.isNumber() ? decimal(v.isIntegralNumber() ? new BigDecimal(v.bigIntegerValue()) : v.decimalValue()) : null;
        };
    }

    /** A Cedar decimal for the number, or null when Cedar cannot represent it exactly. */
    static EntityData.Extension decimal(BigDecimal n) {
        BigDecimal d = n.stripTrailingZeros();
        if (d.scale() > 4 || d.compareTo(DECIMAL_MAX) > 0 || d.compareTo(DECIMAL_MIN) < 0) return null;
        String text = d.scale() <= 0 ? new BigDecimal(d.toBigIntegerExact()).toPlainString() + ".0" : d.toPlainString();
        return new EntityData.Extension("decimal", text);
    }
}
