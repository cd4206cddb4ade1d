package dev.gatehouse.cedar.schema;

import dev.gatehouse.cedar.value.EntityType;
import dev.gatehouse.cedar.value.EntityUid;
import java.util.List;
import java.util.Set;

/**
 * An action declared in a schema.
 *
 * @param parents        the action groups it is declared {@code in}
 * @param principalTypes the principal types it applies to (empty: none)
 * @param resourceTypes  the resource types it applies to (empty: none)
 * @param context        the type of its context
 */
public record ActionDefinition(EntityUid uid, List<EntityUid> parents, Set<EntityType> principalTypes,
                               Set<EntityType> resourceTypes, SchemaType.RecordType context) {
    /** Keeps unmodifiable copies of the collections. */
    public ActionDefinition {
        parents = List.copyOf(parents);
        principalTypes = Set.copyOf(principalTypes);
        resourceTypes = Set.copyOf(resourceTypes);
    }
}
