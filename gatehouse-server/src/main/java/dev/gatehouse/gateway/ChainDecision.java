package dev.gatehouse.gateway;

import dev.gatehouse.policy.Decision;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The decisions for every identity of a delegation chain, combined: any deny refuses the call (a
 * delegate can never do more than each hop before it may), else any hold holds it, else it is allowed.
 */
public final class ChainDecision {
    private ChainDecision() {}

    /** One hop's decision, as the gateway's record of the message carries it. */
    public record Hop(String identity, String kind, Decision decision) {}

    /** @param decided the identity whose decision determined the outcome (the denying hop), or null */
    public record Combined(Decision decision, String decided, List<Hop> hops) {}

    public static Combined combine(List<Hop> hops) {
        LinkedHashSet<String> policies = new LinkedHashSet<>();
        LinkedHashSet<String> approvers = new LinkedHashSet<>();
        Decision.Hold firstHold = null;
        String holdBy = null;
        String version = null;
        for (Hop hop : hops) {
            Decision d = hop.decision();
            if (d instanceof Decision.Deny) return new Combined(d, hop.identity(), hops);
            version = d.policyVersion();
            policies.addAll(d.policies());
            if (d instanceof Decision.Hold h) {
                approvers.addAll(h.approvers());
                if (firstHold == null) {
                    firstHold = h;
                    holdBy = hop.identity();
                }
            }
        }
        if (firstHold != null) {
            return new Combined(new Decision.Hold(new ArrayList<>(approvers), new ArrayList<>(policies), version, firstHold.annotations()),
                    holdBy, hops);
        }
        return new Combined(new Decision.Allow(new ArrayList<>(policies), version), null, hops);
    }
}
