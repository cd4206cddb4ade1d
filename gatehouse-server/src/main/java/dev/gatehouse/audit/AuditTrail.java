package dev.gatehouse.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.Page;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reading the audit log: queries, exports, checkpoints and traces. Writing is {@link AuditLog}. */
public interface AuditTrail {
    /** Records matching {@code query}, as JSON objects (the export line format); {@code next} is a seq cursor. */
    Page<ObjectNode> events(AuditQuery query);

    /** Where an export starts: after this seq. */
    long seqBefore(Instant since);

    /**
     * Writes records with seq &gt; {@code afterSeq} up to the head at call time, one JSON object per line,
     * then one {@code {"checkpoint":…}} line per checkpoint within that range. Returns the number of records.
     */
    long export(long afterSeq, LineSink out) throws IOException;

    List<Checkpoint> checkpoints(long fromSeq, int limit);

    /** Public keys of every checkpoint signer, as a JWK Set. */
    Map<String, Object> jwks();

    /** The four answers for a task id, token id or identity id. */
    Trace trace(String id);

    @FunctionalInterface
    interface LineSink {
        void line(String json) throws IOException;
    }
}
