package dev.gatehouse.credentials;

/**
 * An OAuth error (RFC 6749 §5.2, RFC 7009, RFC 8693): the token endpoints answer it as
 * {@code {"error", "error_description"}}. Descriptions are deliberately generic for
 * authentication failures, so a caller learns nothing about which check failed;
 * {@code auditReason} carries the precise reason for the audit log only.
 */
public final class OAuthException extends RuntimeException {
    private final String error;
    private final int status;
    private final String auditReason;
    private final long retryAfterSeconds;

    public OAuthException(String error, String description, String auditReason) {
        this(error, error.equals("invalid_client") ? 401 : 400, description, auditReason, 0);
    }

    private OAuthException(String error, int status, String description, String auditReason, long retryAfterSeconds) {
        super(description, null, false, false);
        this.error = error;
        this.status = status;
        this.auditReason = auditReason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429: too many failed authentications from this client id or address; retry after the given seconds. */
    public static OAuthException throttled(long retryAfterSeconds) {
        return new OAuthException("temporarily_unavailable", 429, "too many failed client authentications; retry after "
                + retryAfterSeconds + " seconds", "throttled", retryAfterSeconds);
    }

    public static OAuthException invalidClient(String auditReason) {
        return new OAuthException("invalid_client", "client authentication failed", auditReason);
    }

    public static OAuthException invalidGrant(String auditReason) {
        return new OAuthException("invalid_grant", "the grant is invalid, expired or revoked", auditReason);
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException("invalid_request", description, description);
    }

    public static OAuthException invalidScope(String description) {
        return new OAuthException("invalid_scope", description, description);
    }

    public String error() { return error; }

    public int status() { return status; }

    public String auditReason() { return auditReason; }

    /** Seconds for {@code Retry-After}; 0 when the error is not a throttle. */
    public long retryAfterSeconds() { return retryAfterSeconds; }
}
