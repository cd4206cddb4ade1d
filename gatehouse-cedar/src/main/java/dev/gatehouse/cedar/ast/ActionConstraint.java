package dev.gatehouse.cedar.ast;

import dev.gatehouse.cedar.value.EntityUid;
import java.util.List;

/** The action part of a policy scope. */
public sealed interface ActionConstraint {
    /** {@code action}: any action. */
    record Any() implements ActionConstraint {}

    /** {@code action == Action::"read"}. */
    record Eq(EntityUid action) implements ActionConstraint {}

    /** {@code action in Action::"readOnly"} or {@code action in [Action::"a", Action::"b"]}. */
    record In(List<EntityUid> actions) implements ActionConstraint {
        /** Keeps an unmodifiable copy of the list. */
        public In {
            actions = List.copyOf(actions);
        }
    }

    /** The unconstrained action scope. */
    ActionConstraint ANY = new Any();
}
