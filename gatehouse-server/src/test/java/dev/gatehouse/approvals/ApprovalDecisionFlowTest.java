package dev.gatehouse.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.Json;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.DecisionRequest;
import dev.gatehouse.policy.DecisionRequest.EntityRef;
import dev.gatehouse.testing.TestGatehouse;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop the gateway runs, with the real Cedar decision service: an {@code @approval} forbid holds the
 * call, the owner approves, the retry is allowed exactly once, and a replay is held again.
 */
class ApprovalDecisionFlowTest {
    @TempDir
    Path tmp;

    @Test
    void approvalRuleHoldsUntilTheOwnerApprovesThenTheSameCallIsAllowedOnce() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp)) {
            ApprovalFixture f = new ApprovalFixture(gh);
            admin(gh, "POST", "/v1/tool-servers", Map.of("id", "ops", "url", "https://mcp.example.com/ops", "trust", "approved",
                    "destination", "internal", "tools", List.of(Map.of("name", "deploy_service", "effect", "execute", "risk", "critical"))), 201);
            admin(gh, "POST", "/v1/policies", Map.of("message", "approvals", "mode", "activate", "files", Map.of("main.cedar",
                    "permit(principal, action, resource is Gatehouse::Tool);\n"
                            + "@id(\"critical-needs-owner\")\n@approval(\"owner\")\n"
                            + "forbid(principal, action, resource is Gatehouse::Tool) when { resource.risk == \"critical\" }\n"
                            + "unless { context.approval.granted };")), 201);
            ApprovalService approvals = gh.gatehouse().approvals();

            Decision first = gatewayDecides(gh, approvals);
            assertThat(first).isInstanceOf(Decision.Hold.class);
            Decision.Hold hold = (Decision.Hold) first;
            ApprovalRequest held = approvals.hold(new HeldCall("deployer", List.of("deployer"), null, "task-1", "ship billing",
                    "ops/deploy_service", ApprovalFixture.DIGEST, "deploy_service(service=billing)", "critical", hold.policies(), hold.approvers()));
            assertThat(held.call().approvers()).containsExactly("owner");
            assertThat(held.call().policies()).contains("critical-needs-owner");
            assertThat(gatewayDecides(gh, approvals)).as("still waiting").isInstanceOf(Decision.Hold.class);

            assertThat(f.approve(held.id(), "alice").statusCode()).isEqualTo(200);
            assertThat(gatewayDecides(gh, approvals)).as("the approved call runs").isInstanceOf(Decision.Allow.class);
            assertThat(gatewayDecides(gh, approvals)).as("a replay is held again").isInstanceOf(Decision.Hold.class);
        }
    }

    /** What the gateway does per call: consume a grant for exactly this call, then decide with the answer. */
    private static Decision gatewayDecides(TestGatehouse gh, ApprovalService approvals) {
        boolean granted = approvals.consumeGrant("task-1", "ops/deploy_service", ApprovalFixture.DIGEST);
        return gh.gatehouse().decisions().decide(new DecisionRequest(EntityRef.of("agent", "deployer"), "execute",
                EntityRef.of("tool", "ops/deploy_service"), Map.of("approval", Map.of("granted", granted))));
    }

    private static void admin(TestGatehouse gh, String method, String path, Object body, int expected) throws Exception {
        HttpResponse<String> r = gh.http(method, path, Json.write(body), TestGatehouse.ADMIN_TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
    }
}
