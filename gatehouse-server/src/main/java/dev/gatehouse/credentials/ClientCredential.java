package dev.gatehouse.credentials;

import java.time.Instant;
import java.util.Map;

/**
 * One credential of an identity, as listed: never a secret or its hash. The OAuth
 * {@code client_id} of every credential is the identity id.
 *
 * @param status             {@code active}, {@code expired} or {@code revoked}
 * @param previousValidUntil after a secret rotation: until when the previous secret still works
 * @param jwk                the registered public key ({@code private_key_jwt})
 * @param issuer             the trusted external issuer ({@code federated})
 * @param subject            the external subject bound to the identity ({@code federated})
 */
public record ClientCredential(String id, String identity, CredentialType type, String clientId, String status,
                               Instant createdAt, String createdBy, Instant expiresAt, Instant rotatedAt,
                               Instant previousValidUntil, Instant revokedAt, String revokedBy, Instant lastUsed,
                               Map<String, Object> jwk, String jwkThumbprint, String issuer, String subject) {}
