package dev.gatehouse.approvals;

import java.util.List;

/**
 * A gateway call that policy held for a human's approval (only {@code @approval(…)} forbid rules
 * denied it). Carries no raw arguments: a digest binds a grant to the exact call, and the summary
 * shows a person what they approve with classified values masked.
 *
 * @param identity        the calling identity (last hop of the delegation chain)
 * @param chain           delegation chain, first = original delegator; just {@code [identity]} without delegation
 * @param onBehalfOf      human on whose behalf the agent acts, or null
 * @param argumentsDigest SHA-256 (hex) of the canonical JSON arguments
 * @param approvers       the {@code @approval} values: {@code owner}, {@code group:<id>}, or a human id
 */
public record HeldCall(String identity, List<String> chain, String onBehalfOf, String taskId, String intent, String toolId,
                       String argumentsDigest, String summary, String risk, List<String> policies, List<String> approvers) {}
