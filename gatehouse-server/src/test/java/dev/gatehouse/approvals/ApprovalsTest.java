package dev.gatehouse.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.testing.TestStores;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Held calls against a real server: who may decide, and a grant that runs exactly one identical call. */
class ApprovalsTest {
    @TempDir
    Path tmp;

    @Test
    void heldCallRunsOnceAfterTheOwnerApprovesAndOnlyWithTheSameArguments() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp)) {
            ApprovalFixture f = new ApprovalFixture(gh);
            ApprovalService approvals = gh.gatehouse().approvals();
            ApprovalRequest held = approvals.hold(f.call("task-1", ApprovalFixture.DIGEST, List.of("owner")));
            assertThat(held.status()).isEqualTo("pending");
            assertThat(held.expiresAt()).isEqualTo(held.createdAt().plus(Duration.ofMinutes(15)));
            assertThat(approvals.hold(f.call("task-1", ApprovalFixture.DIGEST, List.of("owner"))).id())
                    .as("a retry of the same held call waits on the same request").isEqualTo(held.id());
            assertThat(approvals.consumeGrant("task-1", "ops/deploy_service", ApprovalFixture.DIGEST)).as("not approved yet").isFalse();

            HttpResponse<String> approved = f.approve(held.id(), "alice");
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
            JsonNode body = Json.MAPPER.readTree(approved.body());
            assertThat(body.get("status").asText()).isEqualTo("approved");
            assertThat(body.get("decidedBy").asText()).isEqualTo("alice");

            String otherDigest = Secrets.sha256Hex("{\"service\":\"billing\",\"version\":\"9.9.9\"}");
            assertThat(approvals.consumeGrant("task-1", "ops/deploy_service", otherDigest)).as("changed arguments").isFalse();
            assertThat(approvals.consumeGrant("task-2", "ops/deploy_service", ApprovalFixture.DIGEST)).as("another task").isFalse();
            assertThat(approvals.consumeGrant("task-1", "ops/other_tool", ApprovalFixture.DIGEST)).as("another tool").isFalse();
            assertThat(approvals.consumeGrant("task-1", "ops/deploy_service", ApprovalFixture.DIGEST)).as("the approved call").isTrue();
            assertThat(approvals.consumeGrant("task-1", "ops/deploy_service", ApprovalFixture.DIGEST)).as("a replay").isFalse();
            assertThat(approvals.get(held.id()).status()).isEqualTo("used");
            assertThat(f.approve(held.id(), "alice").statusCode()).as("a used grant cannot be approved again").isEqualTo(409);

            JsonNode requested = f.auditEvents("approval.requested").get(0);
            assertThat(requested.get("task").asText()).isEqualTo("task-1");
            assertThat(requested.get("onBehalfOf").asText()).isEqualTo("dave");
            assertThat(requested.get("policies").get(0).asText()).isEqualTo("prod-deploys-need-approval");
            assertThat(requested.get("subjectKind").asText()).isEqualTo("agent");
            assertThat(requested.get("owner").asText()).isEqualTo("alice");
            JsonNode approvedEvent = f.auditEvents("approval.approved").get(0);
            assertThat(approvedEvent.get("actor").asText()).isEqualTo("human:alice");
            assertThat(approvedEvent.get("detail").get("credential").asText()).as("the token that decided, to trace it to its issuer")
                    .startsWith("approver-token:");
            assertThat(f.auditEvents("approval.grant.consumed")).hasSize(1);
            // Audit names the call by digest: never the (even masked) summary or arguments.
            String all = gh.http("GET", "/v1/audit/events?limit=1000&type=approval.*", null, TestGatehouse.ADMIN_TOKEN).body();
            assertThat(all).contains(ApprovalFixture.DIGEST).doesNotContain("billing").doesNotContain("masked");
            for (String token : f.tokens.values()) assertThat(all).doesNotContain(token);
        }
    }

    @Test
    void expiredRequestsAndExpiredGrantsDoNotRun() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        try (TestGatehouse gh = TestGatehouse.start(tmp, null, Map.of(), clock)) {
            ApprovalFixture f = new ApprovalFixture(gh);
            ApprovalService approvals = gh.gatehouse().approvals();

            ApprovalRequest stale = approvals.hold(f.call("task-1", ApprovalFixture.DIGEST, List.of("owner")));
            clock.advance(Duration.ofMinutes(15));
            assertThat(approvals.get(stale.id()).status()).isEqualTo("expired");
            assertThat(f.approve(stale.id(), "alice").statusCode()).as("too late to approve").isEqualTo(409);

            ApprovalRequest held = approvals.hold(f.call("task-1", ApprovalFixture.DIGEST, List.of("owner")));
            assertThat(held.id()).as("an expired request is not reused").isNotEqualTo(stale.id());
            clock.advance(Duration.ofMinutes(10));
            assertThat(f.approve(held.id(), "alice").statusCode()).isEqualTo(200);
            assertThat(approvals.get(held.id()).expiresAt()).as("the grant's own 15 minutes start at approval")
                    .isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
            clock.advance(Duration.ofMinutes(15).plusSeconds(1));
            assertThat(approvals.consumeGrant("task-1", "ops/deploy_service", ApprovalFixture.DIGEST)).as("expired grant").isFalse();
            assertThat(approvals.get(held.id()).status()).isEqualTo("expired");
            JsonNode expired = Json.MAPPER.readTree(gh.http("GET", "/v1/approvals?status=expired", null, TestGatehouse.ADMIN_TOKEN).body());
            assertThat(expired.get("items")).hasSize(2);

            approvals.hold(f.call("task-2", ApprovalFixture.DIGEST, List.of("owner")));
            clock.advance(Duration.ofSeconds(1));
            ApprovalRequest newest = approvals.hold(f.call("task-3", ApprovalFixture.DIGEST, List.of("owner")));
            JsonNode page = Json.MAPPER.readTree(gh.http("GET", "/v1/approvals?limit=3", null, TestGatehouse.ADMIN_TOKEN).body());
            assertThat(page.get("items").get(0).get("id").asText()).as("newest first").isEqualTo(newest.id());
            assertThat(page.get("items")).hasSize(3);
            JsonNode rest = Json.MAPPER.readTree(gh.http("GET", "/v1/approvals?limit=3&before=" + page.get("next").asText(), null,
                    TestGatehouse.ADMIN_TOKEN).body());
            assertThat(rest.get("items")).hasSize(1);
            assertThat(rest.get("next").isNull()).isTrue();
            JsonNode pending = Json.MAPPER.readTree(gh.http("GET", "/v1/approvals?status=pending&task=task-3", null, TestGatehouse.ADMIN_TOKEN).body());
            assertThat(pending.get("items")).hasSize(1);
        }
    }

    @Test
    void fourEyesRefusesTheRequesterAndTheHumanItActsFor() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp)) {
            ApprovalFixture f = new ApprovalFixture(gh);
            ApprovalService approvals = gh.gatehouse().approvals();
            // dave is named as approver and is in sre, but the agent acts on his behalf.
            ApprovalRequest forDave = approvals.hold(f.call("task-1", ApprovalFixture.DIGEST, List.of("dave", "group:sre")));
            HttpResponse<String> r = f.approve(forDave.id(), "dave");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(r.body()).contains("on whose behalf");
            assertThat(f.deny(forDave.id(), "dave", "no").statusCode()).as("nor deny").isEqualTo(403);

            // A human requester (chain of one) named among the approvers cannot approve itself.
            ApprovalRequest own = approvals.hold(new HeldCall("bob", List.of("bob"), null, "task-2", "rotate keys", "ops/rotate", ApprovalFixture.DIGEST,
                    "rotate()", "high", List.of("p1"), List.of("group:sre")));
            r = f.approve(own.id(), "bob");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(r.body()).contains("four-eyes");

            assertThat(approvals.get(forDave.id()).status()).isEqualTo("pending");
            assertThat(approvals.get(own.id()).status()).isEqualTo("pending");
            assertThat(approvals.decidableBy("dave")).as("dave (in sre) may decide bob's, not the one made for him")
                    .extracting(ApprovalRequest::id).containsExactly(own.id());
            assertThat(approvals.decidableBy("bob")).extracting(ApprovalRequest::id).containsExactly(forDave.id());
            JsonNode mine = Json.MAPPER.readTree(gh.http("GET", "/v1/approvals?decidableBy=me", null, f.tokens.get("bob")).body());
            assertThat(mine.get("items")).hasSize(1);
            assertThat(gh.http("GET", "/v1/approvals?decidableBy=alice", null, f.tokens.get("bob")).statusCode()).isEqualTo(403);
            assertThat(f.auditEvents("approval.decision.refused")).hasSize(3)
                    .allSatisfy(e -> assertThat(e.get("outcome").asText()).isEqualTo("failure"));
            // bob is in sre through oncall: he may decide dave's request.
            assertThat(f.approve(forDave.id(), "bob").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void groupApproversMustBeMembersDirectlyOrThroughNesting() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp)) {
            ApprovalFixture f = new ApprovalFixture(gh);
            ApprovalRequest held = gh.gatehouse().approvals().hold(f.call("task-1", ApprovalFixture.DIGEST, List.of("group:sre")));
            HttpResponse<String> r = f.approve(held.id(), "carol");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(r.body()).contains("not an approver");
            r = f.approve(held.id(), "alice");
            assertThat(r.statusCode()).as("the owner is not named by this rule").isEqualTo(403);
            r = f.approve(held.id(), "bob");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    @Test
    void adminAndReaderTokensCannotDecideAndSuspendedHumansLoseTheirToken() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp)) {
            ApprovalFixture f = new ApprovalFixture(gh);
            ApprovalRequest held = gh.gatehouse().approvals().hold(f.call("task-1", ApprovalFixture.DIGEST, List.of("owner")));
            HttpResponse<String> r = gh.http("POST", "/v1/approvals/" + held.id() + "/approve", "{}", TestGatehouse.ADMIN_TOKEN);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(gh.http("POST", "/v1/breakglass", "{}", TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(403);
            // an approver token is no admin token either
            assertThat(gh.http("GET", "/v1/identities", null, f.tokens.get("alice")).statusCode()).isEqualTo(403);
            assertThat(gh.http("GET", "/v1/approvals/" + held.id(), null, f.tokens.get("carol")).statusCode()).isEqualTo(200);

            gh.gatehouse().registry().suspend("alice", "leave", "test");
            assertThat(f.approve(held.id(), "alice").statusCode()).as("a suspended human's token stops working").isEqualTo(401);
            gh.gatehouse().registry().reactivate("alice", "back", "test");

            JsonNode list = Json.MAPPER.readTree(gh.http("GET", "/v1/identities/alice/approver-tokens", null, TestGatehouse.ADMIN_TOKEN).body());
            String tokenId = list.get("items").get(0).get("id").asText();
            assertThat(list.toString()).doesNotContain(f.tokens.get("alice"));
            assertThat(gh.http("POST", "/v1/identities/alice/approver-tokens/" + tokenId + "/revoke", null, TestGatehouse.ADMIN_TOKEN).statusCode())
                    .isEqualTo(200);
            assertThat(f.approve(held.id(), "alice").statusCode()).as("revoked").isEqualTo(401);
            assertThat(gh.http("POST", "/v1/identities/deployer/approver-tokens", "{}", TestGatehouse.ADMIN_TOKEN).statusCode())
                    .as("only humans get approver tokens").isEqualTo(400);
            assertThat(gh.gatehouse().approvals().get(held.id()).status()).isEqualTo("pending");
        }
    }

    @Test
    void denialNeedsAReasonWhichTheRequestCarries() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp)) {
            ApprovalFixture f = new ApprovalFixture(gh);
            ApprovalService approvals = gh.gatehouse().approvals();
            ApprovalRequest held = approvals.hold(f.call("task-1", ApprovalFixture.DIGEST, List.of("owner")));
            HttpResponse<String> r = f.deny(held.id(), "alice", "  ");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(r.body()).get("field").asText()).isEqualTo("reason");
            assertThat(f.deny(held.id(), "alice", null).statusCode()).isEqualTo(400);
            assertThat(approvals.get(held.id()).status()).as("nothing written").isEqualTo("pending");

            r = f.deny(held.id(), "alice", "no deploys during the freeze");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            ApprovalRequest denied = approvals.get(held.id());
            assertThat(denied.status()).isEqualTo("denied");
            assertThat(denied.reason()).isEqualTo("no deploys during the freeze");
            assertThat(approvals.consumeGrant("task-1", "ops/deploy_service", ApprovalFixture.DIGEST)).isFalse();
            assertThat(f.approve(held.id(), "alice").statusCode()).isEqualTo(409);
            ApprovalRequest retried = approvals.hold(f.call("task-1", ApprovalFixture.DIGEST, List.of("owner")));
            assertThat(retried.id()).as("the denial stands for this exact call").isEqualTo(held.id());
            assertThat(retried.status()).isEqualTo("denied");
            assertThat(retried.reason()).isEqualTo("no deploys during the freeze");
            String changed = Secrets.sha256Hex("{\"service\":\"billing\",\"version\":\"1.4.3\"}");
            assertThat(approvals.hold(f.call("task-1", changed, List.of("owner"))).status()).as("changed arguments ask again").isEqualTo("pending");
            assertThat(gh.http("POST", "/v1/approvals/apr_missing/approve", "{}", f.tokens.get("alice")).statusCode()).isEqualTo(404);
            assertThat(gh.http("GET", "/v1/approvals?status=nope", null, TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(400);
            assertThat(gh.http("POST", "/v1/approvals/" + held.id() + "/deny", "{\"reason\":\"x\",\"extra\":1}", f.tokens.get("alice"))
                    .statusCode()).isEqualTo(400);
        }
    }

    @Test
    void anAgentWaitsOnItsOwnRequestWithItsTaskTokenAndSeesTheDenialReason() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp)) {
            ApprovalFixture f = new ApprovalFixture(gh);
            gh.gatehouse().registry().register(new dev.gatehouse.registry.IdentitySpec("other-bot", dev.gatehouse.registry.Vocabulary.IdentityKind.AGENT,
                    "Other", "alice", "other things", "prod", List.of(), List.of(), new dev.gatehouse.registry.Scope(List.of("ops/*"),
                    java.util.Set.of(dev.gatehouse.registry.Vocabulary.Effect.READ)), dev.gatehouse.registry.Vocabulary.Autonomy.ASSISTIVE,
                    null, null, null), "test");
            String deployerToken = f.taskToken("deployer");
            String otherToken = f.taskToken("other-bot");
            ApprovalRequest held = gh.gatehouse().approvals().hold(f.call("task-1", ApprovalFixture.DIGEST, List.of("owner")));

            HttpResponse<String> own = gh.http("GET", "/v1/approvals/" + held.id(), null, deployerToken);
            assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(own.body()).get("status").asText()).isEqualTo("pending");
            assertThat(gh.http("GET", "/v1/approvals/" + held.id(), null, otherToken).statusCode())
                    .as("another identity's request looks missing").isEqualTo(404);
            JsonNode othersList = Json.MAPPER.readTree(gh.http("GET", "/v1/approvals", null, otherToken).body());
            assertThat(othersList.get("items")).isEmpty();
            assertThat(gh.http("GET", "/v1/approvals?identity=deployer", null, otherToken).statusCode()).isEqualTo(403);
            assertThat(gh.http("POST", "/v1/approvals/" + held.id() + "/approve", "{}", deployerToken).statusCode())
                    .as("a task token never decides").isEqualTo(403);

            assertThat(f.deny(held.id(), "alice", "use the canary first").statusCode()).isEqualTo(200);
            JsonNode denied = Json.MAPPER.readTree(gh.http("GET", "/v1/approvals/" + held.id(), null, deployerToken).body());
            assertThat(denied.get("status").asText()).isEqualTo("denied");
            assertThat(denied.get("reason").asText()).isEqualTo("use the canary first");
        }
    }

    @Test
    void malformedHeldCallsAreRefusedAndNothingIsWritten() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp)) {
            ApprovalFixture f = new ApprovalFixture(gh);
            ApprovalService approvals = gh.gatehouse().approvals();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> approvals.hold(f.call("task-1", "not-a-digest", List.of("owner"))))
                    .isInstanceOf(dev.gatehouse.core.Problem.Invalid.class).hasMessageContaining("argumentsDigest");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> approvals.hold(f.call("task-1", ApprovalFixture.DIGEST, List.of())))
                    .isInstanceOf(dev.gatehouse.core.Problem.Invalid.class).hasMessageContaining("approver");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> approvals.hold(f.call(null, ApprovalFixture.DIGEST, List.of("owner"))))
                    .isInstanceOf(dev.gatehouse.core.Problem.Invalid.class).hasMessageContaining("taskId");
            assertThat(approvals.list(new ApprovalQuery(null, null, null, null, 10, null)).items()).isEmpty();
            assertThat(f.auditEvents("approval.*")).isEmpty();

            HeldCall verbose = new HeldCall("deployer", null, "", "task-1", "x".repeat(5000), "ops/deploy_service",
                    ApprovalFixture.DIGEST.toUpperCase(java.util.Locale.ROOT), "y".repeat(9000), "critical", null, List.of("owner", "owner"));
            ApprovalRequest held = approvals.hold(verbose);
            assertThat(held.call().intent()).hasSize(2000);
            assertThat(held.call().summary()).hasSize(4000);
            assertThat(held.call().chain()).containsExactly("deployer");
            assertThat(held.call().onBehalfOf()).isNull();
            assertThat(held.call().approvers()).containsExactly("owner");
            assertThat(held.call().argumentsDigest()).isEqualTo(ApprovalFixture.DIGEST);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void racingConsumersGetExactlyOneGrant(TestStores.Kind kind) throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp, TestStores.freshUrl(kind, tmp), Map.of())) {
            ApprovalFixture f = new ApprovalFixture(gh);
            ApprovalService approvals = gh.gatehouse().approvals();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                for (int round = 0; round < 10; round++) {
                    String task = "task-" + round;
                    // Two gateway nodes holding the same call at once open one request, not two.
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<ApprovalRequest>> holds = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        holds.add(pool.submit(() -> {
                            go.await();
                            return approvals.hold(f.call(task, ApprovalFixture.DIGEST, List.of("owner")));
                        }));
                    }
                    go.countDown();
                    ApprovalRequest held = holds.get(0).get();
                    for (Future<ApprovalRequest> h : holds) assertThat(h.get().id()).as("round " + round).isEqualTo(held.id());
                    assertThat(f.approve(held.id(), "alice").statusCode()).isEqualTo(200);
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Boolean>> results = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        results.add(pool.submit(() -> {
                            start.await();
                            return approvals.consumeGrant(task, "ops/deploy_service", ApprovalFixture.DIGEST);
                        }));
                    }
                    start.countDown();
                    int granted = 0;
                    for (Future<Boolean> result : results) if (result.get()) granted++;
                    assertThat(granted).as("round " + round).isEqualTo(1);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(f.auditEvents("approval.grant.consumed")).hasSize(10);
            assertThat(f.auditEvents("approval.requested")).hasSize(10);
        }
    }
}
