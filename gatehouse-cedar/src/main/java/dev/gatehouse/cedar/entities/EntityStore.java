package dev.gatehouse.cedar.entities;

import dev.gatehouse.cedar.value.EntityUid;

/**
 * Where the evaluator finds entities. Implementations must be safe to read from many threads and
 * must not change while a request is being authorized (hand the authorizer a snapshot).
 *
 * <p>An entity that is absent is not an error by itself: Cedar treats it as having no attributes,
 * tags or ancestors, and only reading one of its attributes or tags fails.
 */
public interface EntityStore {
    /** The entity, or null when the store has none with that uid. */
    Entity entity(EntityUid uid);

    /** The store with no entities. */
    EntityStore EMPTY = uid -> null;
}
