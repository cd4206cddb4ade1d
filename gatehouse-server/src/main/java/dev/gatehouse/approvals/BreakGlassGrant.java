package dev.gatehouse.approvals;

import java.time.Instant;
import java.util.List;

/** Emergency access in force from {@code createdAt} until {@code expiresAt} (or until revoked). {@code status}: active | expired | revoked. */
public record BreakGlassGrant(String id, String identity, List<String> scope, String justification, String grantedBy,
                              Instant createdAt, Instant expiresAt, String status, Instant revokedAt, String revokedBy) {}
