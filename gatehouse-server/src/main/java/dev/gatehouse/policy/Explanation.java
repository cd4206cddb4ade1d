package dev.gatehouse.policy;

import java.util.List;
import java.util.Map;

/**
 * A decision with what an operator needs to understand it: the determining policies (id, file
 * and line, annotations; never their text), engine errors, the version that decided, how long
 * evaluation took and, when a candidate runs in shadow, what it would have decided.
 */
public record Explanation(Decision decision, List<DeterminingPolicy> determining, List<String> errors,
                          String policyVersion, long evaluationMicros, ShadowOutcome shadow) {
    public record DeterminingPolicy(String id, String origin, Map<String, String> annotations) {}

    /** @param agrees false when the candidate's outcome (allow / deny / hold) differs from the active one */
    public record ShadowOutcome(String version, String outcome, List<String> policies, boolean agrees) {}

    public String outcome() { return outcomeOf(decision); }

    public static String outcomeOf(Decision d) {
        if (d instanceof Decision.Allow) return "allow";
        if (d instanceof Decision.Hold) return "hold";
        return "deny";
    }
}
