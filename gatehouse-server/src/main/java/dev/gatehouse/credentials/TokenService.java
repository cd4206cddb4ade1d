package dev.gatehouse.credentials;

/**
 * Issues, checks and revokes task-scoped access tokens. Enforcement points call {@link #check}
 * on every request, so a revocation takes effect on the very next one.
 */
public interface TokenService {
    /**
     * {@code grant_type=client_credentials}: a new task and its first token; {@code useCase} names one of the
     * identity's use cases (null: its only one, or none when it declares none).
     */
    IssuedToken clientCredentials(AuthenticatedClient client, String intent, String scope, String ttl, String useCase);

    /** RFC 8693 token exchange: {@code actor} takes over part of the subject token's task (delegation). */
    IssuedToken exchange(AuthenticatedClient actor, String subjectToken, String actorToken, String scope, String ttl);

    TokenStatus check(String accessToken);

    /**
     * Revokes a token and every token delegated from it. {@code holder} non-null restricts this to
     * tokens that identity holds. Returns false when the token is not a Gatehouse token (RFC 7009
     * treats that as success).
     */
    boolean revoke(String accessToken, String holder, String actor);
}
