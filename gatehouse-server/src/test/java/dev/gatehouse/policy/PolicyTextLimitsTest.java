package dev.gatehouse.policy;

import static dev.gatehouse.policy.PolicyTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy text that would overrun the native parser's stack is refused in Java, with its position, before
 * cedar-java sees it; text at the limits parses and evaluates safely on ordinary request threads.
 */
class PolicyTextLimitsTest {
    private static final String HEAD = "permit(principal, action, resource)\nwhen { ";

    @TempDir
    Path tmp;

    @Test
    void hundredNestedParenthesesAreRefusedWithTheirPositionAndTheServerStaysUp() throws Exception {
        String deep = HEAD + "(".repeat(100) + "true" + ")".repeat(100) + " };\n";
        try (TestGatehouse server = TestGatehouse.start(tmp)) {
            String reader = server.client().post("/v1/admin-tokens", Map.of("name", "ro", "role", "reader")).path("secret").asText();
            var response = server.http("POST", "/v1/policies/validate", JSON.writeValueAsString(Map.of("files", Map.of("deep.cedar", deep))), reader);
            assertThat(response.statusCode()).isEqualTo(400);
            JsonNode error = JSON.readTree(response.body());
            assertThat(error.path("error").asText()).isEqualTo("policy_too_complex");
            // The brace of `when {` is level 1, so the 32nd parenthesis (line 2, column 8 + 31) is one too many.
            assertThat(error.path("message").asText()).contains("deep.cedar:2:39:").contains("nested deeper than 32");

            JsonNode pushed = push(server, Map.of("deep.cedar", deep), "activate", 400);
            assertThat(pushed.path("error").asText()).isEqualTo("policy_too_complex");
            assertThat(call(server, "GET", "/v1/policies/versions", null, 200).path("items").size()).isZero();
            assertThat(server.http("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void policyAtTheLimitsCompilesAndDecidesOnARequestThread() throws Exception {
        // The `when` brace, 16 parentheses and 15 nested ifs (32 levels), a 500-operator chain inside the deepest one.
        String chain = "1" + " + 1".repeat(499) + " == 500";
        String body = "(".repeat(16) + "if true then ".repeat(15) + chain + " else false".repeat(15) + ")".repeat(16);
        String policy = "@id(\"at-limits\")\n" + HEAD + body + " };\n";
        assertThat(PolicyTextLimits.check("p.cedar", policy)).isEmpty();
        try (TestGatehouse server = TestGatehouse.start(tmp)) {
            human(server, "alice");
            agent(server, "triage-bot", "alice", "assistive");
            githubTools(server);
            push(server, Map.of("p.cedar", policy), "activate", 201);
            JsonNode decision = decide(server, "triage-bot", "read", "github/get_issue");
            assertThat(decision.path("decision").asText()).as(decision.toString()).isEqualTo("allow");
            assertThat(decision.path("policies").toString()).contains("at-limits");
        }
    }

    @Test
    void aDeeplyNestedValueIsRefusedBeforeTheEngine() {
        CedarPolicyEngine engine = new CedarPolicyEngine();
        PolicyEngine.Compiled compiled = engine.compile(new PolicyBundle(Map.of("p.cedar", "permit(principal, action, resource);")));
        Object deep = "leaf";
        for (int i = 0; i < 200; i++) deep = Map.of("a", deep);
        var request = new PolicyEngine.Request(new EntityData.Uid("Gatehouse::Human", "alice"),
                new EntityData.Uid("Gatehouse::Action", "read"), new EntityData.Uid("Gatehouse::Tool", "github/get_issue"),
                Map.of("extra", deep), java.util.List.of());
        assertThatThrownBy(() -> engine.evaluate(compiled, request, java.util.Optional.empty()))
                .isInstanceOf(dev.gatehouse.core.Problem.Invalid.class).hasMessageContaining("deeper than 32");
    }

    @Test
    void nestingCountsBracketsAndIfsButNotStringsOrComments() {
        String ifs = HEAD + "if true then ".repeat(33) + "true" + " else false".repeat(33) + " };";
        assertThat(PolicyTextLimits.check("a.cedar", ifs)).hasValueSatisfying(e -> {
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.column()).isEqualTo(8 + 13 * 31); // the 32nd if: the brace of `when {` is the first level
        });
        String quoted = "// " + "(".repeat(200) + "\n" + HEAD + "context.note == \"" + "[".repeat(200) + "\\\"(\" };";
        assertThat(PolicyTextLimits.check("b.cedar", quoted)).isEmpty();
        // A closed bracket ends the ifs opened inside it: sequential groups never add up.
        String siblings = HEAD + ("(if true then true else false) && ").repeat(100) + "true };";
        assertThat(PolicyTextLimits.check("c.cedar", siblings)).isEmpty();
        // Identifiers that contain "if" are not the keyword.
        assertThat(PolicyTextLimits.check("d.cedar", HEAD + "context.gift == context.elif".repeat(1) + " };")).isEmpty();
    }

    @Test
    void longOperatorChainsAndDeepSchemaTypesAreRefused() {
        String chain = HEAD + "1" + " + 1".repeat(600) + " == 1 };";
        assertThat(PolicyTextLimits.check("a.cedar", chain)).hasValueSatisfying(e ->
                assertThat(e.message()).contains("more than 512"));
        // Each policy has its own count.
        String many = (HEAD + "1" + " + 1".repeat(400) + " == 1 };\n").repeat(3);
        assertThat(PolicyTextLimits.check("b.cedar", many)).isEmpty();
        String schema = "type T = " + "Set<".repeat(40) + "Long" + ">".repeat(40) + ";";
        assertThat(PolicyTextLimits.check("app.cedarschema", schema)).hasValueSatisfying(e ->
                assertThat(e.column()).isEqualTo(13 + 4 * 32));
        assertThat(PolicyTextLimits.check(Map.of("x.cedar", "x".repeat(PolicyTextLimits.MAX_FILE_CHARS + 1)))).hasSize(1);
    }
}
