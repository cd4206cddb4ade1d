package dev.gatehouse.approvals;

import java.time.Instant;

/**
 * How the human deciding (approve, deny, break glass) proved, for this decision, that it is them; the
 * audit record of the decision names it. Two kinds exist:
 *
 * <ul>
 *   <li>the API: the human's own approver token, a possession factor issued to that person alone, proved
 *       afresh on the very request ({@code factor = approver-token});</li>
 *   <li>the console: a single sign-on session plus a second factor proved in that session —
 *       {@code webauthn} (a passkey or security key) or {@code totp} (RFC 6238) — no older than
 *       {@code approvals.stepUpMaxAgeSeconds}.</li>
 * </ul>
 *
 * @param credential what authenticated the request: {@code approver-token:<id>} or {@code console-session}
 * @param factor     {@code approver-token}, {@code webauthn:<factor id>} or {@code totp:<factor id>}
 * @param provedAt   when that factor was last proved
 */
public record ApproverProof(String credential, String factor, Instant provedAt) {
    public ApproverProof {
        if (credential == null || credential.isBlank() || factor == null || factor.isBlank() || provedAt == null) {
            throw new IllegalArgumentException("a proof names its credential, its factor and when it was proved");
        }
    }

    /** An approver token presented on this request: the token is the factor, proved now. */
    public static ApproverProof approverToken(String tokenId, Instant now) {
        return new ApproverProof("approver-token:" + tokenId, "approver-token", now);
    }

    /** A console session whose human proved {@code factor} at {@code provedAt}. */
    public static ApproverProof consoleStepUp(String factor, Instant provedAt) {
        return new ApproverProof("console-session", factor, provedAt);
    }
}
