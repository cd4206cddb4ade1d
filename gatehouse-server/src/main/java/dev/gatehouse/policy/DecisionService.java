package dev.gatehouse.policy;

import java.util.Locale;
/**
 * The policy decision point every enforcement point calls (token issuance, delegation, the
 * gateway, the AuthZEN API). Resolves inventory entities, applies the hard guards (unknown,
 * suspended or retired principals are denied before any policy runs), evaluates the active
 * policy version (and a shadow candidate, if any) and records the decision in the audit log.
 */
public interface DecisionService {
    /** Why a decision is asked; recorded with it, so the audit trail tells an enforced call from a check made while issuing a token. */
    enum Purpose {
        /** An enforcement point deciding an action (a tool call, an application's request). */
        ENFORCE,
        /** Token issuance probing whether policy permits anything of a requested scope pattern. */
        SCOPE_CHECK,
        /** Token exchange asking whether the holder may delegate to an actor. */
        DELEGATION;

        public String wire() { return name().toLowerCase(Locale.ROOT); }
    }

    /** Decides and records the decision ({@code policy.decision}). */
    Decision decide(DecisionRequest request);

    /** Decides for {@code purpose}; implementations that do not record purposes decide as for {@link #decide(DecisionRequest)}. */
    default Decision decide(DecisionRequest request, Purpose purpose) {
        return decide(request);
    }

    /**
     * Decides without writing a decision record: for an enforcement point that records the decision
     * itself, with its own context (the gateway's one record per message carries every hop's decision).
     */
    Decision evaluate(DecisionRequest request);
}
