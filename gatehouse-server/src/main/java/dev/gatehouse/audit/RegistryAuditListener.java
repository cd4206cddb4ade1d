package dev.gatehouse.audit;

import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.RegistryChange;
import dev.gatehouse.registry.RegistryListener;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every inventory change as a privileged audit record, appended inside the transaction that makes
 * the change: the change and its record commit together or not at all.
 */
public final class RegistryAuditListener implements RegistryListener {
    private final AuditLog audit;

    public RegistryAuditListener(AuditLog audit) { this.audit = audit; }

    @Override
    public void onChange(RegistryChange change) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("subjectType", change.subjectType());
        AuditEvent e = AuditEvent.of(change.action(), AuditEvent.Category.PRIVILEGED, "success", change.actor())
                .withAction(change.action(), change.subjectId())
                .withReason(change.reason());
        Identity identity = change.identity();
        if (identity != null) {
            e = e.withSubject(identity.id(), identity.kind().wire(), identity.owner());
            detail.put("status", identity.status().wire());
            if (identity.orphaned()) detail.put("orphaned", true);
            if (identity.environment() != null) detail.put("environment", identity.environment());
        }
        audit.record(e.withDetail(detail));
    }
}
