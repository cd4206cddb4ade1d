package dev.gatehouse.cedar.value;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;

/** A Cedar record: named attributes, compared by their names and values. Immutable. */
public final class RecordValue implements Value {
    public static final RecordValue EMPTY = new RecordValue(Collections.emptyMap());

    private final Map<String, Value> attributes;
    private int hash;

    private RecordValue(Map<String, Value> attributes) {
        this.attributes = attributes;
    }

    public static RecordValue of(Map<String, ? extends Value> attributes) {
        if (attributes.isEmpty()) {
            return EMPTY;
        }
        HashMap<String, Value> copy = new HashMap<>(attributes.size() * 2);
        attributes.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "attribute name"), Objects.requireNonNull(v, k)));
        return new RecordValue(Collections.unmodifiableMap(copy));
    }

    /** The attribute, or null when the record has none of that name. */
    public Value get(String attribute) {
        return attributes.get(attribute);
    }

    public boolean has(String attribute) {
        return attributes.containsKey(attribute);
    }

    /** The attributes, unmodifiable. */
    public Map<String, Value> attributes() {
        return attributes;
    }

    public int size() {
        return attributes.size();
    }

    @Override
    public String typeName() {
        return "record";
    }

    @Override
    public String toCedar() {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        new TreeMap<>(attributes).forEach((k, v) -> j.add(StringValue.quote(k) + ": " + v.toCedar()));
        return j.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof RecordValue r && r.hashCode() == hashCode() && attributes.equals(r.attributes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = attributes.hashCode() ^ 0x7ec;
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return toCedar();
    }
}
