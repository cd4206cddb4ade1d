package dev.gatehouse.audit;

import dev.gatehouse.core.Problem;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiRequest;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Router;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** HTTP adapter of {@link AuditTrail}: reading, exporting and tracing; nothing here writes. */
public final class AuditRoutes {
    private static final Set<String> EVENT_PARAMS = Set.of("identity", "owner", "task", "token", "type", "kind", "decision",
            "outcome", "category", "from", "to", "after", "limit", "order");
    private static final Set<String> DECISIONS = Set.of("allow", "deny", "hold");
    private static final Set<String> KINDS = Set.of("human", "workload", "agent");

    private final AuditTrail trail;

    public AuditRoutes(AuditTrail trail) { this.trail = trail; }

    public void register(Router r) {
        r.get("/v1/audit/events", Access.READ,
                "Audit records (filters: identity, owner, task, token, type, kind, decision, outcome, category, from, to; cursor: after, limit, order)",
                req -> ApiResponse.ok(trail.events(query(req))));
        r.get("/v1/audit/export", Access.READ, "Export the hash chain as JSON Lines with its checkpoints, or as OCSF 1.3 events (since: seq or ISO time; format: jsonl|ocsf)",
                this::export);
        r.get("/v1/audit/checkpoints", Access.READ, "Signed checkpoints of the chain and the JWK Set that verifies them",
                req -> {
                    long from = longParam(req, "from", 0);
                    int limit = (int) longParam(req, "limit", 1000);
                    if (limit < 1 || limit > 10_000) throw new Problem.Invalid("limit", "limit must be between 1 and 10000");
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("items", trail.checkpoints(from, limit).stream().map(JdbcAuditTrail::checkpointJson).toList());
                    body.put("jwks", trail.jwks());
                    return ApiResponse.ok(body);
                });
        r.get("/v1/audit/jwks", Access.READ, "JWK Set of the checkpoint signing keys (public keys only)",
                req -> ApiResponse.ok(trail.jwks()));
        r.get("/v1/audit/trace/{id}", Access.READ,
                "Who requested access, which identity type, what policy, how access ended: for a task, token or identity id",
                req -> ApiResponse.ok(trail.trace(req.pathParam("id"))));
    }

    private ApiResponse export(ApiRequest req) {
        req.onlyQuery("since", "format");
        String format = req.query("format").orElse("jsonl");
        if (!format.equals("jsonl") && !format.equals("ocsf")) throw new Problem.Invalid("format", "format must be jsonl or ocsf");
        long after = req.query("since").map(this::sinceToSeq).orElse(0L);
        return ApiResponse.stream(200, "application/x-ndjson", out -> writeExport(after, format.equals("ocsf"), out));
    }

    private void writeExport(long after, boolean ocsf, OutputStream out) throws java.io.IOException {
        trail.export(after, line -> {
            String text = line;
            if (ocsf) {
                com.fasterxml.jackson.databind.JsonNode node = dev.gatehouse.core.Json.MAPPER.readTree(line);
                if (node.has("checkpoint")) return; // checkpoints are for `audit verify`, not SIEM events
                text = dev.gatehouse.core.Json.write(Ocsf.event(node));
            }
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        });
        out.flush();
    }

    /** {@code since} is a seq (records after it) or an ISO-8601 instant (records at or after it). */
    private long sinceToSeq(String since) {
        if (since.chars().allMatch(Character::isDigit) && !since.isEmpty() && since.length() < 19) {
            return Long.parseLong(since);
        }
        return trail.seqBefore(instant("since", since));
    }

    static AuditQuery query(ApiRequest req) {
        req.onlyQuery(EVENT_PARAMS.toArray(String[]::new));
        String decision = req.query("decision").orElse(null);
        if (decision != null && !DECISIONS.contains(decision)) throw new Problem.Invalid("decision", "decision must be allow, deny or hold");
        String outcome = req.query("outcome").orElse(null);
        if (decision != null && outcome != null && !decision.equals(outcome)) {
            throw new Problem.Invalid("outcome", "outcome and decision disagree");
        }
        String kind = req.query("kind").orElse(null);
        if (kind != null && !KINDS.contains(kind)) throw new Problem.Invalid("kind", "kind must be human, workload or agent");
        String type = req.query("type").orElse(decision != null ? "policy.decision" : null);
        AuditEvent.Category category = null;
        if (req.query("category").isPresent()) {
            String c = req.query("category").get();
            if (!c.equals("privileged") && !c.equals("access")) throw new Problem.Invalid("category", "category must be privileged or access");
            category = AuditEvent.Category.valueOf(c.toUpperCase(Locale.ROOT));
        }
        String order = req.query("order").orElse("asc");
        if (!order.equals("asc") && !order.equals("desc")) throw new Problem.Invalid("order", "order must be asc or desc");
        Instant from = req.query("from").map(v -> instant("from", v)).orElse(null);
        Instant to = req.query("to").map(v -> instant("to", v)).orElse(null);
        if (from != null && to != null && !from.isBefore(to)) throw new Problem.Invalid("to", "to must be after from");
        Long after = req.query("after").isPresent() ? longParam(req, "after", 0) : null;
        int limit = (int) longParam(req, "limit", 100);
        if (limit < 1 || limit > AuditQuery.MAX_LIMIT) throw new Problem.Invalid("limit", "limit must be between 1 and " + AuditQuery.MAX_LIMIT);
        return new AuditQuery(blankToNull(req, "identity"), blankToNull(req, "owner"), blankToNull(req, "task"),
                blankToNull(req, "token"), type, kind, decision != null ? decision : outcome, category, from, to, after, limit,
                order.equals("desc"));
    }

    private static String blankToNull(ApiRequest req, String name) {
        return req.query(name).filter(v -> !v.isBlank()).orElse(null);
    }

    private static long longParam(ApiRequest req, String name, long fallback) {
        String v = req.query(name).orElse(null);
        if (v == null) return fallback;
        try {
            long n = Long.parseLong(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new Problem.Invalid(name, name + " must be a non-negative integer");
        }
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new Problem.Invalid(field, field + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

}
