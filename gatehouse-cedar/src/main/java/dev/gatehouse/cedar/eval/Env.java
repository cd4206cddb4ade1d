package dev.gatehouse.cedar.eval;

import dev.gatehouse.cedar.entities.Entity;
import dev.gatehouse.cedar.entities.EntityStore;
import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.RecordValue;

/**
 * What one evaluation sees: the request's four variables and the entity store. Remembers the
 * principal's and resource's entities, which nearly every policy reads. One per request, one thread.
 */
public final class Env {
    final EntityUid principal;
    final EntityUid action;
    final EntityUid resource;
    final RecordValue context;
    final EntityStore store;
    private Entity principalEntity;
    private Entity resourceEntity;
    private boolean principalLooked;
    private boolean resourceLooked;

    public Env(EntityUid principal, EntityUid action, EntityUid resource, RecordValue context, EntityStore store) {
        this.principal = principal;
        this.action = action;
        this.resource = resource;
        this.context = context;
        this.store = store;
    }

    public EntityUid principal() {
        return principal;
    }

    public EntityUid action() {
        return action;
    }

    public EntityUid resource() {
        return resource;
    }

    public RecordValue context() {
        return context;
    }

    public EntityStore store() {
        return store;
    }

    /** The entity, or null when the store has none; the principal and resource are looked up once. */
    public Entity entity(EntityUid uid) {
        if (uid == principal) {
            if (!principalLooked) {
                principalEntity = store.entity(uid);
                principalLooked = true;
            }
            return principalEntity;
        }
        if (uid == resource) {
            if (!resourceLooked) {
                resourceEntity = store.entity(uid);
                resourceLooked = true;
            }
            return resourceEntity;
        }
        return store.entity(uid);
    }

    /** {@code child in ancestor}: the same entity, or an ancestor of it in the store. */
    public boolean isIn(EntityUid child, EntityUid ancestor) {
        if (child.equals(ancestor)) {
            return true;
        }
        Entity e = entity(child);
        return e != null && e.isDescendantOf(ancestor);
    }
}
