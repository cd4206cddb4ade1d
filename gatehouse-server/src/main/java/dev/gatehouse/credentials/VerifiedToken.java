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
 * @param useCase      the task's use case, or null
 * @param dataCeiling  the task's data ceiling (0 public .. 3 restricted; 3 without a use case)
 * @param destinations where the task's data may go
 * @param credentials  how each hop of the chain authenticated (the credentials the token was minted with)
 */
public record VerifiedToken(String jti, String taskId, String subject, String holder, List<String> chain, Scope scope,
                            String intent, boolean attested, Instant issuedAt, Instant expiresAt, Map<String, Object> claims,
                            String useCase, int dataCeiling, List<String> destinations, List<CredentialBinding> credentials) {
    public int depth() { return chain.size() - 1; }

    /** How {@code identity} (a hop of the chain) authenticated for this token, or empty when unknown. */
    public java.util.Optional<CredentialBinding> authentication(String identity) {
        CredentialBinding found = null;
        for (CredentialBinding b : credentials) if (identity.equals(b.identity())) found = b;
        return java.util.Optional.ofNullable(found);
    }
}
