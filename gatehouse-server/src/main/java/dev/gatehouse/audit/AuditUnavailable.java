package dev.gatehouse.audit;

/** The audit log cannot take an event; the action it describes must fail (HTTP 503), not go unrecorded. */
public final class AuditUnavailable extends RuntimeException {
    public AuditUnavailable(String message) { super(message); }
}
