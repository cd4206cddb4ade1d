package dev.gatehouse.credentials;

import dev.gatehouse.registry.Scope;
import java.time.Instant;

/**
 * A unit of authorised work: one identity, one stated intent, a scope within its declared scope,
 * and a deadline. Every token is bound to exactly one task and dies with it.
 *
 * @param status   {@code active}, {@code completed}, {@code expired} (past {@code expiresAt}) or {@code revoked}
 * @param attested true when the identity authenticated through a trusted external issuer
 */
public record Task(String id, String identity, String kind, String owner, String intent, Scope scope, String status,
                   boolean attested, Instant createdAt, Instant expiresAt, Instant endedAt, String endedBy, String endReason) {

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isActive() { return status.equals("active"); }
}
