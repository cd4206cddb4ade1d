package dev.gatehouse.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.Cli;
import dev.gatehouse.testing.TestGatehouse;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public OpenID AuthZEN Todo interop decisions (40 single, 3 batch requests), sent over HTTP
 * to a real server loaded with {@code examples/authzen-todo} through the product's own commands.
 */
class AuthZenTodoInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLE = Path.of("..", "examples", "authzen-todo");

    @TempDir
    Path tmp;

    @Test
    void everyInteropDecisionMatches() throws Exception {
        JsonNode data;
        try (InputStream in = getClass().getResourceAsStream("/authzen/todo-decisions.json")) {
            data = JSON.readTree(in);
        }
        assertThat(data.path("evaluation").size() + data.path("evaluations").size()).isEqualTo(43);

        try (TestGatehouse server = TestGatehouse.start(tmp.resolve("data"))) {
            // As on a real first start: the starter guardrails are active before the example is followed.
            int guardrails = server.gatehouse().seedStarterPolicies().orElseThrow().policyCount();
            loadExampleWithTheCli(server);
            JsonNode active = JSON.readTree(server.http("GET", "/v1/policies/versions", null, TestGatehouse.ADMIN_TOKEN).body())
                    .path("items").get(0);
            assertThat(active.path("active").asBoolean()).isTrue();
            assertThat(active.path("policyCount").asInt()).as("the Todo rules live beside the guardrails").isEqualTo(guardrails + 7);

            List<String> mismatches = new ArrayList<>();
            int checked = 0;
            for (JsonNode c : data.path("evaluation")) {
                HttpResponse<String> r = server.http("POST", "/access/v1/evaluation", c.path("request").toString(), TestGatehouse.ADMIN_TOKEN);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode answer = JSON.readTree(r.body());
                if (answer.path("decision").asBoolean() != c.path("expected").asBoolean() || !answer.path("decision").isBoolean()) {
                    mismatches.add(c.path("request") + " → " + r.body());
                }
                if (!answer.path("decision").asBoolean()) {
                    assertThat(answer.path("context").path("reason").asText()).isEqualTo("not_permitted");
                    assertThat(r.body()).doesNotContain("principal.roles").doesNotContain("todo.");
                }
                checked++;
            }
            for (JsonNode c : data.path("evaluations")) {
                HttpResponse<String> r = server.http("POST", "/access/v1/evaluations", c.path("request").toString(), TestGatehouse.ADMIN_TOKEN);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode answers = JSON.readTree(r.body()).path("evaluations");
                List<Boolean> got = new ArrayList<>();
                answers.forEach(a -> got.add(a.path("decision").asBoolean()));
                List<Boolean> expected = new ArrayList<>();
                c.path("expected").forEach(e -> expected.add(e.path("decision").asBoolean()));
                if (!got.equals(expected)) mismatches.add(c.path("request") + " → " + r.body());
                checked++;
            }
            assertThat(mismatches).as("interop mismatches").isEmpty();
            assertThat(checked).isEqualTo(43);
        }
    }

    @Test
    void pushingTheExampleAloneIsRefusedRatherThanDroppingTheGuardrails() throws Exception {
        try (TestGatehouse server = TestGatehouse.start(tmp.resolve("data"))) {
            server.gatehouse().seedStarterPolicies().orElseThrow();
            var env = Cli.adminEnv(server);
            var refused = Cli.run(env, "policy", "push", EXAMPLE.resolve("policies").toString());
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err().strip().lines()).hasSize(1);
            assertThat(refused.err()).contains("409 conflict").containsPattern("would drop \\d+ active rules").contains("starter.")
                    .contains("--add").contains("--replace");
            assertThat(JSON.readTree(server.http("GET", "/v1/policies/versions", null, TestGatehouse.ADMIN_TOKEN).body())
                    .path("items")).as("nothing stored").hasSize(1);
            var replaced = Cli.run(env, "policy", "push", EXAMPLE.resolve("policies").toString(), "--replace", "-o", "json");
            assertThat(replaced.exit()).as(replaced.err()).isZero();
            assertThat(replaced.json().path("policyCount").asInt()).isEqualTo(7);
        }
    }

    /** `gatehouse policy push --add` and `gatehouse entities apply`, as the example's README says. */
    private void loadExampleWithTheCli(TestGatehouse server) {
        var env = Cli.adminEnv(server);
        var pushed = Cli.run(env, "policy", "push", EXAMPLE.resolve("policies").toString(), "--add", "-m", "AuthZEN Todo");
        assertThat(pushed.exit()).as(pushed.err()).isZero();
        assertThat(Cli.run(env, "entities", "apply", "-f", EXAMPLE.resolve("entities.json").toString()).exit()).isZero();
    }
}
