package dev.gatehouse.credentials;

import dev.gatehouse.registry.Scope;
import java.time.Instant;
import java.util.List;

/**
 * A unit of authorised work: one identity, one stated intent, a scope within its declared scope,
 * and a deadline. Every token is bound to exactly one task and dies with it.
 *
 * @param status   {@code active}, {@code completed}, {@code expired} (past {@code expiresAt}) or {@code revoked}
 * @param attested     true when the identity authenticated through a trusted external issuer
 * @param useCase      the use case the task was opened for, or null when its identity declares none
 * @param dataCeiling  the most sensitive classification level (0 public .. 3 restricted) the use case may read
 * @param destinations where the use case's data may go ({@code internal}, {@code external}, tool server ids)
 * @param authMethod   how the identity authenticated: {@code client_secret}, {@code private_key_jwt}, {@code federated}
 * @param authIssuer   the federated issuer, or null
 */
public record Task(String id, String identity, String kind, String owner, String intent, Scope scope, String status,
                   boolean attested, Instant createdAt, Instant expiresAt, Instant endedAt, String endedBy, String endReason,
                   String useCase, int dataCeiling, List<String> destinations, String authMethod, String authIssuer) {
    /** Destinations of a task whose identity declares no use case: anywhere (other rules still apply). */
    public static final List<String> ANY_DESTINATION = List.of("internal", "external");


    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isActive() { return status.equals("active"); }
}
