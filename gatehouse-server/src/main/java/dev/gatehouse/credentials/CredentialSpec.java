package dev.gatehouse.credentials;

import java.time.Instant;
import java.util.Map;

/**
 * A credential to add: {@code {"type":"client_secret"}}, {@code {"type":"private_key_jwt","jwk":{…}}}
 * or {@code {"type":"federated","issuer":…,"subject":…}}; {@code expiresAt} optional (client
 * secrets default to 90 days, at most one year).
 */
public record CredentialSpec(CredentialType type, Map<String, Object> jwk, String issuer, String subject, Instant expiresAt) {}
