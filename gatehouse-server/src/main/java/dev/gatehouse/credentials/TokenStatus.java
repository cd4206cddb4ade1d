package dev.gatehouse.credentials;

/** What an enforcement point learns about a presented token: live, or not (the reason is for the audit log only). */
public sealed interface TokenStatus permits TokenStatus.Active, TokenStatus.Inactive {
    record Active(VerifiedToken token) implements TokenStatus {}

    record Inactive(String reason) implements TokenStatus {}
}
