package dev.gatehouse.credentials;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.gatehouse.core.Json;
import dev.gatehouse.registry.Scope;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL of tasks and issued tokens; used inside the caller's transaction. */
final class TaskRepository {
    private static final String TASK_COLUMNS = "t.id, t.identity_id, t.owner_id, t.intent, t.scope_json, t.attested, t.status, "
            + "t.created_at, t.expires_at, t.ended_at, t.ended_by, t.end_reason, t.use_case, t.data_ceiling, t.destinations_json, "
            + "t.auth_method, t.auth_issuer, i.kind";
    private static final String TASK_FROM = " FROM tasks t JOIN identities i ON i.id = t.identity_id";

    /** One row of {@code access_tokens}. */
    /** @param credentials the credential bindings of every hop that minted the token (inherited from the parent, then its own) */
    record TokenRow(String jti, String taskId, String identity, String holder, String parentJti, List<String> chain,
                    Scope scope, Instant issuedAt, Instant expiresAt, Instant revokedAt, List<CredentialBinding> credentials) {}

    private final Transactions tx;
    private Runnable tokensEnded = () -> {};

    TaskRepository(Transactions tx) { this.tx = tx; }

    /** Runs {@code then} in every write transaction that ends tasks or tokens (the live check's caches follow its commit). */
    void onTokensEnded(Runnable then) { this.tokensEnded = then; }

    private void ended() { tokensEnded.run(); }

    private Connection c() { return tx.connection(); }

    void insertTask(Task t, String credentialId) {
        Sql.update(c(), "INSERT INTO tasks (id, identity_id, owner_id, intent, scope_json, credential_id, attested, status, created_at, expires_at, "
                        + "use_case, data_ceiling, destinations_json, auth_method, auth_issuer) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?)",
                t.id(), t.identity(), t.owner(), t.intent(), Json.write(t.scope()), credentialId, t.attested(), t.createdAt(), t.expiresAt(),
                t.useCase(), t.dataCeiling(), Json.write(t.destinations()), t.authMethod(), t.authIssuer());
    }

    Optional<Task> task(String id, Instant now, boolean lock) {
        if (lock) {
            // Lock the task row alone (H2 has no FOR UPDATE OF), then read it with its identity's kind.
            Sql.one(c(), "SELECT id FROM tasks WHERE id = ? FOR UPDATE", r -> r.string("id"), id);
        }
        return Sql.one(c(), "SELECT " + TASK_COLUMNS + TASK_FROM + " WHERE t.id = ?", r -> task(r, now), id);
    }

    List<Task> tasks(TaskQuery q, Instant now) {
        StringBuilder sql = new StringBuilder("SELECT " + TASK_COLUMNS + TASK_FROM + " WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (q.identity() != null) {
            sql.append(" AND t.identity_id = ?");
            params.add(q.identity());
        }
        if (q.status() != null) {
            switch (q.status()) {
                case "active" -> { sql.append(" AND t.status = 'active' AND t.expires_at > ?"); params.add(now); }
                case "expired" -> { sql.append(" AND t.status = 'active' AND t.expires_at <= ?"); params.add(now); }
                default -> { sql.append(" AND t.status = ?"); params.add(q.status()); }
            }
        }
        sql.append(" ORDER BY t.created_at DESC, t.id LIMIT ").append(q.limit());
        return Sql.query(c(), sql.toString(), r -> task(r, now), params.toArray());
    }

    /** Ends one task; false when it was no longer active. */
    boolean endTask(String id, String status, Instant now, String actor, String reason) {
        ended();
        return Sql.update(c(), "UPDATE tasks SET status = ?, ended_at = ?, ended_by = ?, end_reason = ? WHERE id = ? AND status = 'active'",
                status, now, actor, reason, id) == 1;
    }

    /** Revokes the live tasks of an identity; returns their ids. */
    List<String> revokeTasksOf(String identity, Instant now, String actor, String reason) {
        ended();
        List<String> ids = Sql.query(c(), "SELECT id FROM tasks WHERE identity_id = ? AND status = 'active'", r -> r.string("id"), identity);
        Sql.update(c(), "UPDATE tasks SET status = 'revoked', ended_at = ?, ended_by = ?, end_reason = ? WHERE identity_id = ? AND status = 'active'",
                now, actor, reason, identity);
        return ids;
    }

    List<String> liveTasksOwnedBy(String owner) {
        return Sql.query(c(), "SELECT id FROM tasks WHERE owner_id = ? AND status = 'active'", r -> r.string("id"), owner);
    }

    void insertToken(TokenRow t, String kid) {
        Sql.update(c(), "INSERT INTO access_tokens (jti, task_id, identity_id, holder_id, parent_jti, depth, chain_json, scope_json, kid, "
                        + "issued_at, expires_at, credentials_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                t.jti(), t.taskId(), t.identity(), t.holder(), t.parentJti(), t.chain().size() - 1, Json.write(t.chain()),
                Json.write(t.scope()), kid, t.issuedAt(), t.expiresAt(), Json.write(t.credentials()));
    }

    Optional<TokenRow> token(String jti) {
        return Sql.one(c(), "SELECT jti, task_id, identity_id, holder_id, parent_jti, chain_json, scope_json, issued_at, expires_at, revoked_at, "
                + "credentials_json FROM access_tokens WHERE jti = ?", TaskRepository::token, jti);
    }

    int revokeTokensOfTask(String taskId, Instant now, String actor, String reason) {
        ended();
        return Sql.update(c(), "UPDATE access_tokens SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE task_id = ? AND revoked_at IS NULL",
                now, actor, reason, taskId);
    }

    /** Revokes every token whose delegation chain includes the identity (as subject, intermediary or holder). */
    int revokeTokensInvolving(String identity, Instant now, String actor, String reason) {
        ended();
        // Ids are slugs, so the quoted id matches exactly one JSON array element, never a substring of another id.
        return Sql.update(c(), "UPDATE access_tokens SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE chain_json LIKE ? AND revoked_at IS NULL",
                now, actor, reason, "%\"" + identity + "\"%");
    }

    /** Revokes a token and, transitively, every token delegated from it; returns how many. */
    int revokeTokenTree(String jti, Instant now, String actor, String reason) {
        ended();
        int n = 0;
        List<String> todo = new ArrayList<>(List.of(jti));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            n += Sql.update(c(), "UPDATE access_tokens SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE jti = ? AND revoked_at IS NULL",
                    now, actor, reason, next);
            todo.addAll(Sql.query(c(), "SELECT jti FROM access_tokens WHERE parent_jti = ?", r -> r.string("jti"), next));
        }
        return n;
    }

    private static Task task(Sql.Row r, Instant now) throws SQLException {
        String status = r.string("status");
        Instant expires = r.instant("expires_at");
        Instant ended = r.instant("ended_at");
        if (status.equals("active") && !expires.isAfter(now)) {
            status = "expired"; // expired tasks end by themselves, at their deadline
            ended = expires;
        }
        String destinations = r.string("destinations_json");
        return new Task(r.string("id"), r.string("identity_id"), r.string("kind"), r.string("owner_id"), r.string("intent"),
                Json.read(r.string("scope_json"), Scope.class), status, r.bool("attested"), r.instant("created_at"), expires,
                ended, r.string("ended_by"), r.string("end_reason"), r.string("use_case"), (int) r.longOr("data_ceiling", 3),
                destinations == null ? Task.ANY_DESTINATION : List.of(Json.read(destinations, String[].class)),
                r.string("auth_method"), r.string("auth_issuer"));
    }

    private static TokenRow token(Sql.Row r) throws SQLException {
        List<String> chain;
        List<CredentialBinding> credentials;
        try {
            chain = Json.MAPPER.readValue(r.string("chain_json"), new TypeReference<List<String>>() {});
            String bound = r.string("credentials_json");
            credentials = bound == null ? List.of() : Json.MAPPER.readValue(bound, new TypeReference<List<CredentialBinding>>() {});
        } catch (Exception e) {
            throw new SQLException("stored chain or credentials do not decode");
        }
        return new TokenRow(r.string("jti"), r.string("task_id"), r.string("identity_id"), r.string("holder_id"), r.string("parent_jti"),
                chain, Json.read(r.string("scope_json"), Scope.class), r.instant("issued_at"), r.instant("expires_at"), r.instant("revoked_at"),
                credentials);
    }
}
