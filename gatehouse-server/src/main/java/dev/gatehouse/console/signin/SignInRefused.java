package dev.gatehouse.console.signin;

/**
 * A sign-in that did not establish a person: the message is shown on the sign-in page (never a token,
 * code or secret), {@code reason} is the code audited.
 */
public final class SignInRefused extends RuntimeException {
    private final String reason;

    public SignInRefused(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public SignInRefused(String reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    public String reason() { return reason; }
}
