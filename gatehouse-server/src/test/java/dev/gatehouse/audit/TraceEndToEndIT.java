package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestGatehouse;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four audit answers from real traffic across features: the credential broker issues a task
 * token, the decision point decides for that task, the task is completed — and the trace of the
 * task tells who, which identity type, what policy and how access ended, from the hash chain.
 */
class TraceEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aTaskEndedByCompletion() throws Exception {
        traceTaskEndedBy(false);
    }

    @Test
    void aTaskEndedByRetiringItsIdentity() throws Exception {
        traceTaskEndedBy(true);
    }

    private void traceTaskEndedBy(boolean retirement) throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            long version = gh.gatehouse().seedStarterPolicies().orElseThrow().version();
            var admin = gh.client();
            admin.post("/v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
            admin.post("/v1/identities", Map.of("id", "support-bot", "kind", "agent", "displayName", "Support bot", "owner", "alice",
                    "purpose", "answers support tickets", "environment", "prod", "autonomy", "assistive",
                    "scope", Map.of("tools", List.of("crm/*"), "effects", List.of("read"))));
            admin.post("/v1/tool-servers", Map.of("id", "crm", "url", "https://crm.example/mcp", "trust", "approved", "destination", "internal",
                    "tools", List.of(Map.of("name", "lookup_customer", "effect", "read", "risk", "low"),
                            Map.of("name", "delete_customer", "effect", "write", "risk", "high"))));
            String secret = admin.post("/v1/identities/support-bot/credentials", Map.of("type", "client_secret")).path("secret").asText();

            HttpResponse<String> issued = form(gh, "/oauth2/token", "grant_type=client_credentials&task_intent="
                    + URLEncoder.encode("answer ticket 4711", StandardCharsets.UTF_8) + "&scope=crm/*+read", "support-bot", secret);
            assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
            String taskId = JSON.readTree(issued.body()).path("task_id").asText();

            JsonNode allowed = decide(gh, "crm/lookup_customer", "read", taskId);
            assertThat(allowed.path("decision").asBoolean()).isTrue();
            JsonNode denied = decide(gh, "crm/delete_customer", "write", taskId);
            assertThat(denied.path("decision").asBoolean()).isFalse();

            HttpResponse<String> ended = retirement
                    ? gh.http("POST", "/v1/identities/support-bot/retire", "{\"reason\":\"replaced by support-bot-v2\"}", TestGatehouse.ADMIN_TOKEN)
                    : gh.http("POST", "/v1/tasks/" + taskId + "/complete", "{}", TestGatehouse.ADMIN_TOKEN);
            assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);

            JsonNode trace = admin.get("/v1/audit/trace/" + taskId);
            JsonNode who = trace.path("who");
            assertThat(who.path("identity").asText()).isEqualTo("support-bot");
            assertThat(who.path("identityKind").asText()).isEqualTo("agent");
            assertThat(who.path("owner").asText()).isEqualTo("alice");
            // Three decisions for this task: the broker's policy check of the scope at issuance, then the two calls.
            JsonNode policy = trace.path("policy");
            assertThat(policy).hasSize(3);
            for (JsonNode use : policy) assertThat(use.path("policyVersion").asText()).isIn(String.valueOf(version), "v" + version);
            assertThat(policy.get(0).path("resource").asText()).isEqualTo("crm/lookup_customer");
            assertThat(policy.get(0).path("step").asText()).as("issuance's check is not a call").isEqualTo("scope check");
            assertThat(policy.get(1).path("step").asText()).isEqualTo("decision");
            assertThat(policy.get(2).path("step").asText()).isEqualTo("decision");
            assertThat(policy.get(1).path("decision").asText()).isEqualTo("allow");
            assertThat(policy.get(1).toString()).contains("starter.agents-within-declared-scope");
            assertThat(policy.get(2).path("resource").asText()).isEqualTo("crm/delete_customer");
            assertThat(policy.get(2).path("decision").asText()).isEqualTo("deny");
            JsonNode ending = trace.path("ending");
            assertThat(ending.path("ended").asBoolean()).isTrue();
            assertThat(ending.path("by").asText()).startsWith("admin-token:");
            if (retirement) {
                assertThat(ending.toString()).contains("retire").contains("replaced by support-bot-v2");
            } else {
                assertThat(ending.path("event").asText()).isEqualTo("task.completed");
            }

            String export = gh.http("GET", "/v1/audit/export", null, TestGatehouse.ADMIN_TOKEN).body();
            assertThat(export).doesNotContain(secret).doesNotContain(JSON.readTree(issued.body()).path("access_token").asText())
                    .doesNotContain(TestGatehouse.ADMIN_TOKEN);
        }
    }

    /** Through the Java SDK's AuthZEN call, as an application's PEP would ask. */
    private JsonNode decide(TestGatehouse gh, String tool, String action, String taskId) {
        return gh.client().evaluate(Map.of("type", "agent", "id", "support-bot"), action, Map.of("type", "tool", "id", tool),
                Map.of("task", Map.of("id", taskId, "intent", "answer ticket 4711", "scope", List.of("crm/*", "read"))));
    }

    private HttpResponse<String> form(TestGatehouse gh, String path, String body, String user, String secret) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(gh.baseUri().resolve(path.substring(1)))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
