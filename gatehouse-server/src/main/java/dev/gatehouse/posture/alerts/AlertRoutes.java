package dev.gatehouse.posture.alerts;

import dev.gatehouse.core.Problem;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Router;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /v1/alerts}: anomaly alerts, newest first. */
public final class AlertRoutes {
    private final AlertService alerts;

    public AlertRoutes(AlertService alerts) { this.alerts = alerts; }

    public void register(Router r) {
        r.get("/v1/alerts", Access.READ, "Anomaly alerts against identities' baselines, newest first (filters: identity, type, since; limit)", req -> {
            req.onlyQuery("identity", "type", "since", "limit");
            AlertType type = req.query("type").map(t -> AlertType.parse("type", t)).orElse(null);
            Instant since = null;
            if (req.query("since").isPresent()) {
                try {
                    since = Instant.parse(req.query("since").get());
                } catch (DateTimeParseException e) {
                    throw new Problem.Invalid("since", "since must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
                }
            }
            int limit = 100;
            if (req.query("limit").isPresent()) {
                try {
                    limit = Integer.parseInt(req.query("limit").get());
                } catch (NumberFormatException e) {
                    throw new Problem.Invalid("limit", "limit must be between 1 and 1000");
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", alerts.list(req.query("identity").orElse(null), type, since, limit));
            return ApiResponse.ok(body);
        });
    }
}
