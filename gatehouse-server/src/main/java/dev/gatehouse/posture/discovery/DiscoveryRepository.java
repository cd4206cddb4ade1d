package dev.gatehouse.posture.discovery;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.gatehouse.core.Json;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL of discovered identities; used inside the caller's transaction. */
final class DiscoveryRepository {
    private static final String COLUMNS = "id, source, external_id, name, status, facts_json, first_seen, last_seen, seen_count, adopted_as, "
            + "adopted_at, adopted_by";

    private final Transactions tx;

    DiscoveryRepository(Transactions tx) { this.tx = tx; }

    Optional<DiscoveredIdentity> find(String id) {
        return Sql.one(tx.connection(), "SELECT " + COLUMNS + " FROM discovered_identities WHERE id = ?", DiscoveryRepository::row, id);
    }

    Optional<DiscoveredIdentity> bySource(String source, String externalId) {
        return Sql.one(tx.connection(), "SELECT " + COLUMNS + " FROM discovered_identities WHERE source = ? AND external_id = ?",
                DiscoveryRepository::row, source, externalId);
    }

    void insert(String id, String source, Discovered d, Instant now) {
        Sql.update(tx.connection(), "INSERT INTO discovered_identities (id, source, external_id, name, status, facts_json, first_seen, last_seen, "
                + "seen_count) VALUES (?, ?, ?, ?, 'unmanaged', ?, ?, ?, 1)", id, source, d.externalId(), clip(d.name(), 300), Json.write(d.facts()), now, now);
    }

    void refresh(String id, Discovered d, Instant now) {
        Sql.update(tx.connection(), "UPDATE discovered_identities SET name = ?, facts_json = ?, last_seen = ?, seen_count = seen_count + 1 WHERE id = ?",
                clip(d.name(), 300), Json.write(d.facts()), now, id);
    }

    /** Marks an unmanaged entry adopted; false when someone adopted it first. */
    boolean adopt(String id, String identity, Instant now, String actor) {
        return Sql.update(tx.connection(), "UPDATE discovered_identities SET status = 'adopted', adopted_as = ?, adopted_at = ?, adopted_by = ? "
                + "WHERE id = ? AND status = 'unmanaged'", identity, now, actor, id) == 1;
    }

    List<DiscoveredIdentity> list(String status, String source, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM discovered_identities WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (status != null) { sql.append(" AND status = ?"); params.add(status); }
        if (source != null) { sql.append(" AND source = ?"); params.add(source); }
        sql.append(" ORDER BY source, name, id LIMIT ").append(limit);
        return Sql.query(tx.connection(), sql.toString(), DiscoveryRepository::row, params.toArray());
    }

    private static String clip(String s, int max) { return s.length() > max ? s.substring(0, max) : s; }

    private static DiscoveredIdentity row(Sql.Row r) throws SQLException {
        Map<String, Object> facts;
        try {
            facts = Json.MAPPER.readValue(r.string("facts_json"), new TypeReference<Map<String, Object>>() {});
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("stored facts are not JSON");
        }
        return new DiscoveredIdentity(r.string("id"), "workload", r.string("status"), r.string("source"), r.string("external_id"),
                r.string("name"), facts, r.instant("first_seen"), r.instant("last_seen"), r.longValue("seen_count"), r.string("adopted_as"),
                r.instant("adopted_at"), r.string("adopted_by"));
    }
}
