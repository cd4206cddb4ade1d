package dev.gatehouse.posture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.core.Json;
import dev.gatehouse.testing.TestGatehouse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The world of the posture tests: a real server on a clock the test moves, an inventory built through
 * the API, task tokens through {@code POST /oauth2/token}, and gateway history written through the real
 * audit log (each record at the instant the test clock shows).
 */
final class PostureFixture {
    /** A clock tests move by hand, so ages, deadlines and baselines are tested without waiting. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant start) { this.now = start; }

        void advance(Duration d) { now = now.plus(d); }

        void set(Instant t) { now = t; }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    static final HttpClient HTTP = HttpClient.newHttpClient();

    final TestGatehouse gh;
    final TestClock clock;

    PostureFixture(TestGatehouse gh, TestClock clock) {
        this.gh = gh;
        this.clock = clock;
    }

    static String resource(String name) throws Exception {
        try (var in = PostureFixture.class.getResourceAsStream("/posture/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    JsonNode human(String id) {
        return gh.client().post("v1/identities", Map.of("id", id, "kind", "human", "displayName", id, "email", id + "@example.com"));
    }

    JsonNode workload(String id, String owner, String env, List<String> tools, List<String> effects) {
        return gh.client().post("v1/identities", Map.of("id", id, "kind", "workload", "displayName", id, "owner", owner, "purpose",
                "posture test " + id, "environment", env, "scope", Map.of("tools", tools, "effects", effects)));
    }

    JsonNode agent(String id, String owner, String env, String autonomy, List<String> tools, List<String> effects) {
        return gh.client().post("v1/identities", Map.of("id", id, "kind", "agent", "displayName", id, "owner", owner, "purpose",
                "posture test " + id, "environment", env, "autonomy", autonomy, "scope", Map.of("tools", tools, "effects", effects)));
    }

    /** A new client secret of {@code identity}: {@code [credentialId, secret]}. */
    String[] secret(String identity) {
        JsonNode c = gh.client().post("v1/identities/" + identity + "/credentials", Map.of("type", "client_secret"));
        return new String[] {c.path("credential").path("id").asText(c.path("id").asText()), c.path("secret").asText()};
    }

    String approverToken(String human) {
        return gh.client().post("v1/identities/" + human + "/approver-tokens", Map.of("name", "laptop")).path("token").asText();
    }

    /** {@code POST /oauth2/token} with client_secret_basic and the given User-Agent. */
    HttpResponse<String> token(String identity, String secret, String userAgent) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gh.baseUri().resolve("oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((identity + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&task_intent=posture+test"));
        if (userAgent != null) b.header("User-Agent", userAgent);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> http(String method, String path, Object body, String token) throws Exception {
        return gh.http(method, path, body == null ? null : Json.write(body), token);
    }

    JsonNode json(HttpResponse<String> r) throws Exception { return Json.MAPPER.readTree(r.body()); }

    /** The audit records of {@code type} (a trailing * is a prefix), oldest first. */
    List<JsonNode> audit(String type) {
        List<JsonNode> out = new java.util.ArrayList<>();
        gh.client().get("v1/audit/events", Map.of("type", type, "limit", "1000")).path("items").forEach(out::add);
        return out;
    }

    /** A gateway call of {@code identity}, allowed, recorded now (on the test clock) through the real audit log. */
    void call(String identity, String tool, String effect, String destination, List<String> findings) {
        String server = tool.substring(0, tool.indexOf('/'));
        Map<String, Object> detail = new TreeMap<>();
        detail.put("callId", "call_" + Long.toHexString(System.nanoTime()));
        detail.put("method", "tools/call");
        detail.put("server", server);
        detail.put("object", "tool");
        detail.put("risk", "low");
        detail.put("destination", destination);
        detail.put("classification", findings.isEmpty() ? "public" : "restricted");
        detail.put("findings", findings);
        detail.put("hops", List.of(Map.of("identity", identity, "kind", "agent", "outcome", "allow", "policies", List.of("p"))));
        gh.gatehouse().audit().record(AuditEvent.of("gateway.call", "read".equals(effect) ? AuditEvent.Category.ACCESS
                        : AuditEvent.Category.PRIVILEGED, "allow", "identity:" + identity)
                .withSubject(identity, "agent", "alice").withTask("task_hist", "jti_hist").withAction(effect, tool).withDetail(detail));
    }

    /** What a call returned, classified {@code classification}. */
    void result(String identity, String tool, String effect, String classification) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("callId", "call_r");
        detail.put("method", "tools/call");
        detail.put("server", tool.substring(0, tool.indexOf('/')));
        detail.put("resultClassification", classification);
        detail.put("resultFindings", List.of());
        detail.put("resultBytes", 120);
        gh.gatehouse().audit().record(AuditEvent.of("gateway.result", AuditEvent.Category.ACCESS, "success", "identity:" + identity)
                .withSubject(identity, "agent", "alice").withTask("task_hist", "jti_hist").withAction(effect, tool).withDetail(detail));
    }

    static void assertOk(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    }

    static Path write(Path dir, String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    static URI uri(String s) { return URI.create(s); }
}
