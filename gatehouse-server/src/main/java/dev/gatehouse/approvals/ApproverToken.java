package dev.gatehouse.approvals;

import java.time.Instant;

/** A human's approver token as listed: never its value or hash. */
public record ApproverToken(String id, String human, String name, Instant createdAt, String createdBy, Instant expiresAt,
                            Instant revokedAt, String revokedBy, Instant lastUsed) {}
