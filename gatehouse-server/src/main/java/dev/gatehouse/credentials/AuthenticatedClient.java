package dev.gatehouse.credentials;

import dev.gatehouse.registry.Identity;

/**
 * A workload or agent that proved who it is at the token endpoint.
 *
 * @param method   {@code client_secret_basic}, {@code client_secret_post}, {@code private_key_jwt} or {@code federated}
 * @param attested true when an external issuer vouched for the workload (federated identity)
 * @param binding  the credential (and secret or key) that authenticated, or null when none is registered
 *                 (a federated subject mapped in configuration)
 */
public record AuthenticatedClient(Identity identity, String credentialId, String method, boolean attested, CredentialBinding binding) {}
