package dev.gatehouse.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.cli.Main;
import dev.gatehouse.core.Json;
import dev.gatehouse.testing.TestGatehouse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatehouse approvals …} and {@code gatehouse breakglass} against a real server, as an admin and as approvers. */
class ApprovalsCliTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception { return Json.MAPPER.readTree(out); }
    }

    private Run gatehouse(TestGatehouse gh, String token, String... args) {
        Map<String, String> env = Map.of("GATEHOUSE_TOKEN", token, "GATEHOUSE_SERVER", gh.baseUri().toString(),
                "GATEHOUSE_CLI_CONFIG", tmp.resolve("no-cli-config.yaml").toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void anApproverListsShowsApprovesAndDeniesAndBreaksGlassFromTheCommandLine() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp.resolve("data"))) {
            ApprovalFixture f = new ApprovalFixture(gh);
            String admin = TestGatehouse.ADMIN_TOKEN;
            Run issued = gatehouse(gh, admin, "approvals", "token", "issue", "alice", "--name", "cli");
            assertThat(issued.exit()).as(issued.err()).isZero();
            String alice = issued.out().strip();
            assertThat(alice).startsWith(ApproverTokens.PREFIX);
            assertThat(gatehouse(gh, admin, "approvals", "token", "list", "alice").out()).contains("cli").doesNotContain(alice);

            ApprovalService approvals = gh.gatehouse().approvals();
            ApprovalRequest first = approvals.hold(f.call("task-1", ApprovalFixture.DIGEST, List.of("owner")));
            ApprovalRequest second = approvals.hold(f.call("task-2", ApprovalFixture.DIGEST, List.of("owner")));

            Run list = gatehouse(gh, alice, "approvals", "list", "--status", "pending");
            assertThat(list.exit()).as(list.err()).isZero();
            assertThat(list.out()).contains(first.id()).contains(second.id()).contains("ops/deploy_service");
            Run mine = gatehouse(gh, alice, "approvals", "list", "--mine", "-o", "json");
            assertThat(mine.json().get("items")).hasSize(2);
            Run show = gatehouse(gh, alice, "approvals", "show", first.id());
            assertThat(show.out()).contains("[masked:secret]").contains("dave").contains("prod-deploys-need-approval");

            Run byAdmin = gatehouse(gh, admin, "approvals", "approve", first.id());
            assertThat(byAdmin.exit()).as("an admin token cannot approve").isEqualTo(1);
            assertThat(byAdmin.err()).contains("forbidden");

            Run approved = gatehouse(gh, alice, "approvals", "approve", first.id(), "--reason", "CHG-7", "-o", "json");
            assertThat(approved.exit()).as(approved.err()).isZero();
            assertThat(approved.json().get("status").asText()).isEqualTo("approved");

            assertThat(gatehouse(gh, alice, "approvals", "deny", second.id()).exit()).as("--reason is required").isEqualTo(2);
            Run denied = gatehouse(gh, alice, "approvals", "deny", second.id(), "--reason", "wrong version");
            assertThat(denied.exit()).as(denied.err()).isZero();
            assertThat(denied.out()).contains("denied").contains("wrong version");

            f.activateBreakGlassPolicy();
            // alice owns deployer: the starter rules leave break-glass for it to a responder (bob, through oncall).
            Run own = gatehouse(gh, alice, "breakglass", "--identity", "deployer", "--scope", "ops/*", "--ttl", "600",
                    "--justification", "INC-9: payments down");
            assertThat(own.exit()).isEqualTo(1);
            assertThat(own.err()).contains("forbidden").contains("policy");
            String bob = f.tokens.get("bob");
            Run glass = gatehouse(gh, bob, "breakglass", "--identity", "deployer", "--scope", "ops/deploy_service,ops/rollback",
                    "--ttl", "600", "--justification", "INC-9: payments down");
            assertThat(glass.exit()).as(glass.err()).isZero();
            assertThat(glass.out()).contains("deployer").contains("ops/rollback");
            assertThat(approvals.breakGlassCovers("deployer", "ops/rollback")).isTrue();
            Run noJustification = gatehouse(gh, bob, "breakglass", "--identity", "deployer", "--scope", "*", "--ttl", "600",
                    "--justification", "");
            assertThat(noJustification.exit()).isEqualTo(1);
            assertThat(noJustification.err()).contains("justification");
            assertThat(gatehouse(gh, bob, "breakglass", "--identity", "deployer").exit()).as("missing options are a usage error").isEqualTo(2);

            Run reviews = gatehouse(gh, admin, "breakglass", "reviews", "--status", "open");
            assertThat(reviews.exit()).as(reviews.err()).isZero();
            assertThat(reviews.out()).contains("deployer").contains("bob").contains("open");
            String reviewId = approvals.breakGlassGrants(null, false).isEmpty() ? "" : gh.client().get("/v1/breakglass/reviews")
                    .path("items").get(0).path("id").asText();
            Run closed = gatehouse(gh, f.tokens.get("dave"), "breakglass", "close-review", reviewId, "--outcome", "appropriate",
                    "--note", "matches INC-9");
            assertThat(closed.exit()).as(closed.err()).isZero();
            assertThat(closed.out()).contains("closed").contains("dave");
        }
    }
}
