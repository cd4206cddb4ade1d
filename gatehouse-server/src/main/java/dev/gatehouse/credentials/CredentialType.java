package dev.gatehouse.credentials;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.gatehouse.core.Problem;
import java.util.Locale;

/** How a workload or agent proves who it is at the token endpoint. */
public enum CredentialType {
    /** A Gatehouse-generated secret (client_secret_basic / client_secret_post). */
    CLIENT_SECRET,
    /** A JWT assertion signed with the private half of a registered public JWK (RFC 7523). */
    PRIVATE_KEY_JWT,
    /** A JWT from a trusted external issuer (Kubernetes, CI OIDC) whose subject is bound to the identity. */
    FEDERATED;

    @JsonValue
    public String wire() { return name().toLowerCase(Locale.ROOT); }

    @JsonCreator
    public static CredentialType parse(String value) {
        for (CredentialType t : values()) {
            if (t.wire().equals(value)) return t;
        }
        throw new Problem.Invalid("type", "type must be one of client_secret, private_key_jwt, federated");
    }

    @Override
    public String toString() { return wire(); }
}
