package dev.gatehouse.policy;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one decision. Default deny, fail closed: an engine error is a {@link Deny}.
 * {@link Hold} means only {@code @approval(…)}-annotated forbid rules denied: a human may approve.
 */
public sealed interface Decision permits Decision.Allow, Decision.Deny, Decision.Hold {
    /** Determining policy ids. */
    List<String> policies();

    /** Id of the policy version that decided, or null when none is active. */
    String policyVersion();

    default boolean allowed() { return this instanceof Allow; }

    record Allow(List<String> policies, String policyVersion) implements Decision {}

    /**
     * @param reason short machine-readable code an agent can act on (e.g. {@code not_permitted},
     *               {@code principal_suspended}, {@code evaluation_error}); never policy text
     * @param errors engine errors (for operators and the audit log, not for agents)
     * @param annotations the annotations of the forbid rules that refused ({@code @reason("…")}: what an enforcement
     *                    point tells the agent; {@code @contract("…")}: a use-case contract rule), merged, first wins
     * @param dependsOnCall true when every rule that refused reads facts only a call has (its arguments, data, result,
     *                      session, an approval): a question asked before any call (token issuance) cannot settle it
     */
    record Deny(String reason, List<String> policies, String policyVersion, List<String> errors, Map<String, String> annotations,
                boolean dependsOnCall) implements Decision {
        public Deny {
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        }

        /** A refusal without annotations (guards, errors, nothing permitted). */
        public Deny(String reason, List<String> policies, String policyVersion, List<String> errors) {
            this(reason, policies, policyVersion, errors, Map.of(), false);
        }
    }

    /** @param approvers the {@code @approval} values of the forbid rules that held the call ({@code owner}, {@code group:<id>}, a human id) */
    record Hold(List<String> approvers, List<String> policies, String policyVersion, Map<String, String> annotations) implements Decision {}
}
