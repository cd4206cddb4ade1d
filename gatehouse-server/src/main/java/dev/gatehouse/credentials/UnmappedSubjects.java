package dev.gatehouse.credentials;

/**
 * Told when a workload presents a federated token that verifies (a trusted issuer signed it, for
 * Gatehouse's audience) but names a subject no identity is bound to: a workload that exists and
 * authenticates, outside the inventory. Posture records it as a discovered identity. Called after the
 * signature and claims were checked, never for forged tokens; its failures never change the refusal.
 */
@FunctionalInterface
public interface UnmappedSubjects {
    UnmappedSubjects NONE = (issuer, claim, value) -> {};

    /** {@code claim} is the identifying claim configured for {@code issuer}, {@code value} its value in the token. */
    void presented(String issuer, String claim, String value);
}
