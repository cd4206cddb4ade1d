package dev.gatehouse.credentials;

import dev.gatehouse.registry.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Gatehouse access token that verified and is live: its signature, time window, task and every
 * identity of its delegation chain were checked on this request.
 *
 * @param subject the task's identity (token {@code sub} is its SPIFFE id)
 * @param holder  the identity presenting it: the subject, or the last actor after delegation
 * @param chain   identity ids, the subject first and the holder last
 * @param claims  the JWT claims as issued
 */
public record VerifiedToken(String jti, String taskId, String subject, String holder, List<String> chain, Scope scope,
                            String intent, boolean attested, Instant issuedAt, Instant expiresAt, Map<String, Object> claims) {
    public int depth() { return chain.size() - 1; }
}
