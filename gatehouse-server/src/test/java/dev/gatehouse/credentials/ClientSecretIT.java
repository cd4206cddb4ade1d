package dev.gatehouse.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.GatehouseApiException;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.testing.TestStores;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClientSecretIT {
    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void agentGetsATaskTokenThatVerifiesAgainstThePublishedJwks(TestStores.Kind store) throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir, TestStores.freshUrl(store, dir), Map.of())) {
            Broker b = new Broker(gh).standard();
            JsonNode cred = b.addSecret("triage-bot");
            String token = b.accessToken("triage-bot", cred.path("secret").asText(), "scope", "github/list_issues read");

            assertThat(Jose.verifiesWith(token, b.jwks())).as("verifies with a JDK-only ES256 verifier").isTrue();
            assertThat(Jose.header(token).path("typ").asText()).isEqualTo("at+jwt");
            JsonNode claims = Jose.claims(token);
            assertThat(claims.path("iss").asText()).isEqualTo(b.issuer());
            assertThat(claims.path("sub").asText()).isEqualTo("spiffe://gatehouse.local/agent/triage-bot");
            assertThat(claims.path("aud").asText()).isEqualTo("gatehouse");
            assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(600);
            assertThat(claims.path("jti").asText()).hasSizeGreaterThan(20);
            assertThat(claims.path("intent").asText()).isEqualTo("triage new issues");
            assertThat(claims.path("scope").asText()).isEqualTo("github/list_issues read");
            assertThat(claims.path("kind").asText()).isEqualTo("agent");
            assertThat(claims.path("owner").asText()).isEqualTo("alice");
            assertThat(claims.path("client_id").asText()).isEqualTo("triage-bot");

            JsonNode task = gh.client().get("/v1/tasks/" + claims.path("task_id").asText());
            assertThat(task.path("identity").asText()).isEqualTo("triage-bot");
            assertThat(task.path("status").asText()).isEqualTo("active");
            assertThat(task.path("intent").asText()).isEqualTo("triage new issues");
            assertThat(task.path("scope").path("tools").toString()).isEqualTo("[\"github/list_issues\"]");

            JsonNode introspected = b.introspect(token);
            assertThat(introspected.path("active").asBoolean()).isTrue();
            assertThat(introspected.path("task_id").asText()).isEqualTo(task.path("id").asText());
        }
    }

    @Test
    void secretIsShownOnceAtCreationAndNeverAgain() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            Broker b = new Broker(gh).standard();
            HttpResponse<String> created = gh.http("POST", "/v1/identities/triage-bot/credentials", "{\"type\":\"client_secret\"}", TestGatehouse.ADMIN_TOKEN);
            assertThat(created.statusCode()).isEqualTo(201);
            JsonNode c = Broker.body(created);
            String secret = c.path("secret").asText();
            assertThat(secret).startsWith("ghcs_").hasSizeGreaterThanOrEqualTo(48);
            assertThat(c.path("id").asText()).startsWith("cred_");
            assertThat(c.path("clientId").asText()).isEqualTo("triage-bot");
            assertThat(c.path("expiresAt").isTextual()).as("secrets expire by default").isTrue();

            String listed = gh.http("GET", "/v1/identities/triage-bot/credentials", null, TestGatehouse.ADMIN_TOKEN).body();
            assertThat(listed).contains(c.path("id").asText()).doesNotContain(secret).doesNotContain("\"secret\"").doesNotContain("hash");
            String rotated = gh.http("POST", "/v1/identities/triage-bot/credentials/" + c.path("id").asText() + "/rotate", null, TestGatehouse.ADMIN_TOKEN).body();
            String newSecret = Broker.JSON.readTree(rotated).path("secret").asText();
            assertThat(newSecret).startsWith("ghcs_").isNotEqualTo(secret);
            assertThat(rotated).doesNotContain(secret);
            String again = gh.http("GET", "/v1/identities/triage-bot/credentials", null, TestGatehouse.ADMIN_TOKEN).body();
            assertThat(again).doesNotContain(secret).doesNotContain(newSecret);
            // A failed authentication never echoes what was presented.
            HttpResponse<String> wrong = b.token("triage-bot", secret + "x");
            assertThat(wrong.body()).doesNotContain(secret);
        }
    }

    @Test
    void clientSecretPostWorksAndBadClientsGetInvalidClient() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            Broker b = new Broker(gh).standard();
            String secret = b.addSecret("triage-bot").path("secret").asText();
            HttpResponse<String> post = b.form("/oauth2/token", Map.of("grant_type", "client_credentials", "task_intent", "x",
                    "client_id", "triage-bot", "client_secret", secret), null, null, null);
            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(Broker.body(post).path("token_type").asText()).isEqualTo("Bearer");
            assertThat(Broker.body(post).path("expires_in").asLong()).isEqualTo(600);

            HttpResponse<String> wrongSecret = b.token("triage-bot", "ghcs_wrong");
            assertThat(wrongSecret.statusCode()).isEqualTo(401);
            assertThat(Broker.body(wrongSecret).path("error").asText()).isEqualTo("invalid_client");
            assertThat(wrongSecret.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
            HttpResponse<String> unknown = b.token("nobody", secret);
            assertThat(Broker.body(unknown).path("error").asText()).isEqualTo("invalid_client");
            assertThat(Broker.body(unknown).path("error_description").asText())
                    .as("the same answer as a wrong secret: nothing tells an attacker which part failed")
                    .isEqualTo(Broker.body(wrongSecret).path("error_description").asText());
            HttpResponse<String> noAuth = b.form("/oauth2/token", Map.of("grant_type", "client_credentials", "task_intent", "x"), null, null, null);
            assertThat(Broker.body(noAuth).path("error").asText()).isEqualTo("invalid_client");

            HttpResponse<String> grant = b.form("/oauth2/token", Map.of("grant_type", "password", "username", "a", "password", "b"), "triage-bot", secret, null);
            assertThat(grant.statusCode()).isEqualTo(400);
            assertThat(Broker.body(grant).path("error").asText()).isEqualTo("unsupported_grant_type");
            HttpResponse<String> twoMethods = b.form("/oauth2/token", Map.of("grant_type", "client_credentials", "task_intent", "x",
                    "client_id", "triage-bot", "client_secret", secret), "triage-bot", secret, null);
            assertThat(Broker.body(twoMethods).path("error").asText()).isEqualTo("invalid_request");
            HttpResponse<String> json = gh.http("POST", "/oauth2/token", "{\"grant_type\":\"client_credentials\"}", null);
            assertThat(json.statusCode()).isEqualTo(400);
            assertThat(Broker.body(json).path("error").asText()).isEqualTo("invalid_request");
        }
    }

    @Test
    void scopeIsNarrowedWithinTheDeclaredScopeAndEscalationIsInvalidScope() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            Broker b = new Broker(gh).standard();
            String secret = b.addSecret("triage-bot").path("secret").asText();
            assertThat(Jose.claims(b.accessToken("triage-bot", secret)).path("scope").asText())
                    .as("omitted scope = the whole declared scope").isEqualTo("github/* jira/read_issue read write");
            assertThat(Jose.claims(b.accessToken("triage-bot", secret, "scope", "github/create_issue")).path("scope").asText())
                    .as("tools only: effects stay as declared").isEqualTo("github/create_issue read write");
            assertThat(Jose.claims(b.accessToken("triage-bot", secret, "scope", "write")).path("scope").asText())
                    .isEqualTo("github/* jira/read_issue write");
            for (String escalation : List.of("github/* execute", "slack/post_message", "*", "jira/*", "jira/read_issue admin", "../etc")) {
                HttpResponse<String> r = b.token("triage-bot", secret, "scope", escalation);
                assertThat(r.statusCode()).as(escalation).isEqualTo(400);
                assertThat(Broker.body(r).path("error").asText()).as(escalation).isEqualTo("invalid_scope");
            }
            assertThat(gh.client().get("/v1/tasks", Map.of("identity", "triage-bot")).path("items")).as("refusals create no task").hasSize(3);
        }
    }

    @Test
    void ttlDefaultsToTenMinutesAndIsCappedByConfiguration() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            Broker b = new Broker(gh).standard();
            String secret = b.addSecret("triage-bot").path("secret").asText();
            JsonNode shortLived = Broker.body(b.token("triage-bot", secret, "ttl", "120"));
            assertThat(shortLived.path("expires_in").asLong()).isEqualTo(120);
            JsonNode claims = Jose.claims(shortLived.path("access_token").asText());
            assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(120);
            assertThat(Broker.body(b.token("triage-bot", secret, "ttl", "86400")).path("expires_in").asLong()).as("capped at 15 min").isEqualTo(900);
            assertThat(Broker.body(b.token("triage-bot", secret, "ttl", "soon")).path("error").asText()).isEqualTo("invalid_request");
            assertThat(Broker.body(b.token("triage-bot", secret, "ttl", "-5")).path("error").asText()).isEqualTo("invalid_request");
            HttpResponse<String> noIntent = b.form("/oauth2/token", Map.of("grant_type", "client_credentials"), "triage-bot", secret, null);
            assertThat(Broker.body(noIntent).path("error").asText()).isEqualTo("invalid_request");
        }
    }

    @Test
    void rotationKeepsTheOldSecretWorkingForTheOverlapWindowOnly() throws Exception {
        MutableClock clock = MutableClock.now();
        try (TestGatehouse gh = TestGatehouse.start(dir, null, Map.of("credentials.secretOverlapSeconds", "3600"), clock)) {
            Broker b = new Broker(gh).standard();
            JsonNode cred = b.addSecret("triage-bot");
            String old = cred.path("secret").asText();
            JsonNode rotated = gh.client().post("/v1/identities/triage-bot/credentials/" + cred.path("id").asText() + "/rotate", Map.of());
            String fresh = rotated.path("secret").asText();
            assertThat(rotated.path("previousValidUntil").isTextual()).isTrue();

            assertThat(b.token("triage-bot", old).statusCode()).as("old secret inside the overlap").isEqualTo(200);
            assertThat(b.token("triage-bot", fresh).statusCode()).isEqualTo(200);
            clock.advance(Duration.ofSeconds(3601));
            assertThat(b.token("triage-bot", old).statusCode()).as("old secret after the overlap").isEqualTo(401);
            assertThat(b.token("triage-bot", fresh).statusCode()).isEqualTo(200);

            JsonNode immediate = gh.client().post("/v1/identities/triage-bot/credentials/" + cred.path("id").asText() + "/rotate",
                    Map.of("overlapSeconds", 0));
            assertThat(b.token("triage-bot", fresh).statusCode()).as("overlap 0 ends the previous secret at once").isEqualTo(401);
            assertThat(b.token("triage-bot", immediate.path("secret").asText()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void expiredAndRevokedSecretsStopWorking() throws Exception {
        MutableClock clock = MutableClock.now();
        try (TestGatehouse gh = TestGatehouse.start(dir, null, Map.of(), clock)) {
            Broker b = new Broker(gh).standard();
            JsonNode expiring = gh.client().post("/v1/identities/triage-bot/credentials",
                    Map.of("type", "client_secret", "expiresAt", clock.instant().plusSeconds(86400).toString()));
            JsonNode revoked = b.addSecret("triage-bot");
            assertThat(b.token("triage-bot", expiring.path("secret").asText()).statusCode()).isEqualTo(200);
            assertThat(b.token("triage-bot", revoked.path("secret").asText()).statusCode()).isEqualTo(200);

            JsonNode r = gh.client().post("/v1/identities/triage-bot/credentials/" + revoked.path("id").asText() + "/revoke", Map.of());
            assertThat(r.path("status").asText()).isEqualTo("revoked");
            assertThat(b.token("triage-bot", revoked.path("secret").asText()).statusCode()).isEqualTo(401);
            clock.advance(Duration.ofDays(1).plusSeconds(1));
            assertThat(b.token("triage-bot", expiring.path("secret").asText()).statusCode()).isEqualTo(401);
            JsonNode list = gh.client().get("/v1/identities/triage-bot/credentials");
            assertThat(list.path("items").findValuesAsText("status")).containsExactlyInAnyOrder("expired", "revoked");
        }
    }

    @Test
    void credentialsAreForWorkloadsAndAgentsOnlyAndNeedAdminTokens() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            new Broker(gh).standard();
            Assertions.assertThatThrownBy(() -> gh.client().post("/v1/identities/alice/credentials", Map.of("type", "client_secret")))
                    .isInstanceOfSatisfying(GatehouseApiException.class, e -> assertThat(e.status()).isEqualTo(400));
            Assertions.assertThatThrownBy(() -> gh.client().post("/v1/identities/ghost/credentials", Map.of("type", "client_secret")))
                    .isInstanceOfSatisfying(GatehouseApiException.class, e -> assertThat(e.status()).isEqualTo(404));
            Assertions.assertThatThrownBy(() -> gh.client().post("/v1/identities/triage-bot/credentials", Map.of("type", "password")))
                    .isInstanceOfSatisfying(GatehouseApiException.class, e -> assertThat(e.field()).isEqualTo("type"));
            assertThat(gh.http("POST", "/v1/identities/triage-bot/credentials", "{\"type\":\"client_secret\"}", null).statusCode()).isEqualTo(401);
            assertThat(gh.client().get("/v1/identities/triage-bot/credentials").path("items")).isEmpty();
        }
    }

    @Test
    void suspendedIdentitiesAndThoseWithRetiredOwnersGetNothing() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(dir)) {
            Broker b = new Broker(gh).standard();
            b.human("bob");
            b.workload("ci-deployer", "bob", List.of("k8s/*"), List.of("execute"));
            String botSecret = b.addSecret("triage-bot").path("secret").asText();
            String ciSecret = b.addSecret("ci-deployer").path("secret").asText();

            gh.client().post("/v1/identities/triage-bot/suspend", Map.of("reason", "incident 42"));
            assertThat(Broker.body(b.token("triage-bot", botSecret)).path("error").asText()).isEqualTo("invalid_client");
            gh.client().post("/v1/identities/triage-bot/reactivate", Map.of("reason", "resolved"));
            assertThat(b.token("triage-bot", botSecret).statusCode()).as("suspension keeps credentials").isEqualTo(200);

            gh.client().post("/v1/identities/bob/retire", Map.of("reason", "left the company"));
            assertThat(Broker.body(b.token("ci-deployer", ciSecret)).path("error").asText()).isEqualTo("invalid_client");
        }
    }
}
