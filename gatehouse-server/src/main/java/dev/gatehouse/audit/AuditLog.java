package dev.gatehouse.audit;

/**
 * The append-only, hash-chained log every feature writes to. {@link #record} returns only once
 * the event is durable, so a response sent after it never acknowledges an unrecorded action.
 * It may be called inside or outside a store transaction.
 */
public interface AuditLog {
    void record(AuditEvent event);
}
