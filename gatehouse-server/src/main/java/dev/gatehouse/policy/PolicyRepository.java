package dev.gatehouse.policy;

import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** JDBC storage of policy versions, activation state, shadow disagreements and application entities. Never commits. */
final class PolicyRepository {
    record State(Long active, Long shadow) {}

    record StoredEntity(String type, String id, String body) {}

    private final Transactions tx;

    PolicyRepository(Transactions tx) { this.tx = tx; }

    long nextVersionNumber() {
        return Sql.one(tx.connection(), "SELECT COALESCE(MAX(version_number), 0) AS n FROM policy_versions",
                r -> r.longValue("n")).orElse(0L) + 1;
    }

    void insertVersion(long number, String author, String message, Instant at, String hash, int count, Map<String, String> files) {
        Sql.update(tx.connection(), "INSERT INTO policy_versions (version_number, author, message, created_at, content_hash, policy_count)"
                + " VALUES (?, ?, ?, ?, ?, ?)", number, author, message, at, hash, count);
        Sql.batch(tx.connection(), "INSERT INTO policy_files (version_number, path, content) VALUES (?, ?, ?)",
                files.entrySet().stream().map(e -> new Object[] {number, e.getKey(), e.getValue()}).toList());
    }

    /** Locks the state row, so concurrent activations serialise. */
    State lockState() {
        return Sql.one(tx.connection(), "SELECT active_version, shadow_version FROM policy_state WHERE id = 1 FOR UPDATE",
                r -> new State(r.longValue("active_version"), r.longValue("shadow_version"))).orElseThrow();
    }

    State state() {
        return Sql.one(tx.connection(), "SELECT active_version, shadow_version FROM policy_state WHERE id = 1",
                r -> new State(r.longValue("active_version"), r.longValue("shadow_version"))).orElseThrow();
    }

    void setState(Long active, Long shadow, String actor, Instant at) {
        Sql.update(tx.connection(), "UPDATE policy_state SET active_version = ?, shadow_version = ?, updated_at = ?, updated_by = ? WHERE id = 1",
                active, shadow, at, actor);
    }

    void recordActivation(String kind, Long version, String actor, Instant at) {
        Sql.update(tx.connection(), "INSERT INTO policy_activations (kind, version_number, actor, at) VALUES (?, ?, ?, ?)",
                kind, version, actor, at);
    }

    /** Versions activated, most recent first (activate and rollback entries). */
    List<Long> activationHistory() {
        return Sql.query(tx.connection(), "SELECT version_number FROM policy_activations WHERE kind IN ('activate', 'rollback')"
                + " ORDER BY seq DESC", r -> r.longValue("version_number"));
    }

    List<PolicyVersion> versions(State state) {
        return Sql.query(tx.connection(), "SELECT * FROM policy_versions ORDER BY version_number DESC", r -> version(r, state));
    }

    Optional<PolicyVersion> version(long number, State state) {
        return Sql.one(tx.connection(), "SELECT * FROM policy_versions WHERE version_number = ?", r -> version(r, state), number);
    }

    Map<String, String> files(long number) {
        Map<String, String> files = new LinkedHashMap<>();
        Sql.query(tx.connection(), "SELECT path, content FROM policy_files WHERE version_number = ? ORDER BY path",
                r -> files.put(r.string("path"), r.string("content")), number);
        return files;
    }

    private static PolicyVersion version(Sql.Row r, State state) throws java.sql.SQLException {
        long n = r.longValue("version_number");
        return new PolicyVersion(n, r.string("author"), r.string("message"), r.instant("created_at"), r.string("content_hash"),
                r.longValue("policy_count").intValue(), Long.valueOf(n).equals(state.active()), Long.valueOf(n).equals(state.shadow()));
    }

    void insertDisagreement(Instant at, long active, long shadow, String digest, String principal, String action, String resource,
                            String activeDecision, String shadowDecision, List<String> activePolicies, List<String> shadowPolicies) {
        Sql.update(tx.connection(), "INSERT INTO policy_shadow_disagreements (at, active_version, shadow_version, request_digest,"
                        + " principal, action_name, resource, active_decision, shadow_decision, active_policies, shadow_policies)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", at, active, shadow, digest, cut(principal), cut(action), cut(resource),
                activeDecision, shadowDecision, cut(String.join(",", activePolicies)), cut(String.join(",", shadowPolicies)));
    }

    List<ShadowDisagreement> disagreements(Long shadowVersion, int limit) {
        Sql.RowMapper<ShadowDisagreement> mapper = r -> new ShadowDisagreement(r.longValue("seq"), r.instant("at"),
                r.longValue("active_version"), r.longValue("shadow_version"), r.string("request_digest"), r.string("principal"),
                r.string("action_name"), r.string("resource"), r.string("active_decision"), r.string("shadow_decision"),
                split(r.string("active_policies")), split(r.string("shadow_policies")));
        return shadowVersion == null
                ? Sql.query(tx.connection(), "SELECT * FROM policy_shadow_disagreements ORDER BY seq DESC LIMIT ?", mapper, limit)
                : Sql.query(tx.connection(), "SELECT * FROM policy_shadow_disagreements WHERE shadow_version = ? ORDER BY seq DESC LIMIT ?",
                        mapper, shadowVersion, limit);
    }

    long countDisagreements(long shadowVersion) {
        return Sql.one(tx.connection(), "SELECT COUNT(*) AS n FROM policy_shadow_disagreements WHERE shadow_version = ?",
                r -> r.longValue("n"), shadowVersion).orElse(0L);
    }

    // --- application entities

    void upsertEntity(String type, String id, String body, Instant at) {
        int updated = Sql.update(tx.connection(), "UPDATE application_entities SET body = ?, updated_at = ? WHERE entity_type = ? AND entity_id = ?",
                body, at, type, id);
        if (updated == 0) {
            Sql.update(tx.connection(), "INSERT INTO application_entities (entity_type, entity_id, body, updated_at) VALUES (?, ?, ?, ?)",
                    type, id, body, at);
        }
    }

    int deleteAllEntities() {
        return Sql.update(tx.connection(), "DELETE FROM application_entities");
    }

    List<StoredEntity> entities() {
        return Sql.query(tx.connection(), "SELECT entity_type, entity_id, body FROM application_entities ORDER BY entity_type, entity_id",
                r -> new StoredEntity(r.string("entity_type"), r.string("entity_id"), r.string("body")));
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    private static String cut(String s) {
        return s.length() <= 590 ? s : s.substring(0, 590) + "…";
    }
}
