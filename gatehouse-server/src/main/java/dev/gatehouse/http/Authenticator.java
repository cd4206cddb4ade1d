package dev.gatehouse.http;

import java.util.Optional;

/** Resolves a bearer token presented to a protected route; empty when it is unknown or revoked. */
@FunctionalInterface
public interface Authenticator {
    Optional<Caller> authenticate(String bearerToken);
}
