package dev.gatehouse.cedar.value;

import java.util.Collection;
import java.util.Map;

/**
 * A Cedar value: the result of evaluating an expression, an entity attribute or a context entry.
 *
 * <p>Equality is Cedar's: structural for sets and records (a set equals another set with the same
 * elements in any order, duplicates ignored), by value for extension values ({@code decimal("1.0")}
 * equals {@code decimal("1.0000")}), and never across types ({@code 1} is not {@code decimal("1.0")}).
 */
public sealed interface Value
        permits BoolValue, LongValue, StringValue, EntityUid, SetValue, RecordValue, ExtensionValue {

    /** The Cedar type name used in error messages: {@code bool}, {@code long}, {@code string}, {@code entity}, … */
    String typeName();

    /** Cedar literal syntax, e.g. {@code "a\"b"}, {@code User::"alice"}, {@code [1, 2]}, {@code decimal("1.5000")}. */
    String toCedar();

    /** A boolean. */
    static BoolValue of(boolean b) {
        return BoolValue.of(b);
    }

    /** A long. */
    static LongValue of(long l) {
        return LongValue.of(l);
    }

    /** A string. */
    static StringValue of(String s) {
        return new StringValue(s);
    }

    /** A set of these elements (duplicates collapse). */
    static SetValue setOf(Value... elements) {
        return SetValue.of(elements);
    }

    /** A set of these elements (duplicates collapse). */
    static SetValue setOf(Collection<? extends Value> elements) {
        return SetValue.of(elements);
    }

    /** A record with these attributes. */
    static RecordValue record(Map<String, ? extends Value> attributes) {
        return RecordValue.of(attributes);
    }
}
