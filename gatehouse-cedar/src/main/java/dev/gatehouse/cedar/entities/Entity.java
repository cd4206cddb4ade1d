package dev.gatehouse.cedar.entities;

import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An entity: its uid, attributes, tags, direct parents and — once placed in a store — all its
 * ancestors (parents, their parents, …), which is what {@code in} consults. Immutable.
 */
public final class Entity {
    private final EntityUid uid;
    private final Map<String, Value> attributes;
    private final Map<String, Value> tags;
    private final Set<EntityUid> parents;
    private final Set<EntityUid> ancestors;

    private Entity(EntityUid uid, Map<String, Value> attributes, Map<String, Value> tags, Set<EntityUid> parents, Set<EntityUid> ancestors) {
        this.uid = uid;
        this.attributes = attributes;
        this.tags = tags;
        this.parents = parents;
        this.ancestors = ancestors;
    }

    /**
     * An entity whose ancestors are only its direct parents. {@link Entities} replaces them with the
     * transitive closure when the entity is added to a store.
     */
    public static Entity of(EntityUid uid, Map<String, ? extends Value> attributes, Collection<EntityUid> parents, Map<String, ? extends Value> tags) {
        Set<EntityUid> p = Collections.unmodifiableSet(new LinkedHashSet<>(parents));
        return new Entity(Objects.requireNonNull(uid, "uid"), copy(attributes), copy(tags), p, p);
    }

    /**
     * An entity with an explicit, already transitive, ancestor set: for stores that maintain the
     * closure themselves. {@code ancestors} must contain every ancestor, not only the parents.
     */
    public static Entity withAncestors(EntityUid uid, Map<String, ? extends Value> attributes, Collection<EntityUid> parents,
                                       Map<String, ? extends Value> tags, Set<EntityUid> ancestors) {
        return new Entity(Objects.requireNonNull(uid, "uid"), copy(attributes), copy(tags),
                Collections.unmodifiableSet(new LinkedHashSet<>(parents)), Set.copyOf(ancestors));
    }

    public static Builder builder(EntityUid uid) {
        return new Builder(uid);
    }

    private static Map<String, Value> copy(Map<String, ? extends Value> m) {
        if (m == null || m.isEmpty()) {
            return Collections.emptyMap();
        }
        HashMap<String, Value> copy = new HashMap<>(m.size() * 2);
        m.forEach((k, v) -> copy.put(Objects.requireNonNull(k), Objects.requireNonNull(v, k)));
        return Collections.unmodifiableMap(copy);
    }

    Entity withClosure(Set<EntityUid> closure) {
        return new Entity(uid, attributes, tags, parents, closure);
    }

    public EntityUid uid() {
        return uid;
    }

    /** The attribute's value, or null when the entity has no such attribute. */
    public Value attribute(String name) {
        return attributes.get(name);
    }

    public Map<String, Value> attributes() {
        return attributes;
    }

    /** The tag's value, or null when the entity has no such tag. */
    public Value tag(String name) {
        return tags.get(name);
    }

    public Map<String, Value> tags() {
        return tags;
    }

    /** Direct parents, as given. */
    public Set<EntityUid> parents() {
        return parents;
    }

    /** Every ancestor: parents, their parents, and so on. */
    public Set<EntityUid> ancestors() {
        return ancestors;
    }

    /** True when {@code other} is an ancestor of this entity (not when it is this entity). */
    public boolean isDescendantOf(EntityUid other) {
        return ancestors.contains(other);
    }

    @Override
    public String toString() {
        return "Entity[" + uid + ", attrs=" + attributes.keySet() + ", parents=" + parents + "]";
    }

    /** Builds one entity without JSON: {@code Entity.builder(uid).attribute("owner", ownerUid).parent(group).build()}. */
    public static final class Builder {
        private final EntityUid uid;
        private final Map<String, Value> attributes = new HashMap<>();
        private final Map<String, Value> tags = new HashMap<>();
        private final List<EntityUid> parents = new ArrayList<>();

        private Builder(EntityUid uid) {
            this.uid = Objects.requireNonNull(uid, "uid");
        }

        public Builder attribute(String name, Value value) {
            attributes.put(name, value);
            return this;
        }

        public Builder attribute(String name, String value) {
            return attribute(name, Value.of(value));
        }

        public Builder attribute(String name, long value) {
            return attribute(name, Value.of(value));
        }

        public Builder attribute(String name, boolean value) {
            return attribute(name, Value.of(value));
        }

        public Builder tag(String name, Value value) {
            tags.put(name, value);
            return this;
        }

        public Builder parent(EntityUid parent) {
            parents.add(parent);
            return this;
        }

        public Builder parents(Collection<EntityUid> more) {
            parents.addAll(more);
            return this;
        }

        public Entity build() {
            return Entity.of(uid, attributes, parents, tags);
        }
    }

    static Set<EntityUid> newSet() {
        return new HashSet<>();
    }
}
