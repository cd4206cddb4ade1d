package dev.gatehouse.audit;

import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** JDBC storage of the chain, its query index, checkpoints and checkpoint keys. Runs inside the caller's transaction (except {@link #catchUpIndex}). */
final class AuditRepository {
    record Head(long seq, String hash) {}

    private static final String INSERT = "INSERT INTO audit_events (seq, at, type, category, outcome, actor, subject, "
            + "subject_kind, owner_id, task_id, token_id, resource, prev_hash, hash, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Transactions tx;

    AuditRepository(Transactions tx) { this.tx = tx; }

    /**
     * Appends events after the current head. Must run inside a transaction: the no-op UPDATE takes
     * the head's row lock first, so a concurrent appender (another thread or another node) waits
     * until this transaction ends and then reads the head this one wrote.
     */
    List<AuditRecord> append(List<HashChain.Prepared> events, Clock clock) {
        var c = tx.connection();
        Sql.update(c, "UPDATE audit_head SET seq = seq WHERE id = 1");
        Head head = head();
        long seq = head.seq();
        String prev = head.hash();
        List<Object[]> rows = new ArrayList<>(events.size());
        List<AuditRecord> out = new ArrayList<>(events.size());
        for (HashChain.Prepared p : events) {
            seq++;
            AuditEvent e = p.event();
            // Millisecond precision: what every store and every JSON consumer keeps exactly.
            Instant time = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            String hash = HashChain.hash(seq, time, prev, p);
            String text = HashChain.text(seq, time, prev, p);
            rows.add(new Object[] {seq, time, e.type(), e.category(), e.outcome(), e.actor(), e.subject(), e.subjectKind(),
                    e.owner(), e.task(), e.tokenId(), e.resource(), prev, hash, text});
            out.add(new AuditRecord(seq, hash, text));
            prev = hash;
        }
        Sql.batch(c, INSERT, rows);
        Sql.update(c, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", seq, prev);
        return out;
    }

    private static final String INDEX_COLUMNS = "seq, at, type, category, outcome, actor, subject, subject_kind, owner_id, task_id, token_id, resource";
    private static final String INDEX_INSERT = "INSERT INTO audit_index (" + INDEX_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * Copies up to {@code max} records not yet in {@code audit_index} into it; the number copied. The
     * no-op UPDATE takes the index head's lock first, so two indexers (threads or nodes) never copy the
     * same records: the second waits, then reads the head the first one wrote. Records are visible in
     * seq order (appends hold the chain head's lock until they commit), so the index is always a prefix
     * of the chain.
     */
    private int indexPending(int max) {
        var c = tx.connection();
        if (!indexBehind()) return 0; // reads only: the common case takes no lock
        Sql.update(c, "UPDATE audit_index_head SET seq = seq WHERE id = 1");
        long indexed = indexedSeq();
        List<Object[]> rows = Sql.query(c, "SELECT " + INDEX_COLUMNS + " FROM audit_events WHERE seq > ? ORDER BY seq LIMIT " + max,
                r -> new Object[] {r.longValue("seq"), r.instant("at"), r.string("type"), r.string("category"), r.string("outcome"),
                        r.string("actor"), r.string("subject"), r.string("subject_kind"), r.string("owner_id"), r.string("task_id"),
                        r.string("token_id"), r.string("resource")}, indexed);
        if (rows.isEmpty()) return 0;
        Sql.batch(c, INDEX_INSERT, rows);
        Sql.update(c, "UPDATE audit_index_head SET seq = ? WHERE id = 1", rows.get(rows.size() - 1)[0]);
        return rows.size();
    }

    private static final int INDEX_BATCH = 2_000;

    /**
     * Copies every committed record not yet in {@code audit_index} into it, in transactions of its own of
     * {@value #INDEX_BATCH} records at most; call it outside a transaction.
     */
    void catchUpIndex() {
        while (tx.inTransaction(() -> indexPending(INDEX_BATCH)) == INDEX_BATCH) {
            // a full batch: there may be more
        }
    }

    private boolean indexBehind() {
        return head().seq() > indexedSeq();
    }

    private long indexedSeq() {
        return Sql.one(tx.connection(), "SELECT seq FROM audit_index_head WHERE id = 1", r -> r.longValue("seq")).orElse(0L);
    }

    /** The newest record, read from the chain itself (the audit_head row is the append lock). */
    Head head() {
        return Sql.one(tx.connection(), "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
                r -> new Head(r.longValue("seq"), r.string("hash"))).orElse(new Head(0, HashChain.GENESIS));
    }

    /** Records with seq > {@code after}, oldest first (export, verification). */
    List<AuditRecord> range(long after, int limit) {
        return Sql.query(tx.connection(), "SELECT seq, hash, body FROM audit_events WHERE seq > ? ORDER BY seq LIMIT " + limit,
                AuditRepository::record, after);
    }

    Optional<Long> firstSeqAt(Instant since) {
        return Sql.one(tx.connection(), "SELECT MIN(seq) AS s FROM audit_index WHERE at >= ?", r -> r.longValue("s"), since)
                .filter(java.util.Objects::nonNull);
    }

    List<AuditRecord> find(AuditQuery q) {
        // Filters read the derived index (callers bring it up to the head first: catchUpIndex); the records come from the chain.
        StringBuilder sql = new StringBuilder("SELECT e.seq, e.hash, e.body FROM audit_index i JOIN audit_events e ON e.seq = i.seq WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (q.identity() != null) {
            sql.append(" AND (i.subject = ? OR i.actor = ? OR i.resource = ?)");
            params.add(q.identity());
            params.add("identity:" + q.identity());
            params.add(q.identity());
        }
        eq(sql, params, "i.owner_id", q.owner());
        eq(sql, params, "i.task_id", q.task());
        eq(sql, params, "i.token_id", q.token());
        eq(sql, params, "i.subject_kind", q.kind());
        eq(sql, params, "i.outcome", q.outcome());
        if (q.category() != null) eq(sql, params, "i.category", q.category().wire());
        if (q.type() != null) {
            if (q.type().endsWith("*")) {
                sql.append(" AND i.type LIKE ?");
                params.add(q.type().substring(0, q.type().length() - 1).replace("%", "").replace("_", "\\_") + "%");
            } else {
                eq(sql, params, "i.type", q.type());
            }
        }
        if (q.from() != null) { sql.append(" AND i.at >= ?"); params.add(q.from()); }
        if (q.to() != null) { sql.append(" AND i.at < ?"); params.add(q.to()); }
        if (q.cursor() != null) {
            sql.append(q.newestFirst() ? " AND i.seq < ?" : " AND i.seq > ?");
            params.add(q.cursor());
        }
        sql.append(" ORDER BY i.seq ").append(q.newestFirst() ? "DESC" : "ASC").append(" LIMIT ").append(q.limit() + 1);
        return Sql.query(tx.connection(), sql.toString(), AuditRepository::record, params.toArray());
    }

    private static void eq(StringBuilder sql, List<Object> params, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
    }

    private static AuditRecord record(Sql.Row r) throws java.sql.SQLException {
        return new AuditRecord(r.longValue("seq"), r.string("hash"), r.string("body"));
    }

    // --- checkpoints and keys

    void insertCheckpoint(Checkpoint cp) {
        Sql.update(tx.connection(), "INSERT INTO audit_checkpoints (seq, hash, at, kid, jws) VALUES (?, ?, ?, ?, ?)",
                cp.seq(), cp.hash(), cp.time(), cp.kid(), cp.jws());
    }

    Optional<Checkpoint> lastCheckpoint() {
        return Sql.one(tx.connection(), "SELECT seq, hash, at, kid, jws FROM audit_checkpoints ORDER BY seq DESC LIMIT 1",
                AuditRepository::checkpoint);
    }

    List<Checkpoint> checkpoints(long fromSeq, int limit) {
        return Sql.query(tx.connection(), "SELECT seq, hash, at, kid, jws FROM audit_checkpoints WHERE seq >= ? ORDER BY seq LIMIT " + limit,
                AuditRepository::checkpoint, fromSeq);
    }

    private static Checkpoint checkpoint(Sql.Row r) throws java.sql.SQLException {
        return new Checkpoint(r.longValue("seq"), r.string("hash"), r.instant("at"), r.string("kid"), r.string("jws"));
    }

    void registerKey(String kid, String publicJwk, Instant now) {
        if (Sql.one(tx.connection(), "SELECT kid FROM audit_keys WHERE kid = ?", r -> r.string("kid"), kid).isEmpty()) {
            Sql.update(tx.connection(), "INSERT INTO audit_keys (kid, public_jwk, created_at) VALUES (?, ?, ?)", kid, publicJwk, now);
        }
    }

    List<String> publicKeys() {
        return Sql.query(tx.connection(), "SELECT public_jwk FROM audit_keys ORDER BY created_at, kid", r -> r.string("public_jwk"));
    }
}
