package dev.gatehouse.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.Json;
import java.time.Instant;
import java.util.Map;

/**
 * Maps audit records to OCSF 1.3 events for SIEMs: admin authentication to Authentication (3002),
 * identity lifecycle to Account Change (3001), everything else (policy decisions, tokens, tasks,
 * inventory and admin changes) to API Activity (6003), anomaly alerts to Detection Finding (2004). The original record, with its seq, prev
 * and hash, travels in {@code unmapped.gatehouse} so the chain stays verifiable downstream.
 */
public final class Ocsf {
    public static final String VERSION = "1.3.0";

    private record Target(int categoryUid, int classUid, String className, int activityId, String activityName) {}

    /** Account Change activity ids (OCSF 1.3 class 3001). */
    private static final Map<String, int[]> ACCOUNT_ACTIVITY = Map.of(
            "identity.create", new int[] {1}, "identity.reactivate", new int[] {2}, "identity.suspend", new int[] {5},
            "identity.retire", new int[] {6}, "identity.update", new int[] {99}, "identity.reassign", new int[] {99});
    private static final Map<Integer, String> ACCOUNT_NAMES = Map.of(1, "Create", 2, "Enable", 5, "Disable", 6, "Delete", 99, "Other");

    private Ocsf() {}

    public static ObjectNode event(JsonNode record) {
        String type = text(record, "type");
        if (type != null && type.startsWith("anomaly.")) return detectionFinding(record, type);
        Target target = target(type, record);
        String outcome = text(record, "outcome");
        boolean failed = "failure".equals(outcome) || "deny".equals(outcome);
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("category_uid", target.categoryUid());
        e.put("class_uid", target.classUid());
        e.put("class_name", target.className());
        e.put("activity_id", target.activityId());
        e.put("activity_name", target.activityName());
        e.put("type_uid", (long) target.classUid() * 100 + target.activityId());
        e.put("time", Instant.parse(text(record, "time")).toEpochMilli());
        e.put("severity_id", "privileged".equals(text(record, "category")) ? (failed ? 3 : 2) : 1);
        e.put("status_id", outcome == null ? 0 : failed ? 2 : 1);
        e.put("status", outcome == null ? "Unknown" : failed ? "Failure" : "Success");
        if (record.hasNonNull("reason")) e.put("status_detail", text(record, "reason"));
        if ("allow".equals(outcome) || "deny".equals(outcome) || "hold".equals(outcome)) {
            // disposition: 1 Allowed, 2 Blocked, 99 Other (held for approval)
            e.put("disposition_id", "allow".equals(outcome) ? 1 : "deny".equals(outcome) ? 2 : 99);
            e.put("disposition", "allow".equals(outcome) ? "Allowed" : "deny".equals(outcome) ? "Blocked" : "Held for approval");
        }
        e.put("message", type + (outcome == null ? "" : " " + outcome));

        metadata(e, record, type);

        ObjectNode actor = e.putObject("actor");
        ObjectNode actorUser = actor.putObject("user");
        String actorId = text(record, "actor");
        actorUser.put("uid", actorId);
        actorUser.put("type_id", actorId != null && actorId.startsWith("identity:") ? 99 : 3); // 3 Admin, 99 Other
        if (record.has("chain") && record.get("chain").size() > 0) {
            actor.set("authorizations", Json.MAPPER.createArrayNode().add(Json.MAPPER.createObjectNode()
                    .put("decision", outcome).set("policy", policy(record))));
        }
        if (record.hasNonNull("subject")) {
            ObjectNode user = e.putObject("user");
            user.put("uid", text(record, "subject"));
            user.put("type", text(record, "subjectKind"));
            if (record.hasNonNull("owner")) user.putObject("account").put("owner", text(record, "owner"));
        }
        if (target.classUid() == 6003) {
            ObjectNode api = e.putObject("api");
            api.put("operation", record.hasNonNull("action") ? text(record, "action") : type);
            if (record.hasNonNull("resource")) {
                e.putArray("resources").addObject().put("uid", text(record, "resource"));
            }
            if (record.hasNonNull("policyVersion") || record.path("policies").size() > 0) {
                e.set("policy", policy(record));
            }
        }
        JsonNode remote = record.path("detail").path("remote");
        if (remote.isTextual()) e.putObject("src_endpoint").put("ip", remote.asText());
        e.putObject("unmapped").set("gatehouse", record);
        return e;
    }

    /** The OCSF {@code metadata} object every event carries: version, the record's seq as uid, the product. */
    private static void metadata(ObjectNode e, JsonNode record, String type) {
        ObjectNode metadata = e.putObject("metadata");
        metadata.put("version", VERSION);
        metadata.put("uid", record.path("seq").asText());
        metadata.put("sequence", record.path("seq").asLong());
        metadata.put("log_name", "gatehouse-audit");
        metadata.put("event_code", type);
        ObjectNode product = metadata.putObject("product");
        product.put("name", "Gatehouse");
        product.put("vendor_name", "Gatehouse");
    }

    /** OCSF 1.3 severity ids by Gatehouse severity. */
    private static final Map<String, Integer> SEVERITY = Map.of("info", 1, "low", 2, "medium", 3, "high", 4, "critical", 5);

    /**
     * An anomaly alert (posture) as a Detection Finding (class 2004, category 2 Findings, activity 1 Create):
     * {@code finding_info} names the alert and its type, the identity is the affected {@code user}.
     */
    private static ObjectNode detectionFinding(JsonNode record, String type) {
        JsonNode detail = record.path("detail");
        String severity = detail.path("severity").asText("medium");
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("category_uid", 2);
        e.put("category_name", "Findings");
        e.put("class_uid", 2004);
        e.put("class_name", "Detection Finding");
        e.put("activity_id", 1);
        e.put("activity_name", "Create");
        e.put("type_uid", 200401);
        e.put("time", Instant.parse(text(record, "time")).toEpochMilli());
        e.put("severity_id", SEVERITY.getOrDefault(severity, 3));
        e.put("severity", severity.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + severity.substring(1));
        e.put("status_id", 1);
        e.put("status", "New");
        e.put("message", type + " " + text(record, "subject"));
        ObjectNode info = e.putObject("finding_info");
        info.put("uid", detail.path("alert").asText(record.path("seq").asText()));
        info.put("title", "Gatehouse anomaly: " + type.substring("anomaly.".length()).replace('_', ' ') + " by " + text(record, "subject"));
        info.putArray("types").add(type);
        if (detail.hasNonNull("occurredAt")) info.put("first_seen_time", Instant.parse(detail.get("occurredAt").asText()).toEpochMilli());
        info.putObject("analytic").put("name", "gatehouse-baseline").put("type_id", 2).put("type", "Behavioral");
        metadata(e, record, type);
        if (record.hasNonNull("subject")) {
            ObjectNode user = e.putObject("user");
            user.put("uid", text(record, "subject"));
            if (record.hasNonNull("subjectKind")) user.put("type", text(record, "subjectKind"));
            if (record.hasNonNull("owner")) user.putObject("account").put("owner", text(record, "owner"));
        }
        if (record.hasNonNull("resource")) e.putArray("resources").addObject().put("uid", text(record, "resource"));
        e.putObject("unmapped").set("gatehouse", record);
        return e;
    }

    private static ObjectNode policy(JsonNode record) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        if (record.path("policies").size() > 0) p.put("uid", String.join(",", Json.MAPPER.convertValue(record.get("policies"), String[].class)));
        if (record.hasNonNull("policyVersion")) p.put("version", text(record, "policyVersion"));
        p.put("name", "cedar");
        return p;
    }

    private static Target target(String type, JsonNode record) {
        if ("admin.auth".equals(type)) {
            return new Target(3, 3002, "Authentication", 1, "Logon");
        }
        int[] account = ACCOUNT_ACTIVITY.get(type);
        if (account != null) {
            return new Target(3, 3001, "Account Change", account[0], ACCOUNT_NAMES.get(account[0]));
        }
        // API Activity: 1 Create, 2 Read, 3 Update, 4 Delete, 99 Other
        String verb = type.substring(type.lastIndexOf('.') + 1);
        String action = text(record, "action");
        int activity;
        if ("policy.decision".equals(type) || type.startsWith("gateway.")) {
            activity = "read".equals(action) ? 2 : "write".equals(action) ? 3 : 99;
        } else if (verb.equals("create") || verb.equals("issued") || verb.equals("started") || verb.equals("bootstrap")) {
            activity = 1;
        } else if (verb.equals("delete") || verb.equals("revoke") || verb.equals("revoked")) {
            activity = 4;
        } else if (verb.equals("update") || verb.equals("classify") || verb.equals("activated") || verb.equals("pushed")) {
            activity = 3;
        } else {
            activity = 99;
        }
        String name = switch (activity) {
            case 1 -> "Create";
            case 2 -> "Read";
            case 3 -> "Update";
            case 4 -> "Delete";
            default -> "Other";
        };
        return new Target(6, 6003, "API Activity", activity, name);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
