package dev.gatehouse.audit;

import dev.gatehouse.http.Access;
import dev.gatehouse.http.AuthObserver;
import dev.gatehouse.http.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records admin API authentication: every refusal (no token, unknown or revoked token, role not
 * allowed) and successful use of a token. Successes of the same token at the same access level
 * are recorded once per {@code window} so that polling readers (dashboards, {@code audit tail -f})
 * do not drown the trail; every change they make is recorded by the feature that makes it.
 */
public final class AdminAuthAudit implements AuthObserver {
    private final AuditLog audit;
    private final Clock clock;
    private final Duration window;
    private final Map<String, Instant> lastRecorded = new ConcurrentHashMap<>();

    public AdminAuthAudit(AuditLog audit, Clock clock, Duration window) {
        this.audit = audit;
        this.clock = clock;
        this.window = window;
    }

    @Override
    public void authenticated(Caller caller, String method, String route, Access access, String remote) {
        String key = caller.actor() + "|" + access.name();
        Instant now = clock.instant();
        Instant last = lastRecorded.get(key);
        if (!window.isZero() && last != null && now.isBefore(last.plus(window))) {
            return;
        }
        audit.record(AuditEvent.of("admin.auth", AuditEvent.Category.ACCESS, "success", caller.actor())
                .withAction(method + " " + route, null)
                .withDetail(detail(caller, access, remote)));
        lastRecorded.put(key, now); // only once it is durable: a failed record must be retried by the next request

    }

    @Override
    public void refused(Caller caller, String reason, String method, String path, String remote) {
        AuditEvent e = AuditEvent.of("admin.auth", AuditEvent.Category.ACCESS, "failure",
                        caller == null ? "anonymous" : caller.actor())
                .withAction(method + " " + path, null)
                .withReason(reason);
        Map<String, Object> detail = caller == null ? new LinkedHashMap<>() : detail(caller, null, remote);
        if (remote != null) detail.put("remote", remote);
        audit.record(e.withDetail(detail));
    }

    private static Map<String, Object> detail(Caller caller, Access access, String remote) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("credential", caller.kind());
        d.put("role", caller.role().wire());
        if (access != null) d.put("access", access.name().toLowerCase(Locale.ROOT));
        if (remote != null) d.put("remote", remote);
        return d;
    }
}
