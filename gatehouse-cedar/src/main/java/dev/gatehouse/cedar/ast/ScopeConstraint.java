package dev.gatehouse.cedar.ast;

import dev.gatehouse.cedar.value.EntityType;
import dev.gatehouse.cedar.value.EntityUid;

/** The principal or resource part of a policy scope. */
public sealed interface ScopeConstraint {
    /** {@code principal}: any entity. */
    record Any() implements ScopeConstraint {}

    /** {@code principal == User::"alice"}. */
    record Eq(EntityUid entity) implements ScopeConstraint {}

    /** {@code principal in Group::"admins"}: the entity itself or any descendant of it. */
    record In(EntityUid entity) implements ScopeConstraint {}

    /** {@code principal is User}. */
    record Is(EntityType type) implements ScopeConstraint {}

    /** {@code principal is User in Group::"admins"}. */
    record IsIn(EntityType type, EntityUid entity) implements ScopeConstraint {}

    /** The unconstrained principal or resource scope. */
    ScopeConstraint ANY = new Any();
}
