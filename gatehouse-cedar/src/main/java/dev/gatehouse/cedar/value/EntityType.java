package dev.gatehouse.cedar.value;

import java.util.Objects;

/**
 * A Cedar entity type name, fully qualified: {@code User}, {@code Gatehouse::Agent}. Action types are
 * the ones whose last component is {@code Action} ({@code Action}, {@code Gatehouse::Action}).
 */
public record EntityType(String name) {
    public EntityType {
        Objects.requireNonNull(name, "name");
    }

    public static EntityType of(String name) {
        return new EntityType(name);
    }

    /** The last path component: {@code Agent} for {@code Gatehouse::Agent}. */
    public String basename() {
        int i = name.lastIndexOf("::");
        return i < 0 ? name : name.substring(i + 2);
    }

    /** True for the types Cedar reserves for actions (last component {@code Action}). */
    public boolean isAction() {
        return name.equals("Action") || name.endsWith("::Action");
    }

    /** The entity with this type and the given id. */
    public EntityUid uid(String id) {
        return new EntityUid(this, id);
    }

    @Override
    public String toString() {
        return name;
    }
}
