package dev.gatehouse.credentials;

import dev.gatehouse.http.Authenticator;
import dev.gatehouse.http.Caller;
import java.util.Optional;

/**
 * Lets a workload or agent call the few {@code SELF} routes (completing its own task) with its
 * live task token. The caller is {@code identity:<holder>} and its name is the token's task id.
 */
public final class TaskTokenAuthenticator implements Authenticator {
    private final TokenService tokens;
    private final java.util.function.Consumer<String> seen;

    public TaskTokenAuthenticator(TokenService tokens) { this(tokens, id -> {}); }

    /** {@code seen} hears of each identity that called with a live token (lastSeen). */
    public TaskTokenAuthenticator(TokenService tokens, java.util.function.Consumer<String> seen) {
        this.tokens = tokens;
        this.seen = seen;
    }

    @Override
    public Optional<Caller> authenticate(String bearerToken) {
        // Cheap shape test first: admin tokens are not JWTs, so they never cost a signature check here.
        if (bearerToken == null || bearerToken.chars().filter(c -> c == '.').count() != 2) return Optional.empty();
        if (tokens.check(bearerToken) instanceof TokenStatus.Active active) {
            seen.accept(active.token().holder());
            return Optional.of(new Caller("identity", active.token().holder(), active.token().taskId(), Caller.Role.IDENTITY));
        }
        return Optional.empty();
    }
}
