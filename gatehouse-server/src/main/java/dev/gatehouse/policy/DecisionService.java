package dev.gatehouse.policy;

/**
 * The policy decision point every enforcement point calls (token issuance, delegation, the
 * gateway, the AuthZEN API). Resolves inventory entities, applies the hard guards (unknown,
 * suspended or retired principals are denied before any policy runs), evaluates the active
 * policy version (and a shadow candidate, if any) and records the decision in the audit log.
 */
public interface DecisionService {
    /** Decides and records the decision ({@code policy.decision}). */
    Decision decide(DecisionRequest request);

    /**
     * Decides without writing a decision record: for an enforcement point that records the decision
     * itself, with its own context (the gateway's one record per message carries every hop's decision).
     */
    Decision evaluate(DecisionRequest request);
}
