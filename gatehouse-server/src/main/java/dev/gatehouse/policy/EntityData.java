package dev.gatehouse.policy;

import java.util.List;
import java.util.Map;

/**
 * One entity handed to the engine, engine-neutral. Attribute values are {@link String},
 * {@link Long}, {@link Boolean}, {@link List} (a Cedar set), {@link Map} (a record),
 * {@link Uid} (an entity reference) or {@link Extension} (a decimal, ipaddr, datetime or duration).
 */
public record EntityData(Uid uid, Map<String, Object> attrs, List<Uid> parents, Map<String, Object> tags) {
    /** An entity without tags. */
    public EntityData(Uid uid, Map<String, Object> attrs, List<Uid> parents) {
        this(uid, attrs, parents, Map.of());
    }

    /** An entity reference: fully qualified Cedar type ({@code Gatehouse::Agent}) and id. */
    public record Uid(String type, String id) {
        @Override
        public String toString() { return type + "::\"" + id.replace("\\", "\\\\").replace("\"", "\\\"") + "\""; }
    }

    /** An extension value, as Cedar writes it: {@code decimal("1.25")} is {@code new Extension("decimal", "1.25")}. */
    public record Extension(String function, String argument) {}

    public EntityData {
        attrs = attrs == null ? Map.of() : attrs;
        parents = parents == null ? List.of() : List.copyOf(parents);
        tags = tags == null ? Map.of() : tags;
    }
}
