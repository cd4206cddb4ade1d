package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's side of approvals, against the {@link ApprovalService} contract: a held call becomes a
 * tool result naming the request (never run, no raw arguments handed over), and once a human approves,
 * exactly that call — same task, tool and arguments — goes through once.
 */
class HeldCallTest {
    @TempDir Path tmp;

    @Test
    void heldCallRunsOnceAfterApprovalOfExactlyThoseArguments() throws Exception {
        try (TinyMcpServer upstream = new TinyMcpServer();
             TestGatehouse gh = TestGatehouse.start(tmp, null, TestGatehouse.LOOPBACK_PEERS);
             GatewayHarness gw = new GatewayHarness(gh.gatehouse(), gh.gatehouse().inspector(), gh.gatehouse().approvals(),
                     GatewayHarness.settings(GatewayHarness.unlimited(), Set.of()), id -> Map.of())) {
            gh.client().post("/v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
            gh.client().post("/v1/identities", Map.of("id", "auto", "kind", "agent", "displayName", "auto", "owner", "alice",
                    "purpose", "notifications", "environment", "dev", "autonomy", "autonomous",
                    "scope", Map.of("tools", List.of("outbound/*"), "effects", List.of("write"))));
            gh.client().post("/v1/tool-servers", Map.of("id", "outbound", "url", upstream.url(), "trust", "approved", "destination", "internal",
                    "tools", List.of(Map.of("name", "send_email", "effect", "write", "risk", "high"))));
            gh.gatehouse().seedStarterPolicies();
            GatewayHarness.Session s = gw.open("outbound", TaintScenarioTest.token(gh, "auto"));
            String args = "{\"to\":\"cfo@example.com\",\"body\":\"card " + TinyMcpServer.CARD + "\"}";

            JsonNode held = s.call("send_email", args);
            assertThat(held.path("result").path("isError").asBoolean()).as(held.toString()).isTrue();
            String requestId = held.path("result").path("_meta").path("dev.gatehouse/approval").path("requestId").asText();
            assertThat(requestId).isNotBlank();
            assertThat(held.path("result").path("content").get(0).path("text").asText()).contains(requestId);
            assertThat(upstream.calls).as("a held call is not run").isEmpty();
            JsonNode request = gh.client().get("/v1/approvals/" + requestId);
            String stored = request.toString();
            assertThat(stored).contains("\"auto\"").contains("outbound/send_email").contains("owner");
            assertThat(stored).as("no classified value in the stored request").doesNotContain(TinyMcpServer.CARD);
            assertThat(s.call("send_email", args).path("result").path("_meta").path("dev.gatehouse/approval").path("requestId").asText())
                    .as("asking again reuses the pending request").isEqualTo(requestId);

            // alice, the agent's owner, approves with her own approver token (an admin token could not).
            String approver = gh.client().post("/v1/identities/alice/approver-tokens", Map.of()).path("token").asText();
            assertThat(gh.http("POST", "/v1/approvals/" + requestId + "/approve", "{\"reason\":\"expected report\"}",
                    TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(403);
            var approved = gh.http("POST", "/v1/approvals/" + requestId + "/approve", "{\"reason\":\"expected report\"}", approver);
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
            assertThat(s.call("send_email", args.replace("cfo", "cto")).path("result").path("isError").asBoolean())
                    .as("other arguments are not approved").isTrue();
            assertThat(s.call("send_email", args).path("result").path("content").get(0).path("text").asText()).isEqualTo("done");
            assertThat(upstream.calls).containsExactly("send_email");
            assertThat(s.call("send_email", args).path("result").path("isError").asBoolean()).as("the grant was one-time").isTrue();
            assertThat(upstream.calls).hasSize(1);

            assertThat(McpGatewayTest.gatewayCalls(gh)).extracting(e -> e.path("outcome").asText())
                    .containsExactly("hold", "hold", "hold", "allow", "hold");
        }
    }

    @Test
    void breakGlassLiftsApprovalHoldsButNeverTheGuards() throws Exception {
        try (TinyMcpServer upstream = new TinyMcpServer();
             TestGatehouse gh = TestGatehouse.start(tmp, null, TestGatehouse.LOOPBACK_PEERS);
             GatewayHarness gw = new GatewayHarness(gh.gatehouse(), gh.gatehouse().inspector(), gh.gatehouse().approvals(),
                     GatewayHarness.settings(GatewayHarness.unlimited(), Set.of()), id -> Map.of())) {
            gh.client().post("/v1/identities", Map.of("id", "bob", "kind", "human", "displayName", "Bob", "email", "bob@example.com"));
            gh.client().post("/v1/identities", Map.of("id", "oncall-bot", "kind", "agent", "displayName", "oncall", "owner", "bob",
                    "purpose", "incident response", "environment", "staging", "autonomy", "autonomous",
                    "scope", Map.of("tools", List.of("ops/*"), "effects", List.of("write"))));
            gh.client().post("/v1/tool-servers", Map.of("id", "ops", "url", upstream.url(), "trust", "approved", "destination", "internal",
                    "tools", List.of(Map.of("name", "send_email", "effect", "write", "risk", "critical"))));
            gh.gatehouse().seedStarterPolicies();
            GatewayHarness.Session s = gw.open("ops", TaintScenarioTest.token(gh, "oncall-bot"));
            String args = "{\"to\":\"status@example.com\",\"body\":\"incident 42 mitigated\"}";
            assertThat(s.call("send_email", args).path("result").path("isError").asBoolean()).as("held without break-glass").isTrue();
            assertThat(upstream.calls).isEmpty();

            // Bob owns oncall-bot: the starter pack never lets an owner break glass for it. Carol, a responder, may.
            String glass = "{\"identity\":\"oncall-bot\",\"scope\":[\"ops/*\"],\"ttlSeconds\":600,"
                    + "\"justification\":\"SEV1 incident 42: status page must be updated now\"}";
            String owner = gh.client().post("/v1/identities/bob/approver-tokens", Map.of()).path("token").asText();
            assertThat(gh.http("POST", "/v1/breakglass", glass, owner).statusCode()).isEqualTo(403);
            gh.client().post("/v1/groups", Map.of("id", "breakglass-responders", "displayName", "Responders"));
            gh.client().post("/v1/identities", Map.of("id", "carol", "kind", "human", "displayName", "Carol", "email", "carol@example.com",
                    "groups", List.of("breakglass-responders")));
            String approver = gh.client().post("/v1/identities/carol/approver-tokens", Map.of()).path("token").asText();
            var granted = gh.http("POST", "/v1/breakglass", glass, approver);
            assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
            JsonNode ran = s.call("send_email", args);
            assertThat(ran.path("result").path("isError").asBoolean()).as(ran.toString()).isFalse();
            assertThat(upstream.calls).containsExactly("send_email");

            // The hard guards stand: a suspended identity is refused even under break-glass.
            gh.client().post("/v1/identities/oncall-bot/suspend", Map.of("reason", "compromised"));
            JsonNode refused = s.call("send_email", args);
            assertThat(refused.has("error") || refused.path("result").path("isError").asBoolean()).as(refused.toString()).isTrue();
            assertThat(upstream.calls).hasSize(1);

            JsonNode events = gh.client().get("/v1/audit/events", Map.of("type", "breakglass.*"));
            assertThat(events.toString()).contains("breakglass.granted").contains("critical").contains("breakglass.used");
        }
    }
}
