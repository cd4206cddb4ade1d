package dev.gatehouse.credentials;

import java.time.Instant;
import java.util.Map;

/**
 * A signing key as operators see it: public part and lifecycle only, never the private key.
 *
 * @param status      {@code pending} (published in the JWKS, signs from {@code activatesAt}), {@code active} (signs),
 *                    {@code retiring} (verifies until {@code verifyUntil}), {@code retired}
 * @param verifyUntil when a rotated key stops verifying: its successor's activation plus the longest token lifetime
 * @param activatesAt when the key starts signing: after every node of a cluster has published it
 */
public record SigningKey(String kid, String alg, String status, Instant createdAt, String createdBy, Instant rotatedAt,
                         Instant verifyUntil, Instant activatesAt, Map<String, Object> publicJwk) {}
