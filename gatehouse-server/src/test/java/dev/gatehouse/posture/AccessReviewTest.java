package dev.gatehouse.posture;

import static dev.gatehouse.posture.PostureFixture.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.Cli;
import dev.gatehouse.testing.TestGatehouse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An access review from opening to deadline: items per identity in scope with what an owner needs
 * (scope, credentials, last seen, usage), answers by the owner's own approver token (and refusals for
 * anyone else), reduce and revoke applied at once, unanswered items suspended at the deadline by the
 * scheduler — once, although two nodes close it at the same moment — reminders through the webhook,
 * every step audited; and the CLI for all of it.
 */
class AccessReviewTest {
    static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");

    @TempDir
    java.nio.file.Path dir;

    @Test
    void ownersAnswerForTheirIdentitiesAndTheDeadlineSuspendsWhatNobodyVouchedFor() throws Exception {
        PostureFixture.TestClock clock = new PostureFixture.TestClock(NOW);
        try (WebhookReceiver hook = new WebhookReceiver()) {
            Map<String, String> settings = new HashMap<>(hook.settings());
            settings.put("lifecycle.sweepSeconds", "3600");
            try (TestGatehouse gh = TestGatehouse.start(dir, null, TestGatehouse.withLoopbackPeers(settings), clock)) {
                PostureFixture f = new PostureFixture(gh, clock);
                f.human("alice");
                f.human("bob");
                f.human("reader-person");
                f.workload("billing-sync", "alice", "prod", List.of("billing/*", "crm/lookup"), List.of("read", "write"));
                f.agent("support-bot", "alice", "prod", "assistive", List.of("zendesk/*"), List.of("read", "write"));
                f.agent("build-agent", "bob", "prod", "autonomous", List.of("ci/*"), List.of("read", "execute"));
                f.workload("staging-loader", "bob", "staging", List.of("etl/*"), List.of("read"));
                String[] cred = f.secret("billing-sync");
                assertOk(f.token("billing-sync", cred[1], "billing-sync/2.1"), 200);
                String alice = f.approverToken("alice");
                String bob = f.approverToken("bob");
                String reader = gh.client().post("v1/admin-tokens", Map.of("name", "auditor", "role", "reader")).path("secret").asText();

                HttpResponse<String> created = f.http("POST", "/v1/reviews", Map.of("name", "Q1 production recertification",
                        "scope", Map.of("environments", List.of("prod")), "dueAt", NOW.plus(Duration.ofDays(14)).toString(), "onMissed", "suspend"),
                        TestGatehouse.ADMIN_TOKEN);
                assertOk(created, 201);
                JsonNode review = f.json(created);
                String id = review.path("id").asText();
                assertThat(review.path("items")).extracting(i -> i.path("identity").asText())
                        .containsExactly("billing-sync", "build-agent", "support-bot");
                JsonNode billing = review.path("items").get(0);
                assertThat(billing.path("owner").asText()).isEqualTo("alice");
                assertThat(billing.path("declaredScope").path("tools").toString()).isEqualTo("[\"billing/*\",\"crm/lookup\"]");
                assertThat(billing.path("credentials").get(0).path("type").asText()).isEqualTo("client_secret");
                assertThat(billing.path("credentials").get(0).path("lastUsed").asText()).isEqualTo(NOW.toString());
                assertThat(billing.path("lastSeen").asText()).isEqualTo(NOW.toString());
                assertThat(billing.path("usage").path("unused").path("tools").size()).isEqualTo(2);
                assertThat(hook.await("review.assigned").path("data").path("name").asText()).isEqualTo("Q1 production recertification");

                // Bad input: clear errors, nothing created.
                assertOk(f.http("POST", "/v1/reviews", Map.of("name", "x", "scope", Map.of("kinds", List.of("human")), "dueAt",
                        NOW.plus(Duration.ofDays(1)).toString(), "onMissed", "none"), TestGatehouse.ADMIN_TOKEN), 400);
                HttpResponse<String> past = f.http("POST", "/v1/reviews", Map.of("name", "x", "dueAt", NOW.minusSeconds(1).toString(),
                        "onMissed", "none"), TestGatehouse.ADMIN_TOKEN);
                assertThat(f.json(past).path("field").asText()).isEqualTo("dueAt");
                assertOk(f.http("POST", "/v1/reviews", Map.of("name", "x", "dueAt", NOW.plus(Duration.ofDays(1)).toString(),
                        "onMissed", "later"), TestGatehouse.ADMIN_TOKEN), 400);
                assertThat(gh.client().get("v1/reviews").path("items").size()).isEqualTo(1);

                // An approver token sees only its human's items; a task token sees nothing.
                assertThat(f.json(f.http("GET", "/v1/reviews/" + id, null, bob)).path("items")).extracting(i -> i.path("identity").asText())
                        .containsExactly("build-agent");

                // Only the owner (or an admin) answers; readers and other humans are refused.
                String item = "/v1/reviews/" + id + "/items/";
                assertOk(f.http("POST", item + "support-bot", Map.of("decision", "keep"), bob), 403);
                assertOk(f.http("POST", item + "support-bot", Map.of("decision", "keep"), reader), 403);
                // A reduction can only narrow.
                HttpResponse<String> widen = f.http("POST", item + "billing-sync", Map.of("decision", "reduce", "scope",
                        Map.of("tools", List.of("billing/*", "payments/*"), "effects", List.of("read"))), alice);
                assertOk(widen, 400);
                assertThat(f.json(widen).path("field").asText()).isEqualTo("scope.tools[1]");
                assertOk(f.http("POST", item + "support-bot", Map.of("decision", "revoke"), alice), 400); // revoke needs a reason

                HttpResponse<String> reduced = f.http("POST", item + "billing-sync", Map.of("decision", "reduce", "scope",
                        Map.of("tools", List.of("billing/invoices"), "effects", List.of("read")), "comment", "only reads invoices"), alice);
                assertOk(reduced, 200);
                assertThat(f.json(reduced).path("outcome").asText()).isEqualTo("scope_reduced");
                assertThat(f.json(reduced).path("decidedBy").asText()).isEqualTo("human:alice");
                assertThat(gh.client().get("v1/identities/billing-sync").path("scope").path("tools").toString()).isEqualTo("[\"billing/invoices\"]");
                assertOk(f.http("POST", item + "billing-sync", Map.of("decision", "keep"), alice), 409);

                Cli.Run revoke = Cli.run(Map.of("GATEHOUSE_TOKEN", alice, "GATEHOUSE_SERVER", gh.baseUri().toString(), "GATEHOUSE_CLI_CONFIG", "/none"),
                        "review", "decide", id, "support-bot", "--decision", "revoke", "--comment", "replaced by the new help desk");
                assertThat(revoke.exit()).as(revoke.err()).isZero();
                assertThat(gh.client().get("v1/identities/support-bot").path("status").asText()).isEqualTo("retired");

                // Reminder a day before the deadline, once per owner still owing answers (bob).
                clock.set(NOW.plus(Duration.ofDays(13)).plus(Duration.ofHours(1)));
                gh.gatehouse().postureScheduler().runOnce();
                gh.gatehouse().postureScheduler().runOnce();
                assertThat(hook.await("review.reminder").path("data").path("owner").asText()).isEqualTo("bob");
                assertThat(f.audit("review.reminded")).hasSize(1);

                // The deadline passes; two nodes close at once: one close, one suspension.
                clock.set(NOW.plus(Duration.ofDays(14)).plusSeconds(1));
                CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> gh.gatehouse().reviews().closeDue());
                CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> gh.gatehouse().reviews().closeDue());
                assertThat(a.join() + b.join()).isEqualTo(1);
                JsonNode closed = gh.client().get("v1/reviews/" + id);
                assertThat(closed.path("status").asText()).isEqualTo("closed");
                assertThat(closed.path("counts").path("missed").asInt()).isEqualTo(1);
                JsonNode missed = closed.path("items").get(1);
                assertThat(missed.path("identity").asText()).isEqualTo("build-agent");
                assertThat(missed.path("decision").asText()).isEqualTo("missed");
                assertThat(missed.path("outcome").asText()).isEqualTo("suspended");
                assertThat(gh.client().get("v1/identities/build-agent").path("status").asText()).isEqualTo("suspended");
                assertThat(f.audit("identity.suspend")).singleElement()
                        .satisfies(r -> assertThat(r.path("reason").asText()).isEqualTo("access review 'Q1 production recertification' missed its deadline"));
                assertOk(f.http("POST", "/v1/reviews/" + id + "/close", null, TestGatehouse.ADMIN_TOKEN), 409);
                assertOk(f.http("POST", item + "build-agent", Map.of("decision", "keep"), bob), 409);
                assertThat(f.audit("review.*")).extracting(r -> r.path("type").asText())
                        .containsExactly("review.created", "review.decided", "review.decided", "review.reminded", "review.missed", "review.closed");

                // The CLI: create, show, close.
                Map<String, String> admin = Cli.adminEnv(gh);
                Cli.Run create = Cli.run(admin, "review", "create", "--name", "staging", "--env", "staging", "--due",
                        NOW.plus(Duration.ofDays(20)).toString(), "--on-missed", "none", "-o", "json");
                assertThat(create.exit()).as(create.err()).isZero();
                String second = create.json().path("id").asText();
                Cli.Run show = Cli.run(admin, "review", "show", second);
                assertThat(show.out()).contains("staging-loader", "bob");
                Cli.Run close = Cli.run(admin, "review", "close", second);
                assertThat(close.exit()).isZero();
                assertThat(close.out()).contains("missed", "none");
                Cli.Run again = Cli.run(admin, "review", "close", second);
                assertThat(again.exit()).isEqualTo(1);
                assertThat(again.err().strip().lines()).singleElement().satisfies(l -> assertThat(l).contains("already closed"));
                assertThat(gh.client().get("v1/identities/staging-loader").path("status").asText()).isEqualTo("active");
            }
        }
    }
}
