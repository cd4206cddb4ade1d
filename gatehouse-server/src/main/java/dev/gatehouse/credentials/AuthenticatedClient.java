package dev.gatehouse.credentials;

import dev.gatehouse.registry.Identity;

/**
 * A workload or agent that proved who it is at the token endpoint.
 *
 * @param method   {@code client_secret_basic}, {@code client_secret_post}, {@code private_key_jwt} or {@code federated}
 * @param attested true when an external issuer vouched for the workload (federated identity)
 * @param binding  the credential (and secret or key) that authenticated, or null when none is registered
 *                 (a federated subject mapped in configuration)
 * @param client   the product of the request's User-Agent ({@code gatehouse-cli}, {@code curl}, {@code python-requests} …),
 *                 or null: recorded with the token so posture can see a person's tool using a workload's secret
 */
public record AuthenticatedClient(Identity identity, String credentialId, String method, boolean attested, CredentialBinding binding,
                                  String client) {
    public AuthenticatedClient(Identity identity, String credentialId, String method, boolean attested, CredentialBinding binding) {
        this(identity, credentialId, method, attested, binding, null);
    }

    /** The product token of a User-Agent header ({@code curl/8.5.0} → {@code curl}); null when there is none worth keeping. */
    public static String product(String userAgent) {
        if (userAgent == null) return null;
        String first = userAgent.strip().split("[\\s/]", 2)[0];
        return first.matches("[A-Za-z0-9._-]{1,64}") ? first : null;
    }
}
