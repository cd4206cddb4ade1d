package dev.gatehouse.approvals;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.gatehouse.core.Json;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rows of approval requests and break-glass grants. Runs inside the caller's transaction and never
 * commits. The stored status is pending | approved | denied | used; "expired" is derived from the
 * deadline at read time, so no sweeper has to run for an expired grant to stop working.
 */
final class ApprovalRepository {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final String COLUMNS = "id, identity_id, chain, on_behalf_of, task_id, intent, tool_id, arguments_digest, summary, "
            + "risk, policies, approvers, status, created_at, expires_at, decided_by, reason, decided_at";
    private static final String GRANT_COLUMNS = "id, identity_id, tools, justification, granted_by, created_at, expires_at, revoked_at, revoked_by";

    private final Transactions tx;

    ApprovalRepository(Transactions tx) { this.tx = tx; }

    /** Inserts a pending request; a concurrent insert for the same call fails on the unique pending key. */
    void insert(ApprovalRequest r) {
        HeldCall c = r.call();
        Sql.update(tx.connection(), "INSERT INTO approval_requests (" + COLUMNS + ", pending_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.id(), c.identity(), Json.write(c.chain()), c.onBehalfOf(), c.taskId(), c.intent(), c.toolId(), c.argumentsDigest(),
                c.summary(), c.risk(), Json.write(c.policies()), Json.write(c.approvers()), r.status(), r.createdAt(), r.expiresAt(),
                null, null, null, pendingKey(c.taskId(), c.toolId(), c.argumentsDigest()));
    }

    /** Frees the pending key of an expired pending request for this call, so a new one can be opened. */
    void releaseExpiredPending(String task, String tool, String digest, Instant now) {
        Sql.update(tx.connection(), "UPDATE approval_requests SET pending_key = NULL WHERE pending_key = ? AND expires_at <= ?",
                pendingKey(task, tool, digest), now);
    }

    private static String pendingKey(String task, String tool, String digest) {
        // Length-prefixed so no two different (task, tool) pairs concatenate to the same string.
        return dev.gatehouse.core.Secrets.sha256Hex(task.length() + ":" + task + "|" + tool.length() + ":" + tool + "|" + digest);
    }

    Optional<ApprovalRequest> find(String id, Instant now, boolean forUpdate) {
        return Sql.one(tx.connection(), "SELECT " + COLUMNS + " FROM approval_requests WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""),
                r -> request(r, now), id);
    }

    /** The pending, unexpired request for exactly this call, if any. */
    Optional<ApprovalRequest> pendingFor(String task, String tool, String digest, Instant now) {
        return Sql.one(tx.connection(), "SELECT " + COLUMNS + " FROM approval_requests WHERE task_id = ? AND tool_id = ? AND arguments_digest = ?"
                + " AND status = 'pending' AND expires_at > ? ORDER BY created_at DESC, id DESC", r -> request(r, now), task, tool, digest, now);
    }

    /** The latest denial of exactly this call, if any. */
    Optional<ApprovalRequest> deniedFor(String task, String tool, String digest, Instant now) {
        return Sql.one(tx.connection(), "SELECT " + COLUMNS + " FROM approval_requests WHERE task_id = ? AND tool_id = ? AND arguments_digest = ?"
                + " AND status = 'denied' ORDER BY decided_at DESC, id DESC", r -> request(r, now), task, tool, digest);
    }

    /** Ids of approved, unexpired grants for exactly this call, oldest approval first. */
    List<String> usableGrants(String task, String tool, String digest, Instant now) {
        return Sql.query(tx.connection(), "SELECT id FROM approval_requests WHERE task_id = ? AND tool_id = ? AND arguments_digest = ?"
                + " AND status = 'approved' AND expires_at > ? ORDER BY decided_at, id", r -> r.string("id"), task, tool, digest, now);
    }

    /**
     * Marks one grant used if it is still approved and unexpired. The condition is re-checked by the
     * UPDATE itself under the row lock, so of two racing consumers exactly one sees a count of 1.
     */
    boolean markUsed(String id, Instant now) {
        return Sql.update(tx.connection(), "UPDATE approval_requests SET status = 'used', used_at = ? WHERE id = ? AND status = 'approved' AND expires_at > ?",
                now, id, now) == 1;
    }

    void decide(String id, String status, String decidedBy, String reason, Instant decidedAt, Instant expiresAt) {
        Sql.update(tx.connection(), "UPDATE approval_requests SET status = ?, decided_by = ?, reason = ?, decided_at = ?, expires_at = ?,"
                        + " pending_key = NULL WHERE id = ?",
                status, decidedBy, reason, decidedAt, expiresAt, id);
    }

    List<ApprovalRequest> list(ApprovalQuery q, Instant now) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM approval_requests WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (q.status() != null) {
            switch (q.status()) {
                case "pending", "approved" -> {
                    sql.append(" AND status = ? AND expires_at > ?");
                    params.add(q.status());
                    params.add(now);
                }
                case "expired" -> {
                    sql.append(" AND status IN ('pending', 'approved') AND expires_at <= ?");
                    params.add(now);
                }
                default -> {
                    sql.append(" AND status = ?");
                    params.add(q.status());
                }
            }
        }
        if (q.identity() != null) { sql.append(" AND identity_id = ?"); params.add(q.identity()); }
        if (q.task() != null) { sql.append(" AND task_id = ?"); params.add(q.task()); }
        if (q.tool() != null) { sql.append(" AND tool_id = ?"); params.add(q.tool()); }
        if (q.before() != null) {
            Optional<Instant> at = Sql.one(tx.connection(), "SELECT created_at FROM approval_requests WHERE id = ?", r -> r.instant("created_at"), q.before());
            if (at.isEmpty()) return List.of();
            sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            params.add(at.get());
            params.add(at.get());
            params.add(q.before());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ").append(q.limit() + 1);
        return Sql.query(tx.connection(), sql.toString(), r -> request(r, now), params.toArray());
    }

    void insertGrant(BreakGlassGrant g) {
        Sql.update(tx.connection(), "INSERT INTO break_glass_grants (" + GRANT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                g.id(), g.identity(), Json.write(g.scope()), g.justification(), g.grantedBy(), g.createdAt(), g.expiresAt(), null, null);
    }

    Optional<BreakGlassGrant> findGrant(String id, Instant now) {
        return Sql.one(tx.connection(), "SELECT " + GRANT_COLUMNS + " FROM break_glass_grants WHERE id = ? FOR UPDATE", r -> grant(r, now), id);
    }

    List<BreakGlassGrant> activeGrants(String identity, Instant now) {
        return Sql.query(tx.connection(), "SELECT " + GRANT_COLUMNS + " FROM break_glass_grants WHERE identity_id = ? AND revoked_at IS NULL"
                + " AND expires_at > ? ORDER BY created_at DESC, id DESC", r -> grant(r, now), identity, now);
    }

    List<BreakGlassGrant> grants(String identity, boolean activeOnly, Instant now) {
        StringBuilder sql = new StringBuilder("SELECT " + GRANT_COLUMNS + " FROM break_glass_grants WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (identity != null) { sql.append(" AND identity_id = ?"); params.add(identity); }
        if (activeOnly) { sql.append(" AND revoked_at IS NULL AND expires_at > ?"); params.add(now); }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT 1000");
        return Sql.query(tx.connection(), sql.toString(), r -> grant(r, now), params.toArray());
    }

    void revokeGrant(String id, Instant at, String by) {
        Sql.update(tx.connection(), "UPDATE break_glass_grants SET revoked_at = ?, revoked_by = ? WHERE id = ?", at, by, id);
    }

    private static ApprovalRequest request(Sql.Row r, Instant now) throws SQLException {
        HeldCall call = new HeldCall(r.string("identity_id"), strings(r.string("chain")), r.string("on_behalf_of"), r.string("task_id"),
                r.string("intent"), r.string("tool_id"), r.string("arguments_digest"), r.string("summary"), r.string("risk"),
                strings(r.string("policies")), strings(r.string("approvers")));
        String status = r.string("status");
        Instant expires = r.instant("expires_at");
        if ((status.equals("pending") || status.equals("approved")) && !expires.isAfter(now)) {
            status = "expired";
        }
        return new ApprovalRequest(r.string("id"), call, status, r.instant("created_at"), expires, r.string("decided_by"),
                r.string("reason"), r.instant("decided_at"));
    }

    private static BreakGlassGrant grant(Sql.Row r, Instant now) throws SQLException {
        Instant expires = r.instant("expires_at");
        Instant revoked = r.instant("revoked_at");
        String status = revoked != null ? "revoked" : expires.isAfter(now) ? "active" : "expired";
        return new BreakGlassGrant(r.string("id"), r.string("identity_id"), strings(r.string("tools")), r.string("justification"),
                r.string("granted_by"), r.instant("created_at"), expires, status, revoked, r.string("revoked_by"));
    }

    private static List<String> strings(String json) {
        try {
            return Json.MAPPER.readValue(json, STRINGS);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("corrupt list column", e);
        }
    }
}
