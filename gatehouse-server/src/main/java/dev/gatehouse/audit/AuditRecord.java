package dev.gatehouse.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.Json;

/**
 * One appended record as stored and exported: the hashed body ({@code seq, time, prev} and the
 * event's fields) plus its {@code hash}. {@link #json()} is exactly one line of an export.
 */
public record AuditRecord(long seq, String hash, String body) {

    /** The record as a JSON object: body members followed by {@code hash}. */
    public ObjectNode json() {
        try {
            ObjectNode node = (ObjectNode) Json.MAPPER.readTree(body);
            node.put("hash", hash);
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored audit record " + seq + " is not JSON", e);
        }
    }

    /** One export line. Spliced rather than re-encoded: exports stream millions of these. */
    public String line() {
        return body.substring(0, body.length() - 1) + ",\"hash\":\"" + hash + "\"}";
    }
}
