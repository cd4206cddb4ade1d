package dev.gatehouse.posture.activity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.inspection.Classification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One thing an identity really did through the gateway, read from the audit trail: a governed call
 * that was allowed ({@code gateway.call}, outcome allow) or what such a call returned
 * ({@code gateway.result}, outcome success). The identity is the record's subject: the token holder,
 * the hop that presented the token. Refused and held calls are not usage. A task token issued
 * ({@code token.issued}) is an authentication: it says which method and which client software
 * ({@code tool} = the User-Agent product, {@code effect} = the method) the identity used.
 *
 * @param tool        the governed object's scope id ({@code crm/lookup}, {@code crm/resource:hr://x}, {@code crm/prompt:p})
 * @param effect      {@code read}, {@code write} or {@code execute}
 * @param destination {@code internal} or {@code external} (calls only)
 * @param level       classification level of what came back (results only), else -1
 * @param findings    content finding types in what the call sent (calls only)
 */
public record Activity(long seq, Instant time, Kind kind, String identity, String tool, String effect, String server,
                       String destination, int level, List<String> findings) {

    /** CALL and RESULT come from the gateway; AUTH is a task token issued ({@code token.issued}): {@code tool} is then the client product. */
    public enum Kind { CALL, RESULT, AUTH }

    public Activity {
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** The activity an audit record shows, or empty for every other record. */
    public static Optional<Activity> of(JsonNode record) {
        String type = record.path("type").asText("");
        String outcome = record.path("outcome").asText("");
        String subject = record.path("subject").asText(null);
        if (type.equals("token.issued") && outcome.equals("success") && subject != null) {
            JsonNode d = record.path("detail");
            return Optional.of(new Activity(record.path("seq").asLong(), Instant.parse(record.path("time").asText()), Kind.AUTH, subject,
                    d.path("client").asText(null), d.path("method").asText(null), null, null, -1, List.of()));
        }
        String tool = record.path("resource").asText(null);
        if (subject == null || tool == null) return Optional.empty();
        JsonNode detail = record.path("detail");
        long seq = record.path("seq").asLong();
        Instant time = Instant.parse(record.path("time").asText());
        String effect = record.path("action").asText(null);
        String server = detail.path("server").asText(serverOf(tool));
        if (type.equals("gateway.call") && outcome.equals("allow")) {
            List<String> findings = new ArrayList<>();
            detail.path("findings").forEach(f -> findings.add(f.asText()));
            return Optional.of(new Activity(seq, time, Kind.CALL, subject, tool, effect, server, detail.path("destination").asText(null),
                    -1, findings));
        }
        if (type.equals("gateway.result") && outcome.equals("success")) {
            int level = -1;
            String classification = detail.path("resultClassification").asText(null);
            if (classification != null) {
                try {
                    level = Classification.parse(classification).level();
                } catch (RuntimeException e) {
                    level = -1; // a classification this version does not know is not a read level
                }
            }
            return Optional.of(new Activity(seq, time, Kind.RESULT, subject, tool, effect, server, null, level, List.of()));
        }
        return Optional.empty();
    }

    private static String serverOf(String scopeId) {
        int slash = scopeId.indexOf('/');
        return slash < 0 ? scopeId : scopeId.substring(0, slash);
    }
}
