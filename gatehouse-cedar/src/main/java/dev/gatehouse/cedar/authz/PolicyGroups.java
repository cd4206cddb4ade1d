package dev.gatehouse.cedar.authz;

import dev.gatehouse.cedar.ast.Condition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which policies are evaluated together: those with the same effect, the same scope and
 * conditions of the same shape (see {@link PolicyGroup}). Every other policy is its own unit.
 */
final class PolicyGroups {
    private PolicyGroups() {
    }

    /** What must be equal for two policies to share a group. */
    private record Key(boolean forbid, Object principal, Object action, Object resource, List<String> conditions) {
    }

    static List<Unit> form(CompiledPolicy[] policies) {
        Map<Key, List<CompiledPolicy>> groups = new LinkedHashMap<>();
        List<Unit> units = new ArrayList<>();
        for (CompiledPolicy p : policies) {
            if (p.policy.conditions().isEmpty()) {
                units.add(p);
                continue;
            }
            List<String> shape = new ArrayList<>();
            for (Condition c : p.policy.conditions()) {
                shape.add((c.when() ? "when " : "unless ") + Shapes.shape(c.body()));
            }
            groups.computeIfAbsent(new Key(p.forbid, p.principal, p.action, p.resource, shape), k -> new ArrayList<>()).add(p);
        }
        for (List<CompiledPolicy> g : groups.values()) {
            units.add(g.size() == 1 ? g.get(0) : new PolicyGroup(g));
        }
        return units;
    }
}
