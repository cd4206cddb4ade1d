package dev.gatehouse.cedar.entities;

import dev.gatehouse.cedar.value.EntityUid;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An immutable in-memory {@link EntityStore}. Building it computes every entity's ancestors once
 * (the transitive closure of the parent relation), so {@code in} is a set lookup at evaluation
 * time. Parents that are not themselves in the store still count as ancestors. Cycles in the
 * parent relation are tolerated: every entity on a cycle is an ancestor of the others.
 */
public final class Entities implements EntityStore {
    /** The store without entities. */
    public static final Entities EMPTY = new Entities(Collections.emptyMap());

    private final Map<EntityUid, Entity> byUid;

    private Entities(Map<EntityUid, Entity> byUid) {
        this.byUid = byUid;
    }

    /**
     * A store of these entities.
     *
     * @throws IllegalArgumentException when two entities have the same uid
     */
    public static Entities of(Collection<Entity> entities) {
        Builder b = builder();
        entities.forEach(b::add);
        return b.build();
    }

    /** A builder to add entities to, one by one. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Entity entity(EntityUid uid) {
        return byUid.get(uid);
    }

    /** The number of entities. */
    public int size() {
        return byUid.size();
    }

    /** Every entity, with its computed ancestors. */
    public Collection<Entity> all() {
        return Collections.unmodifiableCollection(byUid.values());
    }

    /** Collects entities, then computes ancestors once in {@link #build()}. */
    public static final class Builder {
        private final Map<EntityUid, Entity> entities = new LinkedHashMap<>();

        private Builder() {
        }

        /** Adds an entity; a second entity with the same uid is an error. */
        public Builder add(Entity e) {
            if (entities.putIfAbsent(e.uid(), e) != null) {
                throw new IllegalArgumentException("duplicate entity " + e.uid());
            }
            return this;
        }

        /** Adds an entity, replacing one with the same uid. */
        public Builder put(Entity e) {
            entities.put(e.uid(), e);
            return this;
        }

        /** Whether an entity with this uid was added. */
        public boolean contains(EntityUid uid) {
            return entities.containsKey(uid);
        }

        /** The store, with every entity's ancestors computed. */
        public Entities build() {
            Map<EntityUid, Set<EntityUid>> closures = new HashMap<>(entities.size() * 2);
            Map<EntityUid, Entity> out = new HashMap<>(entities.size() * 2);
            for (Entity e : entities.values()) {
                Set<EntityUid> closure = closure(e, closures);
                out.put(e.uid(), e.withClosure(closure));
            }
            return new Entities(Collections.unmodifiableMap(out));
        }

        /**
         * Breadth-first walk up the parents; an entity whose closure is already known contributes
         * it whole instead of being walked again.
         */
        private Set<EntityUid> closure(Entity start, Map<EntityUid, Set<EntityUid>> done) {
            if (start.parents().isEmpty()) {
                done.put(start.uid(), Collections.emptySet());
                return Collections.emptySet();
            }
            Set<EntityUid> result = new HashSet<>();
            ArrayDeque<EntityUid> queue = new ArrayDeque<>(start.parents());
            while (!queue.isEmpty()) {
                EntityUid u = queue.poll();
                if (!result.add(u)) {
                    continue;
                }
                Set<EntityUid> known = done.get(u);
                if (known != null) {
                    result.addAll(known);
                    continue;
                }
                Entity e = entities.get(u);
                if (e != null) {
                    queue.addAll(e.parents());
                }
            }
            Set<EntityUid> frozen = Collections.unmodifiableSet(result);
            done.put(start.uid(), frozen);
            return frozen;
        }
    }
}
