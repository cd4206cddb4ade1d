package dev.gatehouse.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.testing.TestGatehouse;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.gatehouse.testing.TestStores;

/** Break-glass and the approval webhook against a real server and a real, signature-checking receiver. */
class BreakGlassTest {
    @TempDir
    Path tmp;

    @Test
    void breakGlassCoversItsScopeUntilItExpiresAndLeavesACriticalAuditEventAndANotification() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        try (WebhookReceiver hook = new WebhookReceiver(0);
             TestGatehouse gh = TestGatehouse.start(tmp, null, TestGatehouse.withLoopbackPeers(Map.of("approvals.webhookUrl", hook.url(),
                     "approvals.webhookSecret", WebhookReceiver.SECRET, "approvals.breakGlassMaxTtlSeconds", "1800")), clock)) {
            ApprovalFixture f = new ApprovalFixture(gh);
            f.activateBreakGlassPolicy();
            ApprovalService approvals = gh.gatehouse().approvals();
            assertThat(approvals.breakGlassCovers("deployer", "ops/deploy_service")).isFalse();

            HttpResponse<String> r = gh.http("POST", "/v1/breakglass", Json.write(Map.of("identity", "deployer", "scope", List.of("ops/*"),
                    "ttlSeconds", 900, "justification", "INC-4711: billing is down, rollback needed now")), f.tokens.get("bob"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            JsonNode grant = Json.MAPPER.readTree(r.body());
            assertThat(grant.get("grantedBy").asText()).isEqualTo("bob");
            assertThat(grant.get("status").asText()).isEqualTo("active");

            assertThat(approvals.breakGlassCovers("deployer", "ops/deploy_service")).isTrue();
            assertThat(approvals.breakGlassCovers("deployer", "payments/refund")).as("outside its scope").isFalse();
            assertThat(approvals.breakGlassCovers("someone-else", "ops/deploy_service")).isFalse();

            JsonNode event = f.auditEvents("breakglass.granted").get(0);
            assertThat(event.get("category").asText()).isEqualTo("privileged");
            assertThat(event.get("actor").asText()).isEqualTo("human:bob");
            assertThat(event.get("subject").asText()).isEqualTo("deployer");
            assertThat(event.get("detail").get("severity").asText()).isEqualTo("critical");
            assertThat(event.get("reason").asText()).contains("INC-4711");
            assertThat(f.auditEvents("breakglass.used")).isNotEmpty();

            JsonNode note = hook.await("breakglass.granted");
            assertThat(note).as("notification delivered").isNotNull();
            assertThat(note.get("data").get("identity").asText()).isEqualTo("deployer");
            assertThat(note.get("data").get("grantedBy").asText()).isEqualTo("bob");
            assertThat(note.get("data").get("review").asText()).startsWith("bgr_");
            assertThat(hook.badSignatures.get()).isZero();

            clock.advance(Duration.ofSeconds(900));
            assertThat(approvals.breakGlassCovers("deployer", "ops/deploy_service")).as("expired by itself").isFalse();
            JsonNode active = Json.MAPPER.readTree(gh.http("GET", "/v1/breakglass?active=true", null, TestGatehouse.ADMIN_TOKEN).body());
            assertThat(active.get("items")).isEmpty();
            JsonNode all = Json.MAPPER.readTree(gh.http("GET", "/v1/breakglass?identity=deployer", null, TestGatehouse.ADMIN_TOKEN).body());
            assertThat(all.get("items").get(0).get("status").asText()).isEqualTo("expired");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void breakGlassIsTimeBoxedJustifiedAndRevocable(TestStores.Kind kind) throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp, TestStores.freshUrl(kind, tmp), Map.of("approvals.breakGlassMaxTtlSeconds", "1800"))) {
            ApprovalFixture f = new ApprovalFixture(gh);
            f.activateBreakGlassPolicy();
            String bob = f.tokens.get("bob");
            record Case(String field, Map<String, Object> body) {}
            for (Case c : List.of(
                    new Case("ttlSeconds", Map.of("identity", "deployer", "scope", List.of("ops/*"), "ttlSeconds", 1801, "justification", "INC-1 outage now")),
                    new Case("ttlSeconds", Map.of("identity", "deployer", "scope", List.of("ops/*"), "justification", "INC-1 outage now")),
                    new Case("justification", Map.of("identity", "deployer", "scope", List.of("ops/*"), "ttlSeconds", 60)),
                    new Case("justification", Map.of("identity", "deployer", "scope", List.of("ops/*"), "ttlSeconds", 60, "justification", "  ")),
                    new Case("scope", Map.of("identity", "deployer", "scope", List.of(), "ttlSeconds", 60, "justification", "INC-1 outage now")),
                    new Case("scope", Map.of("identity", "deployer", "scope", List.of("not a pattern"), "ttlSeconds", 60, "justification", "INC-1 outage now")),
                    new Case("identity", Map.of("identity", "ghost", "scope", List.of("ops/*"), "ttlSeconds", 60, "justification", "INC-1 outage now")),
                    new Case("identity", Map.of("identity", "bob", "scope", List.of("ops/*"), "ttlSeconds", 60, "justification", "INC-1 outage now")))) {
                HttpResponse<String> r = gh.http("POST", "/v1/breakglass", Json.write(c.body()), bob);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
                assertThat(Json.MAPPER.readTree(r.body()).get("field").asText()).as(r.body()).isEqualTo(c.field());
            }
            assertThat(gh.gatehouse().approvals().breakGlassGrants(null, false)).as("nothing written").isEmpty();
            assertThat(f.auditEvents("breakglass.granted")).isEmpty();

            HttpResponse<String> r = gh.http("POST", "/v1/breakglass", Json.write(Map.of("identity", "deployer", "scope", List.of("*"),
                    "ttlSeconds", 1800, "justification", "INC-2: restore service")), bob);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            String id = Json.MAPPER.readTree(r.body()).get("id").asText();
            assertThat(gh.gatehouse().approvals().breakGlassCovers("deployer", "any/tool")).isTrue();
            gh.gatehouse().registry().suspend("bob", "account compromised", "test");
            assertThat(gh.gatehouse().approvals().breakGlassCovers("deployer", "any/tool")).as("its giver was suspended").isFalse();
            gh.gatehouse().registry().reactivate("bob", "cleared", "test");
            assertThat(gh.gatehouse().approvals().breakGlassCovers("deployer", "any/tool")).isTrue();
            assertThat(gh.http("POST", "/v1/breakglass/" + id + "/revoke", null, TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(200);
            assertThat(gh.gatehouse().approvals().breakGlassCovers("deployer", "any/tool")).as("revoked early").isFalse();
            assertThat(f.auditEvents("breakglass.revoked")).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void approvalNotificationsAreSignedAndRetriedUntilTheReceiverAcceptsThem(TestStores.Kind kind) throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        try (WebhookReceiver hook = new WebhookReceiver(2);
             TestGatehouse gh = TestGatehouse.start(tmp, TestStores.freshUrl(kind, tmp), TestGatehouse.withLoopbackPeers(Map.of("approvals.webhookUrl", hook.url(),
                     "approvals.webhookSecret", WebhookReceiver.SECRET)), clock)) {
            ApprovalFixture f = new ApprovalFixture(gh);
            ApprovalRequest held = gh.gatehouse().approvals().hold(f.call("task-1", ApprovalFixture.DIGEST, List.of("owner")));
            // The receiver refuses the first two deliveries; each retry waits for its backoff on the server's clock.
            for (int i = 0; i < 400 && hook.attempts.get() < 1; i++) Thread.sleep(25);
            assertThat(hook.received).isEmpty();
            JsonNode requested = null;
            for (int i = 0; i < 20 && requested == null; i++) {
                clock.advance(Duration.ofMinutes(1));
                requested = hook.await("approval.requested");
            }
            assertThat(requested).as("delivered after retries").isNotNull();
            assertThat(hook.attempts.get()).isGreaterThanOrEqualTo(3);
            assertThat(requested.get("data").get("approval").asText()).isEqualTo(held.id());
            assertThat(requested.get("data").get("tool").asText()).isEqualTo("ops/deploy_service");
            assertThat(requested.get("data").get("summary").asText()).contains("[masked:secret]");
            assertThat(requested.get("data").get("link").asText()).isEqualTo("/v1/approvals/" + held.id());

            assertThat(f.deny(held.id(), "alice", "not during the freeze").statusCode()).isEqualTo(200);
            JsonNode denied = hook.await("approval.denied");
            assertThat(denied).isNotNull();
            assertThat(denied.get("data").get("reason").asText()).isEqualTo("not during the freeze");
            assertThat(denied.get("data").get("decidedBy").asText()).isEqualTo("alice");
            assertThat(hook.badSignatures.get()).isZero();
            String audit = gh.http("GET", "/v1/audit/export", null, TestGatehouse.ADMIN_TOKEN).body();
            assertThat(audit).doesNotContain(WebhookReceiver.SECRET);
        }
    }

    @Test
    void whoMayBreakGlassForWhomIsPolicyAndARefusalIsAudited() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp)) {
            ApprovalFixture f = new ApprovalFixture(gh);
            f.activateBreakGlassPolicy();
            gh.client().post("/v1/identities", Map.of("id", "bobs-bot", "kind", "agent", "displayName", "Bob's bot", "owner", "bob",
                    "purpose", "ops", "environment", "prod", "autonomy", "assistive",
                    "scope", Map.of("tools", List.of("ops/*"), "effects", List.of("execute"))));
            String glass = "\"scope\":[\"*\"],\"ttlSeconds\":600,\"justification\":\"INC-5: I need this right now\"}";
            // Carol is no responder: not even "*" for someone else's agent.
            HttpResponse<String> carol = gh.http("POST", "/v1/breakglass", "{\"identity\":\"deployer\"," + glass, f.tokens.get("carol"));
            assertThat(carol.statusCode()).as(carol.body()).isEqualTo(403);
            assertThat(carol.body()).contains("not_permitted");
            // Bob is a responder, but bobs-bot is his own: refused (four-eyes cannot be sidestepped this way).
            HttpResponse<String> own = gh.http("POST", "/v1/breakglass", "{\"identity\":\"bobs-bot\"," + glass, f.tokens.get("bob"));
            assertThat(own.statusCode()).as(own.body()).isEqualTo(403);
            assertThat(gh.gatehouse().approvals().breakGlassGrants(null, false)).isEmpty();
            assertThat(gh.gatehouse().approvals().breakGlassCovers("bobs-bot", "ops/deploy_service")).isFalse();

            var refused = f.auditEvents("breakglass.refused");
            assertThat(refused).hasSize(2);
            assertThat(refused.toString()).contains("human:carol").contains("human:bob").contains("starter.no-breakglass-for-own-identities")
                    .contains("critical");
            // And a responder for another's agent still may.
            assertThat(gh.http("POST", "/v1/breakglass", "{\"identity\":\"deployer\"," + glass, f.tokens.get("bob")).statusCode())
                    .isEqualTo(201);
        }
    }

    @Test
    void everyBreakGlassOpensAReviewAnotherApproverMustCloseInTime() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        try (TestGatehouse gh = TestGatehouse.start(tmp, null, Map.of("approvals.breakGlassReviewSeconds", "3600"), clock)) {
            ApprovalFixture f = new ApprovalFixture(gh);
            f.activateBreakGlassPolicy();
            HttpResponse<String> r = gh.http("POST", "/v1/breakglass", Json.write(Map.of("identity", "deployer", "scope", List.of("ops/*"),
                    "ttlSeconds", 600, "justification", "INC-6: rollback billing now")), f.tokens.get("bob"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            JsonNode open = Json.MAPPER.readTree(gh.http("GET", "/v1/breakglass/reviews?status=open", null, TestGatehouse.ADMIN_TOKEN).body())
                    .get("items");
            assertThat(open).hasSize(1);
            String review = open.get(0).get("id").asText();
            assertThat(open.get(0).get("dueAt").asText()).isEqualTo("2026-03-01T11:00:00Z");

            clock.advance(Duration.ofMinutes(61));
            JsonNode overdue = Json.MAPPER.readTree(gh.http("GET", "/v1/breakglass/reviews?status=overdue", null, f.tokens.get("dave")).body())
                    .get("items");
            assertThat(overdue).extracting(n -> n.get("id").asText()).containsExactly(review);

            String close = "{\"outcome\":\"appropriate\",\"note\":\"checked INC-6 timeline\"}";
            assertThat(gh.http("POST", "/v1/breakglass/reviews/" + review + "/close", close, f.tokens.get("bob")).statusCode())
                    .as("not by the human who broke glass").isEqualTo(403);
            assertThat(gh.http("POST", "/v1/breakglass/reviews/" + review + "/close", close, TestGatehouse.ADMIN_TOKEN).statusCode())
                    .as("an approver, as themselves").isEqualTo(403);
            HttpResponse<String> closed = gh.http("POST", "/v1/breakglass/reviews/" + review + "/close", close, f.tokens.get("dave"));
            assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(closed.body()).get("status").asText()).isEqualTo("closed");
            assertThat(gh.http("POST", "/v1/breakglass/reviews/" + review + "/close", close, f.tokens.get("carol")).statusCode()).isEqualTo(409);
            assertThat(f.auditEvents("breakglass.review.closed").get(0).toString()).contains("human:dave").contains("\"overdue\":true");
        }
    }

    @Test
    void aShortWebhookSecretStopsTheStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestGatehouse.start(tmp, null,
                        Map.of("approvals.webhookUrl", "http://127.0.0.1:9/hook", "approvals.webhookSecret", "short")))
                .hasMessageContaining("approvals.webhookSecret");
    }
}
