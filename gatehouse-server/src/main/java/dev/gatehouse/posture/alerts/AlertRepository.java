package dev.gatehouse.posture.alerts;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.gatehouse.core.Json;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SQL of anomaly alerts; used inside the caller's transaction. */
final class AlertRepository {
    private static final String COLUMNS = "id, type, identity_id, severity, seq, occurred_at, detail_json, created_at, action, action_done_at";

    private final Transactions tx;

    AlertRepository(Transactions tx) { this.tx = tx; }

    void insert(Alert a) {
        Sql.update(tx.connection(), "INSERT INTO anomaly_alerts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", a.id(), a.type().wire(),
                a.identity(), a.severity(), a.seq(), a.occurredAt(), Json.write(a.detail()), a.createdAt(), a.action(), a.actionDoneAt());
    }

    List<Alert> list(String identity, AlertType type, Instant since, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM anomaly_alerts WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (identity != null) { sql.append(" AND identity_id = ?"); params.add(identity); }
        if (type != null) { sql.append(" AND type = ?"); params.add(type.wire()); }
        if (since != null) { sql.append(" AND created_at >= ?"); params.add(since); }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ").append(limit);
        return Sql.query(tx.connection(), sql.toString(), AlertRepository::alert, params.toArray());
    }

    List<Alert> pendingSuspensions() {
        return Sql.query(tx.connection(), "SELECT " + COLUMNS + " FROM anomaly_alerts WHERE action = 'suspend' AND action_done_at IS NULL"
                + " ORDER BY created_at, id LIMIT 100", AlertRepository::alert);
    }

    void actionDone(String id, Instant at) {
        Sql.update(tx.connection(), "UPDATE anomaly_alerts SET action_done_at = ? WHERE id = ? AND action_done_at IS NULL", at, id);
    }

    private static Alert alert(Sql.Row r) throws SQLException {
        Map<String, Object> detail;
        try {
            detail = Json.MAPPER.readValue(r.string("detail_json"), new TypeReference<Map<String, Object>>() {});
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("stored alert detail is not JSON");
        }
        return new Alert(r.string("id"), AlertType.parse("type", r.string("type")), r.string("identity_id"), r.string("severity"),
                r.longValue("seq"), r.instant("occurred_at"), detail, r.instant("created_at"), r.string("action"), r.instant("action_done_at"));
    }
}
