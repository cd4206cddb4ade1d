package dev.gatehouse.cedar.schema;

import dev.gatehouse.cedar.value.EntityType;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An entity type declared in a schema.
 *
 * @param memberOf   the types its entities may have as parents
 * @param attributes its attributes' types
 * @param tags       the type of its tags, or null when it has none
 * @param enumIds    for an enumerated type ({@code entity Color enum ["red", "green"]}), its ids; else empty
 */
public record EntityTypeDefinition(EntityType name, Set<EntityType> memberOf, Map<String, SchemaType.Attribute> attributes,
                                   SchemaType tags, List<String> enumIds) {
    public EntityTypeDefinition {
        memberOf = Set.copyOf(memberOf);
        attributes = Map.copyOf(attributes);
        enumIds = List.copyOf(enumIds);
    }
}
