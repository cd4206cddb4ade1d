package dev.gatehouse.http;

/**
 * Told about every authentication decision on a protected route, before the route runs (the
 * audit trail records them). Never given the presented token: only who it resolved to, or why
 * it was refused. Throwing fails the request.
 */
public interface AuthObserver {
    AuthObserver NONE = new AuthObserver() {
        @Override public void authenticated(Caller caller, String method, String route, Access access, String remote) {}
        @Override public void refused(Caller caller, String reason, String method, String path, String remote) {}
    };

    void authenticated(Caller caller, String method, String route, Access access, String remote);

    /** {@code caller} is null when no valid token was presented; {@code reason} is a code, not the token. */
    void refused(Caller caller, String reason, String method, String path, String remote);
}
