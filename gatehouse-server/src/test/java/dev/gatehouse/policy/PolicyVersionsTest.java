package dev.gatehouse.policy;

import static dev.gatehouse.policy.PolicyTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.testing.TestStores;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Policy-as-code lifecycle on both stores: validation, immutable versions, activation, rollback, diff, shadow. */
class PolicyVersionsTest {
    private static final String READ_ONLY = "@id(\"reads\")\npermit(principal, action == Gatehouse::Action::\"read\", resource);\n";
    private static final String READ_WRITE = READ_ONLY + "@id(\"writes\")\npermit(principal, action == Gatehouse::Action::\"write\", resource);\n";

    @TempDir
    Path tmp;

    private TestGatehouse start(TestStores.Kind kind) throws Exception {
        TestGatehouse server = TestGatehouse.start(tmp, TestStores.freshUrl(kind, tmp), Map.of());
        human(server, "alice");
        agent(server, "triage-bot", "alice", "assistive");
        githubTools(server);
        return server;
    }

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void aTypeErrorIsRefusedWithFileLineAndColumnAndNothingIsStored(TestStores.Kind kind) throws Exception {
        try (TestGatehouse server = start(kind)) {
            push(server, READ_ONLY);
            String broken = "// tools only\n\npermit(principal, action, resource is Gatehouse::Tool)\n  when { resource.riskk == \"low\" };\n";
            JsonNode error = push(server, Map.of("good.cedar", READ_WRITE, "tools/broken.cedar", broken), "activate", 400);
            assertThat(error.path("error").asText()).isEqualTo("policy_invalid");
            assertThat(error.path("message").asText()).contains("tools/broken.cedar:4:10:").contains("riskk");

            JsonNode parse = push(server, Map.of("p.cedar", READ_ONLY + "\npermit(principal, action resource);\n"), "activate", 400);
            assertThat(parse.path("message").asText()).as("at the token the parser stopped at").contains("p.cedar:4:26: unexpected `resource`");

            JsonNode versions = call(server, "GET", "/v1/policies/versions", null, 200).path("items");
            assertThat(versions.size()).isEqualTo(1);
            assertThat(versions.get(0).path("active").asBoolean()).isTrue();
            assertThat(decide(server, "triage-bot", "write", "github/create_issue").path("decision").asText()).isEqualTo("deny");

            JsonNode validation = call(server, "POST", "/v1/policies/validate", Map.of("files", Map.of("x.cedar", broken)), 200);
            assertThat(validation.path("valid").asBoolean()).isFalse();
            assertThat(validation.path("errors").get(0).path("line").asInt()).isEqualTo(4);
            assertThat(validation.path("errors").get(0).path("column").asInt()).isEqualTo(10);
        }
    }

    @org.junit.jupiter.api.Test
    void hostilelyDeepPolicyTextIsAnErrorWithItsPositionNeverACrash() throws Exception {
        try (TestGatehouse server = TestGatehouse.start(tmp)) {
            for (int depth : new int[] {100, 10_000}) {
                String deep = "permit(principal, action, resource)\n  when { " + "(".repeat(depth) + "true" + ")".repeat(depth) + " };\n";
                JsonNode validation = call(server, "POST", "/v1/policies/validate", Map.of("files", Map.of("deep.cedar", deep)), 400);
                assertThat(validation.path("error").asText()).isEqualTo("policy_too_complex");
                assertThat(validation.path("message").asText()).contains("deep.cedar:2:").contains("nest");
                JsonNode refused = push(server, Map.of("deep.cedar", deep), "activate", 400);
                assertThat(refused.path("message").asText()).contains("deep.cedar:2:").contains("nest");
            }
            assertThat(call(server, "GET", "/healthz", null, 200).path("status").asText()).isEqualTo("ok");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void versionsAreImmutableAndCanBeActivatedRolledBackAndDiffed(TestStores.Kind kind) throws Exception {
        try (TestGatehouse server = start(kind)) {
            JsonNode v1 = push(server, READ_ONLY);
            assertThat(v1.path("version").asLong()).isEqualTo(1);
            assertThat(v1.path("author").asText()).startsWith("admin-token:");
            assertThat(v1.path("contentHash").asText()).hasSize(64);
            JsonNode v2 = push(server, READ_WRITE);
            assertThat(v2.path("active").asBoolean()).isTrue();
            assertThat(decide(server, "triage-bot", "write", "github/create_issue").path("decision").asText()).isEqualTo("allow");

            JsonNode rolledBack = call(server, "POST", "/v1/policies/rollback", null, 200);
            assertThat(rolledBack.path("version").asLong()).isEqualTo(1);
            assertThat(decide(server, "triage-bot", "write", "github/create_issue").path("decision").asText()).isEqualTo("deny");
            call(server, "POST", "/v1/policies/versions/2/activate", null, 200);
            assertThat(decide(server, "triage-bot", "write", "github/create_issue").path("policyVersion").asText()).isEqualTo("2");

            JsonNode v3 = push(server, Map.of("main.cedar", READ_ONLY), "store", 201);
            assertThat(v3.path("active").asBoolean()).isFalse();
            assertThat(decide(server, "triage-bot", "write", "github/create_issue").path("decision").asText()).isEqualTo("allow");

            String diff = call(server, "GET", "/v1/policies/diff?from=1&to=2", null, 200).path("diff").asText();
            assertThat(diff).contains("--- v1/main.cedar").contains("+++ v2/main.cedar")
                    .contains("+@id(\"writes\")").doesNotContain("-@id(\"reads\")");
            JsonNode shown = call(server, "GET", "/v1/policies/versions/2", null, 200);
            assertThat(shown.path("files").path("main.cedar").asText()).isEqualTo(READ_WRITE);
            assertThat(shown.path("policyIds").toString()).contains("reads", "writes");
            assertThat(call(server, "GET", "/v1/policies/versions/9", null, 404).path("error").asText()).isEqualTo("not_found");
            assertThat(call(server, "POST", "/v1/policies/versions/abc/activate", null, 400).path("field").asText()).isEqualTo("version");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void aShadowCandidateReportsTheRequestsItWouldDecideDifferently(TestStores.Kind kind) throws Exception {
        try (TestGatehouse server = start(kind)) {
            push(server, READ_WRITE);
            JsonNode candidate = push(server, Map.of("main.cedar", READ_ONLY), "shadow", 201);
            assertThat(candidate.path("shadow").asBoolean()).isTrue();

            JsonNode agree = decide(server, "triage-bot", "read", "github/get_issue");
            assertThat(agree.path("decision").asText()).isEqualTo("allow");
            assertThat(agree.path("shadow").path("agrees").asBoolean()).isTrue();
            JsonNode differ = decide(server, "triage-bot", "write", "github/create_issue");
            assertThat(differ.path("decision").asText()).as("the live decision is the active version's").isEqualTo("allow");
            assertThat(differ.path("shadow").path("outcome").asText()).isEqualTo("deny");
            assertThat(differ.path("shadow").path("agrees").asBoolean()).isFalse();

            JsonNode report = call(server, "GET", "/v1/policies/shadow/disagreements?version=2", null, 200);
            assertThat(report.path("total").asLong()).isEqualTo(1);
            JsonNode item = report.path("items").get(0);
            assertThat(item.path("action").asText()).isEqualTo("write");
            assertThat(item.path("resource").asText()).isEqualTo("tool:github/create_issue");
            assertThat(item.path("activeDecision").asText()).isEqualTo("allow");
            assertThat(item.path("shadowDecision").asText()).isEqualTo("deny");
            assertThat(item.path("requestDigest").asText()).hasSize(64);
            String metrics = server.http("GET", "/metrics", null, null).body();
            assertThat(metrics).containsPattern("gatehouse_policy_shadow_disagreements_total(\\{[^}]*\\})? 1\\.0");

            call(server, "DELETE", "/v1/policies/shadow", null, 204);
            assertThat(decide(server, "triage-bot", "write", "github/create_issue").has("shadow")).isFalse();
        }
    }

    @Test
    void theStarterPackIsActivatedOnceOnAnEmptyStoreOnly() throws Exception {
        try (TestGatehouse server = start(TestStores.Kind.H2)) {
            assertThat(server.gatehouse().seedStarterPolicies()).hasValueSatisfying(v -> assertThat(v.active()).isTrue());
            assertThat(server.gatehouse().seedStarterPolicies()).isEmpty();
            JsonNode d = decide(server, "triage-bot", "read", "github/get_issue");
            assertThat(d.path("decision").asText()).isEqualTo("allow");
            assertThat(d.path("policies").get(0).path("id").asText()).isEqualTo("starter.agents-within-declared-scope");
        }
    }
}
