package dev.gatehouse.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.testing.TestStores;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Tasks end (completion, expiry) and authority is taken away (suspension, retirement, offboarding, RFC 7009) — effective on the next request. */
class TaskLifecycleIT {
    @TempDir Path dir;

    private static String taskOf(String token) throws Exception { return Jose.claims(token).path("task_id").asText(); }

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void theIdentityCompletesItsOwnTaskWithItsTokenAndEveryTokenOfTheTaskDies(TestStores.Kind store) throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir, TestStores.freshUrl(store, dir), Map.of())) {
            Broker b = new Broker(gh).standard();
            b.agent("helper-bot", "alice", List.of("github/*"), List.of("read"));
            String secret = b.addSecret("triage-bot").path("secret").asText();
            String helperSecret = b.addSecret("helper-bot").path("secret").asText();
            String token = b.accessToken("triage-bot", secret);
            String other = b.accessToken("triage-bot", secret);
            String helperToken = b.accessToken("helper-bot", helperSecret);
            String task = taskOf(token);

            assertThat(gh.http("POST", "/v1/tasks/" + taskOf(other) + "/complete", null, token).statusCode())
                    .as("a task token completes only its own task").isEqualTo(403);
            assertThat(gh.http("POST", "/v1/tasks/" + task + "/complete", null, helperToken).statusCode()).isEqualTo(403);
            assertThat(gh.http("GET", "/v1/tasks", null, token).statusCode()).as("task tokens cannot read the inventory").isEqualTo(403);
            assertThat(gh.http("GET", "/v1/identities", null, token).statusCode()).isEqualTo(403);

            HttpResponse<String> done = gh.http("POST", "/v1/tasks/" + task + "/complete", "{\"reason\":\"triage finished\"}", token);
            assertThat(done.statusCode()).isEqualTo(200);
            JsonNode completed = Broker.body(done);
            assertThat(completed.path("status").asText()).isEqualTo("completed");
            assertThat(completed.path("endedBy").asText()).isEqualTo("identity:triage-bot");
            assertThat(completed.path("endReason").asText()).isEqualTo("triage finished");

            assertThat(b.introspect(token).path("active").asBoolean()).isFalse();
            assertThat(b.introspect(token).size()).as("nothing but active:false for dead tokens").isEqualTo(1);
            assertThat(b.introspect(other).path("active").asBoolean()).as("other tasks are untouched").isTrue();
            assertThat(gh.http("POST", "/v1/tasks/" + task + "/complete", null, token).statusCode())
                    .as("the completed task's token is dead").isEqualTo(401);
            assertThat(gh.http("POST", "/v1/tasks/" + taskOf(other) + "/complete", null, TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(200);
            assertThat(gh.http("POST", "/v1/tasks/" + taskOf(other) + "/complete", null, TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(409);
            assertThat(b.introspect(other).path("active").asBoolean()).isFalse();
            assertThat(gh.client().get("/v1/tasks", Map.of("status", "completed")).path("items")).hasSize(2);
        }
    }

    @Test
    void tasksAndTokensExpireByThemselves() throws Exception {
        MutableClock clock = MutableClock.now();
        try (TestGatehouse gh = TestGatehouse.start(dir, null, Map.of(), clock)) {
            Broker b = new Broker(gh).standard();
            String token = b.accessToken("triage-bot", b.addSecret("triage-bot").path("secret").asText(), "ttl", "300");
            clock.advance(Duration.ofSeconds(299));
            assertThat(b.introspect(token).path("active").asBoolean()).isTrue();
            clock.advance(Duration.ofSeconds(1));
            assertThat(b.introspect(token).path("active").asBoolean()).isFalse();
            JsonNode task = gh.client().get("/v1/tasks/" + taskOf(token));
            assertThat(task.path("status").asText()).isEqualTo("expired");
            assertThat(gh.client().get("/v1/tasks", Map.of("status", "expired")).path("items")).hasSize(1);
            assertThat(gh.client().get("/v1/tasks", Map.of("status", "active")).path("items")).isEmpty();
            assertThat(gh.http("POST", "/v1/tasks/" + task.path("id").asText() + "/complete", null, TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(409);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void suspendingOrRetiringAnIdentityRevokesItsTokensAtOnceAndRetirementItsCredentials(TestStores.Kind store) throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir, TestStores.freshUrl(store, dir), Map.of())) {
            Broker b = new Broker(gh).standard();
            String secret = b.addSecret("triage-bot").path("secret").asText();
            String token = b.accessToken("triage-bot", secret);

            gh.client().post("/v1/identities/triage-bot/suspend", Map.of("reason", "incident"));
            assertThat(b.introspect(token).path("active").asBoolean()).isFalse();
            gh.client().post("/v1/identities/triage-bot/reactivate", Map.of("reason", "resolved"));
            assertThat(b.introspect(token).path("active").asBoolean()).as("revoked for good, not merely hidden").isFalse();
            assertThat(gh.client().get("/v1/tasks/" + taskOf(token)).path("status").asText()).isEqualTo("revoked");

            String fresh = b.accessToken("triage-bot", secret);
            gh.client().post("/v1/identities/triage-bot/retire", Map.of("reason", "decommissioned"));
            assertThat(b.introspect(fresh).path("active").asBoolean()).isFalse();
            assertThat(gh.client().get("/v1/identities/triage-bot/credentials").path("items").findValuesAsText("status")).containsOnly("revoked");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void offboardingTheOwnerRevokesEverythingTheirAgentsAndWorkloadsHold(TestStores.Kind store) throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir, TestStores.freshUrl(store, dir), Map.of())) {
            Broker b = new Broker(gh).standard();
            b.workload("nightly-sync", "alice", List.of("jira/*"), List.of("read"));
            b.human("carol");
            b.agent("carol-bot", "carol", List.of("github/*"), List.of("read"));
            String t1 = b.accessToken("triage-bot", b.addSecret("triage-bot").path("secret").asText());
            String t2 = b.accessToken("nightly-sync", b.addSecret("nightly-sync").path("secret").asText());
            String t3 = b.accessToken("carol-bot", b.addSecret("carol-bot").path("secret").asText());

            gh.client().post("/v1/identities/alice/retire", Map.of("reason", "left the company"));
            assertThat(b.introspect(t1).path("active").asBoolean()).isFalse();
            assertThat(b.introspect(t2).path("active").asBoolean()).isFalse();
            assertThat(b.introspect(t3).path("active").asBoolean()).as("other owners' agents keep working").isTrue();
        }
    }

    @Test
    void rfc7009RevocationByTheHolderOrAnAdminAndIntrospectionRules() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            Broker b = new Broker(gh).standard();
            b.agent("helper-bot", "alice", List.of("github/*"), List.of("read"));
            String secret = b.addSecret("triage-bot").path("secret").asText();
            String helperSecret = b.addSecret("helper-bot").path("secret").asText();
            String token = b.accessToken("triage-bot", secret);
            String second = b.accessToken("triage-bot", secret);

            // Introspection: the holder sees its token; another client sees "inactive"; no credentials, no answer.
            JsonNode own = Broker.body(b.form("/oauth2/introspect", Map.of("token", token), "triage-bot", secret, null));
            assertThat(own.path("active").asBoolean()).isTrue();
            assertThat(own.path("sub").asText()).isEqualTo("spiffe://gatehouse.local/agent/triage-bot");
            assertThat(own.path("scope").asText()).isEqualTo("github/* jira/read_issue read write");
            JsonNode foreign = Broker.body(b.form("/oauth2/introspect", Map.of("token", token), "helper-bot", helperSecret, null));
            assertThat(foreign.path("active").asBoolean()).isFalse();
            HttpResponse<String> anonymous = b.form("/oauth2/introspect", Map.of("token", token), null, null, null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(Broker.body(anonymous).path("error").asText()).isEqualTo("invalid_client");
            assertThat(b.form("/oauth2/introspect", Map.of("token", token), null, null, token).statusCode())
                    .as("a task token is no introspection credential").isEqualTo(401);

            HttpResponse<String> notHolder = b.form("/oauth2/revoke", Map.of("token", token), "helper-bot", helperSecret, null);
            assertThat(notHolder.statusCode()).isEqualTo(400);
            assertThat(Broker.body(notHolder).path("error").asText()).isEqualTo("unauthorized_client");
            assertThat(b.introspect(token).path("active").asBoolean()).isTrue();

            assertThat(b.form("/oauth2/revoke", Map.of("token", token), "triage-bot", secret, null).statusCode()).isEqualTo(200);
            assertThat(b.introspect(token).path("active").asBoolean()).isFalse();
            assertThat(b.introspect(second).path("active").asBoolean()).as("only that token").isTrue();
            assertThat(b.form("/oauth2/revoke", Map.of("token", "garbage"), "triage-bot", secret, null).statusCode())
                    .as("RFC 7009: unknown tokens are not an error").isEqualTo(200);
            assertThat(b.form("/oauth2/revoke", Map.of("token", second), null, null, TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(200);
            assertThat(b.introspect(second).path("active").asBoolean()).isFalse();
        }
    }

    @Test
    void aTamperedOrForeignTokenIsNeverActive() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            Broker b = new Broker(gh).standard();
            String token = b.accessToken("triage-bot", b.addSecret("triage-bot").path("secret").asText(), "scope", "github/list_issues read");
            String[] parts = token.split("\\.");
            String widened = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("github/list_issues read", "* read write execute").getBytes());
            assertThat(b.introspect(parts[0] + "." + widened + "." + parts[2]).path("active").asBoolean()).isFalse();
            assertThat(b.introspect("eyJhbGciOiJub25lIn0." + parts[1] + ".").path("active").asBoolean()).isFalse();
        }
    }

    @Test
    void adminRevokeAllTakesEverythingWithoutChangingTheLifecycle() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            Broker b = new Broker(gh).standard();
            b.workload("nightly-sync", "alice", List.of("jira/*"), List.of("read"));
            String botToken = b.accessToken("triage-bot", b.addSecret("triage-bot").path("secret").asText());
            String syncToken = b.accessToken("nightly-sync", b.addSecret("nightly-sync").path("secret").asText());

            assertThat(gh.http("POST", "/v1/identities/triage-bot/revoke-all", "{}", TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(400);
            JsonNode counts = gh.client().post("/v1/identities/triage-bot/revoke-all", Map.of("reason", "leaked secret"));
            assertThat(counts.path("tasks").asInt()).isEqualTo(1);
            assertThat(counts.path("tokens").asInt()).isEqualTo(1);
            assertThat(counts.path("credentials").asInt()).isEqualTo(1);
            assertThat(b.introspect(botToken).path("active").asBoolean()).isFalse();
            assertThat(b.introspect(syncToken).path("active").asBoolean()).isTrue();
            assertThat(gh.client().get("/v1/identities/triage-bot").path("status").asText()).isEqualTo("active");
            assertThat(b.token("triage-bot", "x").statusCode()).isEqualTo(401);
            assertThat(b.accessToken("triage-bot", b.addSecret("triage-bot").path("secret").asText())).as("new credentials work").isNotBlank();

            JsonNode offboarding = gh.client().post("/v1/identities/alice/revoke-all", Map.of("reason", "offboarding"));
            assertThat(offboarding.path("tasks").asInt()).isEqualTo(2);
            assertThat(b.introspect(syncToken).path("active").asBoolean()).isFalse();
        }
    }

    @Test
    void narrowingTheDeclaredScopeDeactivatesTokensBeyondIt() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            Broker b = new Broker(gh).standard();
            String secret = b.addSecret("triage-bot").path("secret").asText();
            String broad = b.accessToken("triage-bot", secret);
            String narrow = b.accessToken("triage-bot", secret, "scope", "github/list_issues read");
            gh.client().patch("/v1/identities/triage-bot", Map.of("scope", Map.of("tools", List.of("github/list_issues"), "effects", List.of("read"))));
            assertThat(b.introspect(broad).path("active").asBoolean()).isFalse();
            assertThat(b.introspect(narrow).path("active").asBoolean()).isTrue();
        }
    }
}
