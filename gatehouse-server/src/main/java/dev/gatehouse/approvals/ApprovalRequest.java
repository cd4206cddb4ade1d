package dev.gatehouse.approvals;

import java.time.Instant;

/** A held call awaiting (or having had) a human decision. {@code status}: pending | approved | denied | expired | used. */
public record ApprovalRequest(String id, HeldCall call, String status, Instant createdAt, Instant expiresAt,
                              String decidedBy, String reason, Instant decidedAt) {}
