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

    public OAuthException(String error, String description, String auditReason) {
        super(description, null, false, false);
        this.error = error;
        this.status = error.equals("invalid_client") ? 401 : 400;
        this.auditReason = auditReason;
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
}
