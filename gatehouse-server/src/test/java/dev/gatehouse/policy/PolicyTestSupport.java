package dev.gatehouse.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.testing.TestGatehouse;
import java.net.http.HttpResponse;
import java.util.Map;

/** HTTP helpers shared by the policy tests: inventory set-up, policy pushes and decisions over the real API. */
final class PolicyTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    private PolicyTestSupport() {}

    static JsonNode call(TestGatehouse server, String method, String path, Object body, int expected) throws Exception {
        HttpResponse<String> r = server.http(method, path, body == null ? null : (body instanceof String s ? s : JSON.writeValueAsString(body)),
                TestGatehouse.ADMIN_TOKEN);
        assertThat(r.statusCode()).as(method + " " + path + " → " + r.body()).isEqualTo(expected);
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    static void human(TestGatehouse server, String id) throws Exception {
        call(server, "POST", "/v1/identities", Map.of("id", id, "kind", "human", "displayName", id, "email", id + "@example.com"), 201);
    }

    static void agent(TestGatehouse server, String id, String owner, String autonomy, String... tags) throws Exception {
        call(server, "POST", "/v1/identities", Map.of("id", id, "kind", "agent", "displayName", id, "owner", owner, "purpose", "triage",
                "environment", "dev", "tags", java.util.List.of(tags), "autonomy", autonomy,
                "scope", Map.of("tools", java.util.List.of("github/*"), "effects", java.util.List.of("read", "write"))), 201);
    }

    static void workload(TestGatehouse server, String id, String owner, String environment, String... tags) throws Exception {
        call(server, "POST", "/v1/identities", Map.of("id", id, "kind", "workload", "displayName", id, "owner", owner, "purpose", "deploys",
                "environment", environment, "tags", java.util.List.of(tags),
                "scope", Map.of("tools", java.util.List.of("*"), "effects", java.util.List.of("read", "write", "execute"))), 201);
    }

    /** A tool server "github" with read, write and a high-risk execute tool. */
    static void githubTools(TestGatehouse server) throws Exception {
        call(server, "POST", "/v1/tool-servers", Map.of("id", "github", "url", "https://mcp.example.com/github", "trust", "approved",
                "destination", "external", "tools", java.util.List.of(
                        Map.of("name", "get_issue", "effect", "read", "risk", "low"),
                        Map.of("name", "create_issue", "effect", "write", "risk", "medium"),
                        Map.of("name", "run_workflow", "effect", "execute", "risk", "high"))), 201);
    }

    static JsonNode push(TestGatehouse server, Map<String, String> files, String mode, int expected) throws Exception {
        return call(server, "POST", "/v1/policies", Map.of("files", files, "message", "test", "mode", mode), expected);
    }

    /** Makes {@code policy} the whole active policy: each test's push replaces the previous one on purpose. */
    static JsonNode push(TestGatehouse server, String policy) throws Exception {
        return call(server, "POST", "/v1/policies", Map.of("files", Map.of("main.cedar", policy), "message", "test", "mode", "activate",
                "replace", true), 201);
    }

    static ObjectNode request(String subjectType, String subject, String action, String resourceType, String resource) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("subject").put("type", subjectType).put("id", subject);
        body.putObject("action").put("name", action);
        body.putObject("resource").put("type", resourceType).put("id", resource);
        return body;
    }

    static JsonNode decide(TestGatehouse server, ObjectNode request) throws Exception {
        return call(server, "POST", "/v1/decide", request, 200);
    }

    static JsonNode decide(TestGatehouse server, String agent, String action, String tool) throws Exception {
        return decide(server, request("agent", agent, action, "tool", tool));
    }
}
