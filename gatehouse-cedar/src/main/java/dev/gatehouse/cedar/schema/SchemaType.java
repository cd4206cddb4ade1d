package dev.gatehouse.cedar.schema;

import dev.gatehouse.cedar.value.EntityType;
import java.util.Map;

/**
 * A type from a Cedar schema, with common-type names already replaced by their definitions. Used
 * to read JSON the way Cedar does when a schema is present: a string where a {@code decimal} is
 * expected is {@code decimal("…")}, {@code {"type": …, "id": …}} where an entity is expected is
 * that entity.
 */
public sealed interface SchemaType {
    record BoolType() implements SchemaType {}

    record LongType() implements SchemaType {}

    record StringType() implements SchemaType {}

    record EntityRef(EntityType type) implements SchemaType {}

    record SetType(SchemaType element) implements SchemaType {}

    /** A record type; Cedar record types are closed (no attributes beyond those declared). */
    record RecordType(Map<String, Attribute> attributes) implements SchemaType {
        public RecordType {
            attributes = Map.copyOf(attributes);
        }
    }

    /** {@code decimal}, {@code ipaddr}, {@code datetime} or {@code duration}. */
    record ExtensionType(String name) implements SchemaType {
        /** The one-argument constructor Cedar applies to a string of this type: {@code ip} for ipaddr. */
        public String constructor() {
            return name.equals("ipaddr") ? "ip" : name;
        }
    }

    /** An attribute of a record or entity type. */
    record Attribute(SchemaType type, boolean required) {}
}
