package dev.gatehouse.cedar.value;

import java.util.Objects;

/** A reference to an entity: its type and id, written {@code Gatehouse::Agent::"agent-7"} in Cedar. */
public record EntityUid(EntityType type, String id) implements Value {
    public EntityUid {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    public static EntityUid of(String type, String id) {
        return new EntityUid(new EntityType(type), id);
    }

    @Override
    public String typeName() {
        return "entity";
    }

    @Override
    public String toCedar() {
        return type.name() + "::" + StringValue.quote(id);
    }

    @Override
    public String toString() {
        return toCedar();
    }
}
