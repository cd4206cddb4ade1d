package dev.gatehouse.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestGatehouse;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Test fixture: an inventory (owner alice, agent triage-bot, workload ci-deployer) and raw OAuth calls against a real server. */
final class Broker {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final TestGatehouse gh;

    Broker(TestGatehouse gh) { this.gh = gh; }

    String issuer() { return gh.baseUri().toString().replaceAll("/$", ""); }

    void human(String id) {
        gh.client().post("/v1/identities", Map.of("id", id, "kind", "human", "displayName", id, "email", id + "@example.com"));
    }

    void agent(String id, String owner, List<String> tools, List<String> effects) {
        gh.client().post("/v1/identities", Map.of("id", id, "kind", "agent", "displayName", id, "owner", owner,
                "purpose", "tests", "environment", "dev", "autonomy", "assistive", "scope", Map.of("tools", tools, "effects", effects)));
    }

    void workload(String id, String owner, List<String> tools, List<String> effects) {
        gh.client().post("/v1/identities", Map.of("id", id, "kind", "workload", "displayName", id, "owner", owner,
                "purpose", "tests", "environment", "dev", "scope", Map.of("tools", tools, "effects", effects)));
    }

    /** The standard cast: alice owns triage-bot (github/*, jira/read_issue; read, write). */
    Broker standard() {
        human("alice");
        agent("triage-bot", "alice", List.of("github/*", "jira/read_issue"), List.of("read", "write"));
        return this;
    }

    JsonNode addSecret(String identity) {
        return gh.client().post("/v1/identities/" + identity + "/credentials", Map.of("type", "client_secret"));
    }

    HttpResponse<String> form(String path, Map<String, String> params, String basicUser, String basicSecret, String bearer) throws Exception {
        StringJoiner body = new StringJoiner("&");
        params.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder b = HttpRequest.newBuilder(gh.baseUri().resolve(path.substring(1)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (basicUser != null) {
            String pair = URLEncoder.encode(basicUser, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(basicSecret, StandardCharsets.UTF_8);
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** client_credentials with client_secret_basic; extra params (scope, ttl) added to task_intent. */
    HttpResponse<String> token(String client, String secret, String... extra) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "client_credentials");
        p.put("task_intent", "triage new issues");
        for (int i = 0; i < extra.length; i += 2) p.put(extra[i], extra[i + 1]);
        return form("/oauth2/token", p, client, secret, null);
    }

    String accessToken(String client, String secret, String... extra) throws Exception {
        HttpResponse<String> r = token(client, secret, extra);
        if (r.statusCode() != 200) throw new AssertionError("token request failed: " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    /** RFC 7662 introspection with the admin token. */
    JsonNode introspect(String token) throws Exception {
        HttpResponse<String> r = form("/oauth2/introspect", Map.of("token", token), null, null, TestGatehouse.ADMIN_TOKEN);
        if (r.statusCode() != 200) throw new AssertionError("introspection failed: " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    JsonNode jwks() throws Exception {
        return JSON.readTree(gh.http("GET", "/.well-known/jwks.json", null, null).body());
    }

    static JsonNode body(HttpResponse<String> r) throws Exception { return JSON.readTree(r.body()); }
}
