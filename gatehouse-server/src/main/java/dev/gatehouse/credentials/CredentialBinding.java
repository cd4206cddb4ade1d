package dev.gatehouse.credentials;

/**
 * The client credential a token was minted with, down to the secret or key that authenticated:
 * {@code version} is the SHA-256 of the client secret presented (a hash the store already keeps) or
 * the thumbprint of the key that verified the assertion; null for a federated credential (the row
 * itself is what can be revoked or expire). A token lives only while every binding of its chain
 * holds: the secret is the current one (or the previous one within its overlap window), the key is
 * still the registered one, and the credential is neither revoked nor expired.
 *
 * <p>It also says how that hop authenticated, which policies weigh ({@code context.authentication},
 * {@code principal.attested}): {@code method} is {@code client_secret}, {@code private_key_jwt} or
 * {@code federated}; {@code issuer} the federated issuer. {@code id} is null for a federated subject
 * mapped in configuration (no credential row to revoke).
 */
public record CredentialBinding(String id, String version, String identity, String method, String issuer) {
    public static final String CLIENT_SECRET = "client_secret";
    public static final String PRIVATE_KEY_JWT = "private_key_jwt";
    public static final String FEDERATED = "federated";

    /** True when the identity proved itself with something other than a shared secret: a registered key or a workload identity. */
    public boolean attested() { return PRIVATE_KEY_JWT.equals(method) || FEDERATED.equals(method); }
}
