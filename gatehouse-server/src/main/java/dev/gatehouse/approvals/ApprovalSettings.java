package dev.gatehouse.approvals;

import java.time.Duration;

/**
 * How long a held call waits for a decision, how long an approval stays usable, the break-glass cap, whether
 * an owner may break glass for what they own (given to policy as {@code context.breakglass.ownerAllowed}), and
 * how fresh the decider's proof ({@link ApproverProof}) must be.
 */
public record ApprovalSettings(Duration requestTtl, Duration grantTtl, Duration breakGlassMaxTtl, boolean breakGlassOwnerAllowed,
                               Duration stepUpMaxAge) {
    public ApprovalSettings {
        if (requestTtl.isNegative() || requestTtl.isZero()) throw new IllegalArgumentException("approvals.requestTtlSeconds must be positive");
        if (grantTtl.isNegative() || grantTtl.isZero()) throw new IllegalArgumentException("approvals.grantTtlSeconds must be positive");
        if (breakGlassMaxTtl.isNegative() || breakGlassMaxTtl.isZero()) {
            throw new IllegalArgumentException("approvals.breakGlassMaxTtlSeconds must be positive");
        }
        if (stepUpMaxAge.toSeconds() < 30 || stepUpMaxAge.toSeconds() > 3600) {
            throw new IllegalArgumentException("approvals.stepUpMaxAgeSeconds must be between 30 and 3600");
        }
    }
}
