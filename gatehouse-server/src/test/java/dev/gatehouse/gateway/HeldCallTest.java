package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.HeldCall;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's side of approvals, against the {@link ApprovalService} contract: a held call becomes a
 * tool result naming the request (never run, no raw arguments handed over), and once a human approves,
 * exactly that call — same task, tool and arguments — goes through once.
 */
class HeldCallTest {
    @TempDir Path tmp;

    /** The contract's semantics in memory: one-time grants bound to (task, tool, digest). */
    static final class Approvals implements ApprovalService {
        final Map<String, ApprovalRequest> requests = new ConcurrentHashMap<>();

        @Override
        public ApprovalRequest hold(HeldCall call) {
            for (ApprovalRequest r : requests.values()) {
                if (r.status().equals("pending") && r.call().equals(call)) return r;
            }
            ApprovalRequest r = new ApprovalRequest("apr_" + (requests.size() + 1), call, "pending", Instant.now(),
                    Instant.now().plusSeconds(3600), null, null, null);
            requests.put(r.id(), r);
            return r;
        }

        void approve(String id) {
            ApprovalRequest r = requests.get(id);
            requests.put(id, new ApprovalRequest(id, r.call(), "approved", r.createdAt(), r.expiresAt(), "alice", "ok", Instant.now()));
        }

        @Override
        public synchronized boolean consumeGrant(String taskId, String toolId, String argumentsDigest) {
            for (ApprovalRequest r : requests.values()) {
                HeldCall c = r.call();
                if (r.status().equals("approved") && c.taskId().equals(taskId) && c.toolId().equals(toolId)
                        && c.argumentsDigest().equals(argumentsDigest)) {
                    requests.put(r.id(), new ApprovalRequest(r.id(), c, "used", r.createdAt(), r.expiresAt(), r.decidedBy(), r.reason(), r.decidedAt()));
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean breakGlassCovers(String identityId, String toolId) { return false; }
    }

    @Test
    void heldCallRunsOnceAfterApprovalOfExactlyThoseArguments() throws Exception {
        Approvals approvals = new Approvals();
        try (TinyMcpServer upstream = new TinyMcpServer();
             TestGatehouse gh = TestGatehouse.start(tmp);
             GatewayHarness gw = new GatewayHarness(gh.gatehouse(), new CardInspector(), approvals,
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
            HeldCall call = approvals.requests.get(requestId).call();
            assertThat(call.identity()).isEqualTo("auto");
            assertThat(call.toolId()).isEqualTo("outbound/send_email");
            assertThat(call.approvers()).containsExactly("owner");
            assertThat(call.summary()).doesNotContain(TinyMcpServer.CARD).contains("cfo@example.com");
            assertThat(call.argumentsDigest()).hasSize(64);
            assertThat(s.call("send_email", args).path("result").path("_meta").path("dev.gatehouse/approval").path("requestId").asText())
                    .as("asking again reuses the pending request").isEqualTo(requestId);

            approvals.approve(requestId);
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
}
