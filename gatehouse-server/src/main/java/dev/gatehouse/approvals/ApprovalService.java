package dev.gatehouse.approvals;

import dev.gatehouse.core.Page;
import java.util.List;

/**
 * Human approval of high-risk actions, as the gateway uses it. A grant is one-time and bound to
 * one call: same task, tool and argument digest; it expires. Break-glass lets a human give an
 * identity time-boxed emergency access that bypasses approval holds, never the hard guards.
 */
public interface ApprovalService {
    /**
     * Records a held call; returns the pending request (an existing pending one for the same call is reused).
     * If a human already denied exactly this call (same task, tool and digest), returns that denied request
     * (status {@code denied}, with the reason to tell the agent) instead of asking again.
     */
    ApprovalRequest hold(HeldCall call);

    /**
     * Consumes an approved, unexpired, unused grant for exactly this call; true at most once per grant.
     * The gateway calls it when a call is held and decides again with {@code context.approval.granted} = true.
     */
    boolean consumeGrant(String taskId, String toolId, String argumentsDigest);

    /** True when an active break-glass grant of {@code identityId} covers {@code toolId} now. */
    boolean breakGlassCovers(String identityId, String toolId);

    ApprovalRequest get(String id);

    /** Newest first. */
    Page<ApprovalRequest> list(ApprovalQuery query);

    /** Pending requests {@code human} may decide now (eligible and not excluded by four-eyes), newest first, at most 1000. */
    List<ApprovalRequest> decidableBy(String human);

    /**
     * {@code approver} (a human identity id, authenticated as itself) approves a pending request:
     * it becomes a one-time grant that expires after the configured grant lifetime. Four-eyes: the
     * approver must be an active human named by the request's approvers, and neither the requester,
     * a member of its delegation chain, nor the human on whose behalf it acts. {@code proof} says how the
     * approver proved it is them (approver token, or console session with a second factor); it must be no older
     * than the configured step-up age, and the audit record names it.
     */
    ApprovalRequest approve(String id, String approver, ApproverProof proof, String reason);

    /** Same eligibility and proof as {@link #approve}; a reason is required and is what the agent is told. */
    ApprovalRequest deny(String id, String approver, ApproverProof proof, String reason);

    /** A human ({@code grantedBy}, authenticated as itself, fresh {@code proof}) gives emergency, time-boxed access. */
    BreakGlassGrant breakGlass(BreakGlassSpec spec, String grantedBy, ApproverProof proof);

    /** {@code identity} null: all; {@code activeOnly}: only grants in force now. Newest first. */
    List<BreakGlassGrant> breakGlassGrants(String identity, boolean activeOnly);

    /** Ends a break-glass grant before its deadline. */
    BreakGlassGrant revokeBreakGlass(String id, String actor);
}
