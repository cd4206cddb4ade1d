package dev.gatehouse.approvals;

import java.time.Duration;

/**
 * How long a held call waits for a decision, how long an approval stays usable, the break-glass cap, and whether
 * an owner may break glass for what they own (given to policy as {@code context.breakglass.ownerAllowed}).
 */
public record ApprovalSettings(Duration requestTtl, Duration grantTtl, Duration breakGlassMaxTtl, boolean breakGlassOwnerAllowed) {
    public ApprovalSettings(Duration requestTtl, Duration grantTtl, Duration breakGlassMaxTtl) {
        this(requestTtl, grantTtl, breakGlassMaxTtl, false);
    }

    public ApprovalSettings {
        if (requestTtl.isNegative() || requestTtl.isZero()) throw new IllegalArgumentException("approvals.requestTtlSeconds must be positive");
        if (grantTtl.isNegative() || grantTtl.isZero()) throw new IllegalArgumentException("approvals.grantTtlSeconds must be positive");
        if (breakGlassMaxTtl.isNegative() || breakGlassMaxTtl.isZero()) {
            throw new IllegalArgumentException("approvals.breakGlassMaxTtlSeconds must be positive");
        }
    }
}
