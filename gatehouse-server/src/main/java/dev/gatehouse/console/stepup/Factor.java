package dev.gatehouse.console.stepup;

import java.time.Instant;

/**
 * One of a human's second factors as listed: never its secret (a TOTP seed is shown once, at enrolment) nor
 * its key material. {@code type}: {@code webauthn} or {@code totp}; {@code confirmed}: usable (a TOTP seed is
 * confirmed by the first code entered from it).
 */
public record Factor(String id, String humanId, String type, String name, Instant createdAt, Instant lastUsed, boolean confirmed) {
    /** How the factor is named in audit records and approval decisions: {@code webauthn:<id>}, {@code totp:<id>}. */
    public String reference() { return type + ":" + id; }
}
