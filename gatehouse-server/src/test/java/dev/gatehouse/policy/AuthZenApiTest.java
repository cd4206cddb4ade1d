package dev.gatehouse.policy;

import static dev.gatehouse.policy.PolicyTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.TestGatehouse;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AuthZEN 1.0 shapes over HTTP: single and batch evaluations, batch semantics, metadata, deny context, access control. */
class AuthZenApiTest {
    @TempDir
    static Path tmp;
    static TestGatehouse server;

    @BeforeAll
    static void start() throws Exception {
        server = TestGatehouse.start(tmp);
        human(server, "alice");
        agent(server, "triage-bot", "alice", "autonomous");
        githubTools(server);
        push(server, "@id(\"reads\")\npermit(principal, action == Gatehouse::Action::\"read\", resource);\n"
                + "@approval(\"owner\")\nforbid(principal is Gatehouse::Agent, action, resource is Gatehouse::Tool)"
                + " when { resource.risk == \"high\" } unless { context.approval.granted };\n"
                + "permit(principal, action == Gatehouse::Action::\"execute\", resource);");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static JsonNode post(String path, String body, int status) throws Exception {
        return call(server, "POST", path, body, status);
    }

    static final String AGENT = "{\"type\":\"agent\",\"id\":\"triage-bot\"}";

    @Test
    void singleEvaluationAnswersWithABooleanAndADenyReasonOnly() throws Exception {
        assertThat(post("/access/v1/evaluation", "{\"subject\":" + AGENT + ",\"action\":{\"name\":\"read\"},"
                + "\"resource\":{\"type\":\"tool\",\"id\":\"github/get_issue\"}}", 200).toString()).isEqualTo("{\"decision\":true}");
        JsonNode deny = post("/access/v1/evaluation", "{\"subject\":" + AGENT + ",\"action\":{\"name\":\"write\"},"
                + "\"resource\":{\"type\":\"tool\",\"id\":\"github/create_issue\"}}", 200);
        assertThat(deny.path("decision").asBoolean()).isFalse();
        assertThat(deny.path("context").toString()).isEqualTo("{\"reason\":\"not_permitted\"}");
        JsonNode hold = post("/access/v1/evaluation", "{\"subject\":" + AGENT + ",\"action\":{\"name\":\"execute\"},"
                + "\"resource\":{\"type\":\"tool\",\"id\":\"github/run_workflow\"}}", 200);
        assertThat(hold.path("decision").asBoolean()).isFalse();
        assertThat(hold.path("context").path("reason").asText()).isEqualTo("approval_required");
        assertThat(hold.toString()).doesNotContain("risk").doesNotContain("forbid");
    }

    @Test
    void theRequestIdIsEchoed() throws Exception {
        String body = "{\"subject\":" + AGENT + ",\"action\":{\"name\":\"read\"},\"resource\":{\"type\":\"tool\",\"id\":\"github/get_issue\"}}";
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        server.baseUri().resolve("access/v1/evaluation")).header("Authorization", "Bearer " + TestGatehouse.ADMIN_TOKEN)
                .header("Content-Type", "application/json").header("X-Request-ID", "req-42")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Request-ID")).hasValue("req-42");
    }

    @Test
    void batchUsesTopLevelDefaultsAndHonoursTheSemantics() throws Exception {
        String items = "\"evaluations\":[{\"action\":{\"name\":\"write\"}},{\"action\":{\"name\":\"read\"}},{\"action\":{\"name\":\"write\"}}]";
        String defaults = "\"subject\":" + AGENT + ",\"resource\":{\"type\":\"tool\",\"id\":\"github/create_issue\"},";
        JsonNode all = post("/access/v1/evaluations", "{" + defaults + items + "}", 200).path("evaluations");
        assertThat(all.size()).isEqualTo(3);
        assertThat(all.get(1).path("decision").asBoolean()).isTrue();
        JsonNode firstDeny = post("/access/v1/evaluations", "{" + defaults + items
                + ",\"options\":{\"evaluations_semantic\":\"deny_on_first_deny\"}}", 200).path("evaluations");
        assertThat(firstDeny.size()).isEqualTo(1);
        JsonNode firstPermit = post("/access/v1/evaluations", "{" + defaults + items
                + ",\"options\":{\"evaluations_semantic\":\"permit_on_first_permit\"}}", 200).path("evaluations");
        assertThat(firstPermit.size()).isEqualTo(2);
        assertThat(firstPermit.get(1).path("decision").asBoolean()).isTrue();
        assertThat(post("/access/v1/evaluations", "{" + defaults + items + ",\"options\":{\"evaluations_semantic\":\"most\"}}", 400)
                .path("field").asText()).isEqualTo("options.evaluations_semantic");
        // Without an evaluations array the batch endpoint answers as a single evaluation.
        assertThat(post("/access/v1/evaluations", "{" + defaults + "\"action\":{\"name\":\"read\"}}", 200).toString())
                .isEqualTo("{\"decision\":true}");
        // A malformed item is a deny with its error; its neighbours are still decided.
        JsonNode mixed = post("/access/v1/evaluations", "{" + defaults
                + "\"evaluations\":[{\"action\":{\"name\":\"read\"},\"context\":{\"data\":{\"level\":\"high\"}}},{\"action\":{\"name\":\"read\"}}]}", 200)
                .path("evaluations");
        assertThat(mixed.get(0).path("decision").asBoolean()).isFalse();
        assertThat(mixed.get(0).path("context").path("error").path("field").asText()).isEqualTo("evaluations[0].context.data.level");
        assertThat(mixed.get(1).path("decision").asBoolean()).isTrue();
    }

    @Test
    void malformedRequestsAre400NotDecisions() throws Exception {
        assertThat(post("/access/v1/evaluation", "{\"subject\":" + AGENT + ",\"action\":{\"name\":\"read\"}}", 400).path("field").asText())
                .isEqualTo("resource");
        assertThat(post("/access/v1/evaluation", "{\"subject\":" + AGENT + ",\"action\":{\"name\":\"read\"},\"resource\":"
                + "{\"type\":\"spaceship\",\"id\":\"x\"}}", 400).path("field").asText()).isEqualTo("resource.type");
        assertThat(post("/access/v1/evaluation", "{\"subject\":" + AGENT + ",\"action\":{\"name\":\"read\"},\"resource\":"
                + "{\"type\":\"tool\",\"id\":\"github/get_issue\"},\"extra\":1}", 400).path("error").asText()).isEqualTo("unknown_field");
        assertThat(post("/access/v1/evaluation", "{\"subject\":{\"type\":\"agent\",\"id\":\"triage-bot\",\"properties\":{\"autonomy\":\"assistive\"}},"
                + "\"action\":{\"name\":\"execute\"},\"resource\":{\"type\":\"tool\",\"id\":\"github/run_workflow\"}}", 400)
                .path("field").asText()).isEqualTo("subject.properties");
    }

    @Test
    void metadataIsPublicAndDecisionsNeedADecideToken() throws Exception {
        HttpResponse<String> meta = server.http("GET", "/.well-known/authzen-configuration", null, null);
        assertThat(meta.statusCode()).isEqualTo(200);
        JsonNode doc = JSON.readTree(meta.body());
        assertThat(doc.path("access_evaluation_endpoint").asText()).isEqualTo(server.baseUri() + "access/v1/evaluation");
        assertThat(doc.path("access_evaluations_endpoint").asText()).endsWith("/access/v1/evaluations");

        String body = "{\"subject\":" + AGENT + ",\"action\":{\"name\":\"read\"},\"resource\":{\"type\":\"tool\",\"id\":\"github/get_issue\"}}";
        assertThat(server.http("POST", "/access/v1/evaluation", body, null).statusCode()).isEqualTo(401);
        JsonNode reader = call(server, "POST", "/v1/admin-tokens", Map.of("name", "auditor", "role", "reader"), 201);
        JsonNode pdp = call(server, "POST", "/v1/admin-tokens", Map.of("name", "gateway", "role", "pdp"), 201);
        assertThat(server.http("POST", "/access/v1/evaluation", body, reader.path("secret").asText()).statusCode()).isEqualTo(403);
        assertThat(server.http("POST", "/access/v1/evaluation", body, pdp.path("secret").asText()).statusCode()).isEqualTo(200);
        // The PDP token decides but cannot change policy.
        assertThat(server.http("POST", "/v1/policies", "{\"files\":{\"a.cedar\":\"permit(principal, action, resource);\"}}",
                pdp.path("secret").asText()).statusCode()).isEqualTo(403);
    }
}
