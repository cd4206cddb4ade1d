package dev.gatehouse.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Page;
import dev.gatehouse.core.Problem;
import dev.gatehouse.store.Transactions;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link AuditTrail} over the store. Exports page through the chain in short transactions. */
public final class JdbcAuditTrail implements AuditTrail {
    private static final int EXPORT_PAGE = 1000;
    private static final int TRACE_LIMIT = AuditQuery.MAX_LIMIT;

    private final Transactions tx;
    private final AuditRepository repo;
    private final Checkpoints checkpoints;

    public JdbcAuditTrail(Transactions tx, Checkpoints checkpoints) {
        this.tx = tx;
        this.repo = new AuditRepository(tx);
        this.checkpoints = checkpoints;
    }

    @Override
    public Page<ObjectNode> events(AuditQuery query) {
        repo.catchUpIndex(); // a query sees every record committed before it started
        List<AuditRecord> rows = tx.inTransaction(() -> repo.find(query));
        boolean more = rows.size() > query.limit();
        List<ObjectNode> items = new ArrayList<>();
        for (AuditRecord r : more ? rows.subList(0, query.limit()) : rows) items.add(r.json());
        String next = more ? Long.toString(rows.get(query.limit() - 1).seq()) : null;
        return new Page<>(items, next);
    }

    @Override
    public long seqBefore(Instant since) {
        repo.catchUpIndex();
        return tx.inTransaction(() -> repo.firstSeqAt(since).map(s -> s - 1)
                .orElseGet(() -> repo.head().seq()));
    }

    @Override
    public long export(long afterSeq, LineSink out) throws IOException {
        // Fix the end first: records and checkpoints appended while streaming are left for the next
        // export, so a checkpoint is never included without the records it covers.
        long end = tx.inTransaction(() -> repo.head().seq());
        long cursor = Math.max(0, afterSeq);
        long count = 0;
        while (cursor < end) {
            long from = cursor;
            List<AuditRecord> page = tx.inTransaction(() -> repo.range(from, EXPORT_PAGE));
            if (page.isEmpty()) break;
            for (AuditRecord r : page) {
                if (r.seq() > end) return finish(afterSeq, end, count, out);
                out.line(r.line());
                count++;
                cursor = r.seq();
            }
        }
        return finish(afterSeq, end, count, out);
    }

    private long finish(long afterSeq, long end, long count, LineSink out) throws IOException {
        long from = afterSeq + 1;
        while (true) {
            List<Checkpoint> page = checkpoints.list(from, EXPORT_PAGE);
            for (Checkpoint cp : page) {
                if (cp.seq() > end) return count;
                out.line(Json.write(Map.of("checkpoint", checkpointJson(cp))));
            }
            if (page.size() < EXPORT_PAGE) return count;
            from = page.get(page.size() - 1).seq() + 1;
        }
    }

    /** The wire form of a checkpoint (the fields repeat the signed payload for convenience). */
    public static Map<String, Object> checkpointJson(Checkpoint cp) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("seq", cp.seq());
        m.put("hash", cp.hash());
        m.put("time", cp.time().toString());
        m.put("kid", cp.kid());
        m.put("jws", cp.jws());
        return m;
    }

    @Override
    public List<Checkpoint> checkpoints(long fromSeq, int limit) { return checkpoints.list(fromSeq, limit); }

    @Override
    public Map<String, Object> jwks() { return checkpoints.jwks(); }

    @Override
    public Trace trace(String id) {
        if (id == null || id.isBlank()) throw new Problem.Invalid("id", "a task id, token id or identity id is required");
        Trace.About about;
        List<ObjectNode> own;
        if (!(own = all(query(null, id, null, null))).isEmpty()) about = Trace.About.TASK;
        else if (!(own = all(query(null, null, id, null))).isEmpty()) about = Trace.About.TOKEN;
        else if (!(own = all(query(id, null, null, null))).isEmpty()) about = Trace.About.IDENTITY;
        else throw new Problem.NotFound("no audit events for task, token or identity '" + id + "'");

        // Add the lifecycle of the identity concerned and of its owner: retiring either ends the access.
        TreeMap<Long, ObjectNode> records = new TreeMap<>();
        own.forEach(r -> records.put(r.get("seq").asLong(), r));
        String subject = about == Trace.About.IDENTITY ? id : firstText(own, "subject");
        String owner = firstText(own, "owner");
        if (subject != null && about != Trace.About.IDENTITY) {
            all(query(subject, null, null, "identity.*")).forEach(r -> records.put(r.get("seq").asLong(), r));
        }
        if (owner != null) {
            all(query(owner, null, null, "identity.*")).forEach(r -> records.put(r.get("seq").asLong(), r));
        }
        return Trace.of(id, about, new ArrayList<>(records.values()));
    }

    private static AuditQuery query(String identity, String task, String token, String type) {
        return new AuditQuery(identity, null, task, token, type, null, null, null, null, null, null, TRACE_LIMIT, false);
    }

    private List<ObjectNode> all(AuditQuery query) {
        List<ObjectNode> out = new ArrayList<>();
        AuditQuery q = query;
        while (true) {
            Page<ObjectNode> page = events(q);
            out.addAll(page.items());
            if (page.next() == null || out.size() >= 20 * TRACE_LIMIT) return out;
            q = q.withCursor(Long.parseLong(page.next()));
        }
    }

    private static String firstText(List<ObjectNode> records, String field) {
        String found = null;
        for (ObjectNode r : records) {
            if (r.hasNonNull(field)) found = r.get(field).asText(); // latest wins: ownership can be reassigned
        }
        return found;
    }
}
