package dev.gatehouse.credentials;

import java.time.Instant;
import java.util.Map;

/**
 * A signing key as operators see it: public part and lifecycle only, never the private key.
 *
 * @param status      {@code active} (signs), {@code retiring} (verifies until {@code verifyUntil}), {@code retired}
 * @param verifyUntil when a rotated key stops verifying: rotation time plus the longest token lifetime
 */
public record SigningKey(String kid, String alg, String status, Instant createdAt, String createdBy, Instant rotatedAt,
                         Instant verifyUntil, Map<String, Object> publicJwk) {}
