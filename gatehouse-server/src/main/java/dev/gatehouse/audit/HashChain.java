package dev.gatehouse.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Secrets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
        fields.remove(CHAIN_FIELDS);
        node.setAll(fields);
        return node;
    }

    /**
     * An event serialised ahead of its place in the chain, by the thread that records it, so the single
     * appending thread only adds the chain fields: {@code fieldsText} is the event's members as
     * {@link Json#write} gives them (without braces), {@code canonicalMembers} each member as it appears in
     * the RFC 8785 form, sorted by name.
     */
    public record Prepared(AuditEvent event, String fieldsText, List<String> canonicalMembers, List<String> names) {
        /** Characters of the stored body, chain fields aside (the size limit applies to this). */
        public int length() { return fieldsText.length(); }
    }

    private static final List<String> CHAIN_FIELDS = List.of("seq", "time", "prev", "hash");

    public static Prepared prepare(AuditEvent event) {
        ObjectNode fields = Json.MAPPER.valueToTree(event);
        fields.remove(CHAIN_FIELDS);
        String text = Json.write(fields);
        List<String> names = new ArrayList<>();
        fields.fieldNames().forEachRemaining(names::add);
        names.sort(null); // RFC 8785 orders members by the UTF-16 code units of their names: String.compareTo
        List<String> members = topLevelMembers(Json.canonical(fields));
        if (members.size() != names.size()) throw new IllegalStateException("canonical form of " + event.type() + " lost members");
        return new Prepared(event, text.substring(1, text.length() - 1), members, names);
    }

    /** The members of a compact JSON object's text, in order: split at the commas outside strings and nested values. */
    private static List<String> topLevelMembers(String object) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 1;
        boolean inString = false;
        for (int i = 1; i < object.length() - 1; i++) {
            char ch = object.charAt(i);
            if (inString) {
                if (ch == '\\') i++; // the escaped character cannot end the string
                else if (ch == '"') inString = false;
            } else if (ch == '"') {
                inString = true;
            } else if (ch == '{' || ch == '[') {
                depth++;
            } else if (ch == '}' || ch == ']') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                out.add(object.substring(start, i));
                start = i + 1;
            }
        }
        if (object.length() > 2) out.add(object.substring(start, object.length() - 1));
        return out;
    }

    /** The stored body of {@code p} at its place: exactly {@code Json.write(body(seq, time, prev, p.event()))}. */
    public static String text(long seq, Instant time, String prev, Prepared p) {
        String chain = "{\"seq\":" + seq + ",\"time\":\"" + time + "\",\"prev\":\"" + prev + "\"";
        return p.fieldsText().isEmpty() ? chain + "}" : chain + "," + p.fieldsText() + "}";
    }

    /** The record's hash at its place: exactly {@code hash(body(seq, time, prev, p.event()))}. */
    public static String hash(long seq, Instant time, String prev, Prepared p) {
        // The three chain members merged into the event's sorted members ("prev" < "seq" < "time").
        String[] chainNames = {"prev", "seq", "time"};
        String[] chainMembers = {"\"prev\":\"" + prev + "\"", "\"seq\":" + seq, "\"time\":\"" + time + "\""};
        StringBuilder out = new StringBuilder(64 + p.fieldsText().length()).append('{');
        int c = 0;
        for (int i = 0; i < p.names().size(); i++) {
            while (c < 3 && chainNames[c].compareTo(p.names().get(i)) < 0) append(out, chainMembers[c++]);
            append(out, p.canonicalMembers().get(i));
        }
        while (c < 3) append(out, chainMembers[c++]);
        return Secrets.sha256Hex(out.append('}').toString());
    }

    private static void append(StringBuilder out, String member) {
        if (out.length() > 1) out.append(',');
        out.append(member);
    }

    /** Hash of a record: {@code hash} member ignored if present. */
    public static String hash(JsonNode record) {
        ObjectNode copy = ((ObjectNode) record).deepCopy();
        copy.remove("hash");
        return Secrets.sha256Hex(Json.canonical(copy));
    }
}
