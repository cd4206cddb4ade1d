package dev.gatehouse.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Secrets;
import java.time.Instant;

/**
 * The chain rule, in one place for the writer and the offline verifier: a record is a JSON object
 * {@code {seq, time, prev, …event fields, hash}} whose {@code hash} is the hex SHA-256 of the
 * RFC 8785 (JCS) canonical form of the same object without {@code hash}. {@code prev} is the
 * previous record's hash, {@link #GENESIS} for seq 1. Canonicalisation makes the hash
 * independent of member order and whitespace, so any JSON tool can re-verify an export.
 */
public final class HashChain {
    public static final String GENESIS = "0".repeat(64);

    private HashChain() {}

    /** The record body that gets hashed: chain fields first, then the event's non-null fields. */
    public static ObjectNode body(long seq, Instant time, String prev, AuditEvent event) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("seq", seq);
        node.put("time", time.toString());
        node.put("prev", prev);
        ObjectNode fields = Json.MAPPER.valueToTree(event);
        fields.remove(java.util.List.of("seq", "time", "prev", "hash"));
        node.setAll(fields);
        return node;
    }

    /** Hash of a record: {@code hash} member ignored if present. */
    public static String hash(JsonNode record) {
        ObjectNode copy = ((ObjectNode) record).deepCopy();
        copy.remove("hash");
        return Secrets.sha256Hex(Json.canonical(copy));
    }
}
