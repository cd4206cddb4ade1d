package dev.gatehouse.cedar.authz;

import java.util.Arrays;
import java.util.List;

/** Decides which policies are evaluated together. For now every policy is its own unit. */
final class PolicyGroups {
    private PolicyGroups() {
    }

    static List<Unit> form(CompiledPolicy[] policies) {
        return Arrays.asList(policies);
    }
}
