package dev.gatehouse.posture.alerts;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Problem;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.posture.activity.Activity;
import dev.gatehouse.posture.activity.ActivityObserver;
import dev.gatehouse.posture.notify.Notices;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.store.Transactions;
import dev.gatehouse.webhook.Notifier;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Anomaly alerts: raised while the activity ledger ingests new audit records (never on the
 * gateway's path), each one stored, recorded in the audit trail as {@code anomaly.<type>} (an OCSF
 * Detection Finding in the export) and sent through the posture webhook. Alert types configured in
 * {@code anomalies.suspendOn} suspend the identity: after the alert committed, in the identity's own
 * transaction (identities are locked before posture rows, never after), retried until done.
 */
public final class AlertService {
    public static final String ACTOR = "system:posture";

    private final Transactions tx;
    private final AlertRepository repo;
    private final RegistryService registry;
    private final AuditLog audit;
    private final Notifier notifier;
    private final Notices notices;
    private final Secrets secrets;
    private final Clock clock;
    private final Thresholds thresholds;

    public AlertService(Transactions tx, RegistryService registry, AuditLog audit, Notifier notifier, Notices notices, Secrets secrets,
                        Clock clock, Thresholds thresholds) {
        this.tx = tx;
        this.repo = new AlertRepository(tx);
        this.registry = registry;
        this.audit = audit;
        this.notifier = notifier;
        this.notices = notices;
        this.secrets = secrets;
        this.clock = clock;
        this.thresholds = thresholds;
    }

    /** A fresh detector for one ingest pass. */
    public ActivityObserver detector() {
        return new AnomalyDetector(thresholds, notices, this::raise);
    }

    private void raise(AlertType type, Activity activity, Map<String, Object> detail) {
        Optional<Identity> identity = registry.find(activity.identity());
        String action = thresholds.suspendOn().contains(type) ? "suspend" : "none";
        Alert alert = new Alert(secrets.newId("alr_"), type, activity.identity(), type.severity(), activity.seq(), activity.time(), detail,
                clock.instant(), action, null);
        repo.insert(alert);
        Map<String, Object> auditDetail = new LinkedHashMap<>(detail);
        auditDetail.put("alert", alert.id());
        auditDetail.put("severity", alert.severity());
        auditDetail.put("sourceSeq", activity.seq());
        auditDetail.put("occurredAt", activity.time().toString());
        auditDetail.put("action", action);
        audit.record(AuditEvent.of(type.auditType(), AuditEvent.Category.ACCESS, "success", ACTOR)
                .withSubject(activity.identity(), identity.map(i -> i.kind().wire()).orElse(null), identity.map(Identity::owner).orElse(null))
                .withAction("anomaly", activity.tool()).withReason(type.wire()).withDetail(auditDetail));
        Map<String, Object> data = new LinkedHashMap<>(auditDetail);
        data.put("type", type.wire());
        data.put("identity", activity.identity());
        identity.map(Identity::owner).ifPresent(o -> data.put("owner", o));
        notifier.notify("anomaly." + type.wire(), data);
    }

    /** Suspends the identities of alerts configured to suspend, once each; returns how many were suspended now. */
    public int applySuspensions() {
        int suspended = 0;
        for (Alert a : tx.inTransaction(repo::pendingSuspensions)) {
            try {
                registry.suspend(a.identity(), "anomaly: " + a.type().wire() + " (alert " + a.id() + ")", ACTOR);
                suspended++;
            } catch (Problem.Conflict | Problem.NotFound moot) {
                // Already suspended or retired (by an earlier alert, another node, or an admin): nothing left to do.
            }
            tx.run(() -> repo.actionDone(a.id(), clock.instant()));
        }
        return suspended;
    }

    public List<Alert> list(String identity, AlertType type, Instant since, int limit) {
        if (limit < 1 || limit > 1000) throw new Problem.Invalid("limit", "limit must be between 1 and 1000");
        return tx.inTransaction(() -> repo.list(identity, type, since, limit));
    }
}
