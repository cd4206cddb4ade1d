package dev.gatehouse.core;

/**
 * Domain failures a service may throw. One place in {@code http} turns each into a status code
 * and a JSON error body {@code {error, message, field}}; the CLI turns them into one line.
 * Messages are written for the caller and must never carry secret material.
 */
public abstract sealed class Problem extends RuntimeException {
    private final String code;
    private final String field;

    private Problem(String code, String message, String field) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
    }

    public String code() { return code; }

    public String field() { return field; }

    public static final class NotFound extends Problem {
        public NotFound(String message) { super("not_found", message, null); }
    }

    public static final class Conflict extends Problem {
        public Conflict(String message, String field) { super("conflict", message, field); }
    }

    /** Input that breaks a rule; {@code field} names the offending input when there is one. */
    public static final class Invalid extends Problem {
        public Invalid(String field, String message) { super("invalid_request", message, field); }
        public Invalid(String code, String field, String message) { super(code, message, field); }
    }

    public static final class Unauthenticated extends Problem {
        public Unauthenticated(String message) { super("unauthenticated", message, null); }
    }

    public static final class Forbidden extends Problem {
        public Forbidden(String message) { super("forbidden", message, null); }
        /** A more specific code, e.g. {@code step_up_required}: the caller may act once it proves more. */
        public Forbidden(String code, String message) { super(code, message, null); }
    }

    public static final class TooLarge extends Problem {
        public TooLarge(String message) { super("payload_too_large", message, null); }
    }

    /** A body in a media type the route does not read (a JSON route sent {@code text/plain}). */
    public static final class UnsupportedMediaType extends Problem {
        public UnsupportedMediaType(String message) { super("unsupported_media_type", message, null); }
    }

    /** A precondition such as an expected version did not hold (optimistic concurrency). */
    public static final class StaleVersion extends Problem {
        public StaleVersion(String message) { super("version_conflict", message, "version"); }
    }
}
