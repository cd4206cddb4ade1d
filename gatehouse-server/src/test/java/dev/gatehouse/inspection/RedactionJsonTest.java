package dev.gatehouse.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The gateway masks tool results as JSON text and parses them again: redaction must keep any JSON
 * valid (escapes, JSON inside JSON strings, control characters, non-ASCII) and leave none of the
 * sensitive values behind, plain or encoded. Random documents, fixed seeds.
 */
class RedactionJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4\n"
            + "/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvuNMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s\n-----END PRIVATE KEY-----";
    /** Sensitive values whose every occurrence must be masked. */
    private static final List<String> SENSITIVE = List.of("4111 1111 1111 1111", "5555555555554444", "amara.okafor@northwind-mail.net",
            "DE89370400440532013000", "AKIAIOSFODNN7EXAMPLE", DetectorsTest.GHP, DetectorsTest.JWT, "536-22-1234", "+44 20 7946 0958",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            // encoded forms: masked whole (base64, hex) or over their own characters (percent escapes)
            EncodedContentTest.base64("4111 1111 1111 1111"), EncodedContentTest.hex("AKIAIOSFODNN7EXAMPLE"),
            EncodedContentTest.percent("amara.okafor@northwind-mail.net"), EncodedContentTest.base64url("536-22-1234"),
            EncodedContentTest.base64(EncodedContentTest.PEM));
    /** What must be gone: the values, and a piece of the private key's body. */
    private static final List<String> MUST_BE_MASKED = java.util.stream.Stream.concat(SENSITIVE.stream(),
            java.util.stream.Stream.of("7NXp98C3SC6dVMvDuictGeurT8jNbvJZ")).toList();
    private static final List<String> FILLER = List.of("order", "shipped", "Grüße", "日本語", "😀", "a\"quoted\"word", "back\\slash", "tab\there",
            "line\nbreak", "ctrl\u0001char", "{", "}", "[", "]", ":", "=", "\\n", "\\\"", "12.5", "2026-11-23", "https://example.com/x?y=1");
    private static final List<String> SEPARATORS = List.of(" ", "\n", ", ", "\t", " (", ") ", ": ", "\"", "'", "\r\n");

    @Test
    void redactedJsonParsesAndHoldsNoSensitiveValue() throws Exception {
        Inspector inspector = DefaultInspector.withDefaults();
        for (int seed = 0; seed < 1000; seed++) {
            Random r = new Random(seed);
            JsonNode doc = object(r, 0);
            String text = JSON.writeValueAsString(doc);
            Inspector.Redaction red = inspector.redact(text, Set.of());
            JsonNode parsed = JSON.readTree(red.content()); // throws if redaction broke the JSON
            String all = flatten(parsed, new StringBuilder()).toString();
            for (String value : MUST_BE_MASKED) {
                assertThat(all).as("seed %d", seed).doesNotContain(value);
            }
            assertThat(inspector.inspect(red.content(), Set.of()).findings()).as("seed %d re-inspected", seed).isEmpty();
        }
    }

    private static ObjectNode object(Random r, int depth) throws Exception {
        ObjectNode o = JSON.createObjectNode();
        String[] keys = {"text", "password", "email", "data", "note", "token", "id", "items"};
        int fields = 1 + r.nextInt(5);
        for (int i = 0; i < fields; i++) {
            String key = keys[r.nextInt(keys.length)] + i;
            int kind = r.nextInt(depth < 2 ? 5 : 3);
            switch (kind) {
                case 0, 1 -> o.put(key, text(r));
                case 2 -> o.put(key, r.nextInt(100000));
                case 3 -> o.put("json" + i, JSON.writeValueAsString(object(r, depth + 1))); // JSON inside a JSON string
                default -> {
                    ArrayNode a = o.putArray(key);
                    for (int k = 0; k < 1 + r.nextInt(3); k++) a.add(object(r, depth + 1));
                }
            }
        }
        return o;
    }

    private static String text(Random r) {
        StringBuilder sb = new StringBuilder();
        int parts = 1 + r.nextInt(8);
        for (int i = 0; i < parts; i++) {
            if (i > 0) sb.append(SEPARATORS.get(r.nextInt(SEPARATORS.size())));
            sb.append(r.nextInt(3) == 0 ? pick(r, SENSITIVE, true) : pick(r, FILLER, false));
        }
        return sb.toString();
    }

    private static String pick(Random r, List<String> list, boolean sensitive) {
        if (sensitive && r.nextInt(10) == 0) return PEM;
        return list.get(r.nextInt(list.size()));
    }

    private static StringBuilder flatten(JsonNode node, StringBuilder out) throws Exception {
        if (node.isTextual()) {
            out.append(node.asText()).append('\u0000');
        } else if (node.isObject()) {
            for (var it = node.properties().iterator(); it.hasNext(); ) {
                var field = it.next();
                flatten(field.getValue(), out);
                if (field.getKey().startsWith("json")) { // a string that holds JSON: its decoded content must parse and be clean too
                    try {
                        flatten(JSON.readTree(field.getValue().asText()), out);
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new AssertionError("redaction broke JSON inside a string: " + field.getValue().asText(), e);
                    }
                }
            }
        } else {
            for (JsonNode child : node) flatten(child, out);
        }
        return out;
    }
}
