package dev.gatehouse.credentials;

/**
 * The client credential a token was minted with, down to the secret or key that authenticated:
 * {@code version} is the SHA-256 of the client secret presented (a hash the store already keeps) or
 * the thumbprint of the key that verified the assertion; null for a federated credential (the row
 * itself is what can be revoked or expire). A token lives only while every binding of its chain
 * holds: the secret is the current one (or the previous one within its overlap window), the key is
 * still the registered one, and the credential is neither revoked nor expired.
 */
public record CredentialBinding(String id, String version) {}
