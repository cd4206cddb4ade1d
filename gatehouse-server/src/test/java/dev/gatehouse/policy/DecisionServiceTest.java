package dev.gatehouse.policy;

import static dev.gatehouse.policy.PolicyTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision point over HTTP on a real server: default deny, hard guards, fail closed, holds, fresh inventory. */
class DecisionServiceTest {
    @TempDir
    Path tmp;
    TestGatehouse server;

    @BeforeEach
    void start() throws Exception {
        server = TestGatehouse.start(tmp);
        human(server, "alice");
        agent(server, "triage-bot", "alice", "autonomous");
        githubTools(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void withoutAnActivePolicyEverythingIsDenied() throws Exception {
        JsonNode d = decide(server, "triage-bot", "read", "github/get_issue");
        assertThat(d.path("decision").asText()).isEqualTo("deny");
        assertThat(d.path("reason").asText()).isEqualTo("no_active_policy");
    }

    @Test
    void denyByDefaultWhenNoPermitApplies() throws Exception {
        push(server, "permit(principal, action == Gatehouse::Action::\"read\", resource);");
        assertThat(decide(server, "triage-bot", "read", "github/get_issue").path("decision").asText()).isEqualTo("allow");
        JsonNode d = decide(server, "triage-bot", "write", "github/create_issue");
        assertThat(d.path("decision").asText()).isEqualTo("deny");
        assertThat(d.path("reason").asText()).isEqualTo("not_permitted");
        assertThat(d.path("policyVersion").asText()).isEqualTo("1");
    }

    @Test
    void allowExplainsItsDeterminingPolicies() throws Exception {
        push(server, "@id(\"read-low-risk\")\n@owner(\"secops\")\npermit(principal, action, resource is Gatehouse::Tool)\n"
                + "when { resource.risk == \"low\" && principal has owner };");
        JsonNode d = decide(server, "triage-bot", "read", "github/get_issue");
        assertThat(d.path("decision").asText()).isEqualTo("allow");
        assertThat(d.path("policies").get(0).path("id").asText()).isEqualTo("read-low-risk");
        assertThat(d.path("policies").get(0).path("origin").asText()).isEqualTo("main.cedar:1");
        assertThat(d.path("policies").get(0).path("annotations").path("owner").asText()).isEqualTo("secops");
        assertThat(d.toString()).doesNotContain("resource.risk");
    }

    @Test
    void suspendedAgentIsDeniedEvenByPermitAll() throws Exception {
        push(server, "permit(principal, action, resource);");
        assertThat(decide(server, "triage-bot", "read", "github/get_issue").path("decision").asText()).isEqualTo("allow");
        call(server, "POST", "/v1/identities/triage-bot/suspend", Map.of("reason", "incident 42"), 200);
        JsonNode d = decide(server, "triage-bot", "read", "github/get_issue");
        assertThat(d.path("decision").asText()).isEqualTo("deny");
        assertThat(d.path("reason").asText()).isEqualTo("principal_suspended");
        assertThat(d.path("policies").size()).isZero();
    }

    @Test
    void retiredAndUnknownPrincipalsAreDeniedBeforePolicy() throws Exception {
        push(server, "permit(principal, action, resource);");
        call(server, "POST", "/v1/identities/triage-bot/retire", Map.of("reason", "project over"), 200);
        assertThat(decide(server, "triage-bot", "read", "github/get_issue").path("reason").asText()).isEqualTo("principal_retired");
        assertThat(decide(server, "ghost", "read", "github/get_issue").path("reason").asText()).isEqualTo("unknown_principal");
        // A human id presented as an agent is not that agent.
        assertThat(decide(server, "alice", "read", "github/get_issue").path("reason").asText()).isEqualTo("unknown_principal");
        assertThat(decide(server, request("human", "alice", "read", "tool", "github/nope")).path("reason").asText())
                .isEqualTo("unknown_resource");
    }

    @Test
    void anEvaluationErrorDeniesEvenWhenCedarWouldAllow() throws Exception {
        // With calls = 1 the forbid overflows; Cedar skips an erroring policy, which would leave the permit standing.
        push(server, "permit(principal, action, resource);\n"
                + "forbid(principal, action, resource) when { context.session.calls + 9223372036854775807 > 0 };");
        ObjectNode r = request("agent", "triage-bot", "read", "tool", "github/get_issue");
        r.putObject("context").putObject("session").put("calls", 1);
        JsonNode d = decide(server, r);
        assertThat(d.path("decision").asText()).isEqualTo("deny");
        assertThat(d.path("reason").asText()).isEqualTo("evaluation_error");
        assertThat(d.path("errors").toString()).contains("overflow");
        assertThat(server.http("GET", "/metrics", null, null).body())
                .containsPattern("gatehouse_policy_decisions_total\\{[^}]*reason=\"evaluation_error\"[^}]*\\} 1\\.0");
        r.putObject("context").putObject("session").put("calls", -5);
        assertThat(decide(server, r).path("decision").asText()).isEqualTo("deny"); // forbid applies normally
    }

    @Test
    void approvalForbidHoldsTheCallOnlyWhenAPermitWouldOtherwiseAllow() throws Exception {
        push(server, "permit(principal, action, resource is Gatehouse::Tool) when { resource.risk != \"critical\" };\n"
                + "@id(\"high-risk-needs-owner\")\n@approval(\"owner\")\n"
                + "forbid(principal is Gatehouse::Agent, action, resource is Gatehouse::Tool)\n"
                + "when { principal.autonomy == \"autonomous\" && resource.risk == \"high\" }\n"
                + "unless { context.approval.granted };");
        JsonNode held = decide(server, "triage-bot", "execute", "github/run_workflow");
        assertThat(held.path("decision").asText()).isEqualTo("hold");
        assertThat(held.path("approvers").get(0).asText()).isEqualTo("owner");
        assertThat(held.path("policies").get(0).path("id").asText()).isEqualTo("high-risk-needs-owner");

        ObjectNode approved = request("agent", "triage-bot", "execute", "tool", "github/run_workflow");
        approved.putObject("context").putObject("approval").put("granted", true);
        assertThat(decide(server, approved).path("decision").asText()).isEqualTo("allow");

        // Same approval rule, but nothing permits: holding would be pointless, so it is a plain deny.
        push(server, "@approval(\"owner\")\nforbid(principal, action, resource is Gatehouse::Tool) when { resource.risk == \"high\" };");
        JsonNode denied = decide(server, "triage-bot", "execute", "github/run_workflow");
        assertThat(denied.path("decision").asText()).isEqualTo("deny");
        assertThat(denied.path("reason").asText()).isEqualTo("forbidden");
    }

    @Test
    void anOrdinaryForbidNextToAnApprovalForbidDenies() throws Exception {
        push(server, "permit(principal, action, resource);\n@approval(\"owner\")\nforbid(principal, action, resource);\n"
                + "forbid(principal, action, resource is Gatehouse::Tool) when { resource.destination == \"external\" };");
        JsonNode d = decide(server, "triage-bot", "read", "github/get_issue");
        assertThat(d.path("decision").asText()).isEqualTo("deny");
        assertThat(d.path("reason").asText()).isEqualTo("forbidden");
    }

    @Test
    void inventoryChangesAreVisibleToTheNextDecision() throws Exception {
        push(server, "permit(principal is Gatehouse::Agent, action, resource) when { principal.tags.contains(\"trusted\") };\n"
                + "permit(principal in Gatehouse::Group::\"platform\", action == Gatehouse::Action::\"write\", resource);");
        assertThat(decide(server, "triage-bot", "read", "github/get_issue").path("decision").asText()).isEqualTo("deny");
        call(server, "PATCH", "/v1/identities/triage-bot", Map.of("tags", List.of("trusted")), 200);
        assertThat(decide(server, "triage-bot", "read", "github/get_issue").path("decision").asText()).isEqualTo("allow");

        // Nested groups: the agent is in "oncall", which is inside "platform".
        assertThat(decide(server, "triage-bot", "write", "github/create_issue").path("decision").asText()).isEqualTo("allow");
        call(server, "PATCH", "/v1/identities/triage-bot", Map.of("tags", List.of()), 200);
        call(server, "POST", "/v1/groups", Map.of("id", "platform", "displayName", "Platform"), 201);
        call(server, "POST", "/v1/groups", Map.of("id", "oncall", "displayName", "On call", "parents", List.of("platform")), 201);
        assertThat(decide(server, "triage-bot", "write", "github/create_issue").path("decision").asText()).isEqualTo("deny");
        call(server, "PATCH", "/v1/identities/triage-bot", Map.of("groups", List.of("oncall")), 200);
        assertThat(decide(server, "triage-bot", "write", "github/create_issue").path("decision").asText()).isEqualTo("allow");
    }

    @Test
    void callerContextIsCheckedAgainstTheVocabulary() throws Exception {
        push(server, "permit(principal, action, resource) when { context.data.level < 2 };");
        ObjectNode r = request("agent", "triage-bot", "read", "tool", "github/get_issue");
        r.putObject("context").putObject("data").put("level", 3);
        assertThat(decide(server, r).path("decision").asText()).isEqualTo("deny");
        r.putObject("context").putObject("data").put("level", "low");
        assertThat(call(server, "POST", "/v1/decide", r, 400).path("field").asText()).isEqualTo("context.data.level");
        r.putObject("context").putObject("data").put("secret_flag", true);
        assertThat(call(server, "POST", "/v1/decide", r, 400).path("field").asText()).isEqualTo("context.data.secret_flag");
        r.putObject("context").putObject("weather").put("sunny", true);
        assertThat(call(server, "POST", "/v1/decide", r, 400).path("field").asText()).isEqualTo("context.weather");
        r.putObject("context").putObject("request").put("hour", 3);
        assertThat(call(server, "POST", "/v1/decide", r, 400).path("field").asText()).isEqualTo("context.request");
        ObjectNode unknownAction = request("agent", "triage-bot", "launch", "tool", "github/get_issue");
        assertThat(call(server, "POST", "/v1/decide", unknownAction, 400).path("field").asText()).isEqualTo("action.name");
    }

    @Test
    void leastPrivilegeFactIsComputedFromTheDeclaredScope() throws Exception {
        push(server, "permit(principal, action, resource) when { context.request.inScope };");
        // triage-bot declares github/* with read and write: execute is outside its scope.
        assertThat(decide(server, "triage-bot", "read", "github/get_issue").path("decision").asText()).isEqualTo("allow");
        assertThat(decide(server, "triage-bot", "execute", "github/run_workflow").path("decision").asText()).isEqualTo("deny");
    }

    @Test
    void theStarterPackRefusesDelegationToASuspendedAgent() throws Exception {
        Map<String, String> starter = new java.util.TreeMap<>();
        try (var files = java.nio.file.Files.list(Path.of("..", "policies", "starter"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cedar")).toList()) {
                starter.put(f.getFileName().toString(), java.nio.file.Files.readString(f));
            }
        }
        push(server, starter, "activate", 201);
        agent(server, "helper-bot", "alice", "assistive");
        JsonNode allowed = decide(server, request("agent", "triage-bot", "delegate", "agent", "helper-bot"));
        assertThat(allowed.path("decision").asText()).isEqualTo("allow");
        call(server, "POST", "/v1/identities/helper-bot/suspend", Map.of("reason", "compromised"), 200);
        assertThat(decide(server, request("agent", "triage-bot", "delegate", "agent", "helper-bot")).path("decision").asText())
                .isEqualTo("deny");
        assertThat(decide(server, request("human", "alice", "delegate", "agent", "helper-bot")).path("decision").asText())
                .isEqualTo("deny");
    }
}
