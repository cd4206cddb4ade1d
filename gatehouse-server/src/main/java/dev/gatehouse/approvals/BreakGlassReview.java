package dev.gatehouse.approvals;

import java.time.Instant;

/**
 * The after-the-fact check of one break-glass grant: another approver must look at it and close it by
 * {@code dueAt}. {@code status}: open | overdue (open past its deadline) | closed; {@code outcome}: appropriate |
 * inappropriate.
 */
public record BreakGlassReview(String id, String grant, String identity, String grantedBy, Instant createdAt, Instant dueAt,
                               String status, String closedBy, Instant closedAt, String outcome, String note) {}
