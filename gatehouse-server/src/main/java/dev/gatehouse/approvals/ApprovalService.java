package dev.gatehouse.approvals;

/**
 * Human approval of high-risk actions, as the gateway uses it. A grant is one-time and bound to
 * one call: same task, tool and argument digest; it expires. Break-glass lets a human give an
 * identity time-boxed emergency access that bypasses approval holds, never the hard guards.
 */
public interface ApprovalService {
    /** Records a held call; returns the pending request (an existing pending one for the same call is reused). */
    ApprovalRequest hold(HeldCall call);

    /**
     * Consumes an approved, unexpired, unused grant for exactly this call; true at most once per grant.
     * The gateway calls it before deciding and passes the answer as {@code context.approval.granted}.
     */
    boolean consumeGrant(String taskId, String toolId, String argumentsDigest);

    /** True when an active break-glass grant of {@code identityId} covers {@code toolId} now. */
    boolean breakGlassCovers(String identityId, String toolId);
}
