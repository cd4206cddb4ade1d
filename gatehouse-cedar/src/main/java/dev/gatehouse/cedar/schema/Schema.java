package dev.gatehouse.cedar.schema;

import dev.gatehouse.cedar.entities.Entity;
import dev.gatehouse.cedar.value.EntityType;
import dev.gatehouse.cedar.value.EntityUid;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a Cedar schema that change how requests and entities are read: entity types with
 * their attribute and tag types, and actions with their hierarchy and context type. Parse one with
 * {@code SchemaParser.parse(text)}. This is not a validator: policies are not type-checked
 * against it.
 */
public final class Schema {
    private final Map<EntityType, EntityTypeDefinition> entityTypes;
    private final Map<EntityUid, ActionDefinition> actions;

    private Schema(Map<EntityType, EntityTypeDefinition> entityTypes, Map<EntityUid, ActionDefinition> actions) {
        this.entityTypes = entityTypes;
        this.actions = actions;
    }

    public static Schema of(Collection<EntityTypeDefinition> entityTypes, Collection<ActionDefinition> actions) {
        Map<EntityType, EntityTypeDefinition> e = new LinkedHashMap<>();
        entityTypes.forEach(d -> e.put(d.name(), d));
        Map<EntityUid, ActionDefinition> a = new LinkedHashMap<>();
        actions.forEach(d -> a.put(d.uid(), d));
        return new Schema(Collections.unmodifiableMap(e), Collections.unmodifiableMap(a));
    }

    /** The entity type's definition, or null when the schema does not declare it. */
    public EntityTypeDefinition entityType(EntityType type) {
        return entityTypes.get(type);
    }

    /** The action's definition, or null when the schema does not declare it. */
    public ActionDefinition action(EntityUid action) {
        return actions.get(action);
    }

    public Collection<EntityTypeDefinition> entityTypes() {
        return entityTypes.values();
    }

    public Collection<ActionDefinition> actions() {
        return actions.values();
    }

    /**
     * The declared actions as entities, each with its declared parents (a store computes the rest
     * of the hierarchy). Cedar adds these to the entities of every request checked against a schema.
     */
    public List<Entity> actionEntities() {
        List<Entity> out = new ArrayList<>(actions.size());
        for (ActionDefinition a : actions.values()) {
            out.add(Entity.of(a.uid(), Map.of(), a.parents(), Map.of()));
        }
        return out;
    }
}
