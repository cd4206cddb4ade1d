package dev.gatehouse.posture;

import static dev.gatehouse.posture.PostureFixture.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.TestGatehouse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identities and credentials over time, on a clock the test moves: lastSeen on authentication and on
 * gateway calls, credentials and their secrets revoked on reassignment and owner retirement, warnings
 * before and at a credential's maximum age and its revocation when enforced, dormant identities
 * suspended with reason {@code dormant}, rotation reminders for upstream credentials, and a person's
 * tool using a workload's secret.
 */
class LifecycleTest {
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @TempDir
    java.nio.file.Path dir;

    @Test
    void credentialsAndIdentitiesAgeAsConfigured() throws Exception {
        PostureFixture.TestClock clock = new PostureFixture.TestClock(T0);
        try (WebhookReceiver hook = new WebhookReceiver()) {
            Map<String, String> settings = new HashMap<>(hook.settings());
            settings.put("lifecycle.sweepSeconds", "3600");
            settings.put("lifecycle.dormantAfterDays", "30");
            settings.put("lifecycle.suspendDormant", "true");
            settings.put("lifecycle.credentialMaxAgeDays.clientSecret", "60");
            settings.put("lifecycle.credentialWarnDays", "10");
            settings.put("lifecycle.enforceMaxAge", "true");
            try (TestGatehouse gh = TestGatehouse.start(dir, null, TestGatehouse.withLoopbackPeers(settings), clock)) {
                PostureFixture f = new PostureFixture(gh, clock);
                for (String h : List.of("alice", "bob", "carol")) f.human(h);
                f.agent("reporter", "alice", "prod", "assistive", List.of("crm/*"), List.of("read"));
                f.workload("idle-bot", "bob", "dev", List.of("crm/*"), List.of("read"));
                f.workload("etl", "alice", "prod", List.of("warehouse/*"), List.of("read"));
                f.workload("etl2", "carol", "prod", List.of("warehouse/*"), List.of("read"));
                String[] reporter = f.secret("reporter");
                String[] etl = f.secret("etl");
                String[] etl2 = f.secret("etl2");

                // A person requests the agent's token with the CLI; lastSeen and the credential's lastUsed move.
                HttpResponse<String> issued = f.token("reporter", reporter[1], "gatehouse-cli/0.1.0");
                assertOk(issued, 200);
                String token = f.json(issued).path("access_token").asText();
                assertThat(gh.client().get("v1/identities/reporter").path("lastSeen").asText()).isEqualTo(T0.toString());
                assertThat(gh.client().get("v1/identities/reporter/credentials").path("items").get(0).path("lastUsed").asText())
                        .isEqualTo(T0.toString());

                // A gateway call moves lastSeen too (the upstream is unreachable: authentication comes first).
                gh.client().post("v1/tool-servers", Map.of("id", "crm", "url", "http://127.0.0.1:9/mcp", "trust", "approved",
                        "tools", List.of(Map.of("name", "lookup", "effect", "read", "risk", "low"))));
                clock.advance(Duration.ofMinutes(2));
                HttpResponse<String> init = PostureFixture.HTTP.send(HttpRequest.newBuilder(gh.baseUri().resolve("mcp/crm"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
                                + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
                assertThat(gh.client().get("v1/identities/reporter").path("lastSeen").asText()).isEqualTo(T0.plus(Duration.ofMinutes(2)).toString());

                // Reassignment: the old owner's secret stops working; the new owner issues a new one.
                gh.client().post("v1/identities/etl/reassign", Map.of("owner", "bob", "reason", "team change"));
                assertThat(gh.client().get("v1/identities/etl/credentials").path("items").get(0).path("status").asText()).isEqualTo("revoked");
                assertOk(f.token("etl", etl[1], "etl/1.0"), 401);
                assertOk(f.token("etl", f.secret("etl")[1], "etl/1.0"), 200);
                assertThat(f.audit("credential.revoked")).anySatisfy(r -> assertThat(r.path("reason").asText()).contains("owner changed to bob"));

                // Owner retirement: the secrets of what carol owned end with her.
                gh.client().post("v1/identities/carol/retire", Map.of("reason", "left the company"));
                assertThat(gh.client().get("v1/identities/etl2/credentials").path("items").get(0).path("status").asText()).isEqualTo("revoked");
                assertOk(f.token("etl2", etl2[1], "etl/1.0"), 401);

                gh.client().put("v1/tool-servers/crm/upstream-credential", Map.of("type", "header", "headerName", "X-Api-Key",
                        "secret", "crm-api-key-0123456789"));
                gh.gatehouse().postureScheduler().runOnce();
                JsonNode posture = gh.client().get("v1/posture");
                assertThat(DiscoveryTest.findings(posture, "human_use_of_nhi")).singleElement().satisfies(x -> {
                    assertThat(x.path("identity").asText()).isEqualTo("reporter");
                    assertThat(x.path("detail").path("clients").toString()).isEqualTo("[\"gatehouse-cli\"]");
                    assertThat(x.path("owaspNhi").toString()).isEqualTo("[\"NHI10\"]");
                });
                assertThat(DiscoveryTest.findings(posture, "orphaned")).extracting(x -> x.path("identity").asText()).containsExactly("etl2");
                assertThat(DiscoveryTest.findings(posture, "secret_based_authentication")).extracting(x -> x.path("identity").asText())
                        .contains("reporter");

                // Fifty-one days on: the secret is within ten days of its sixty-day maximum; everyone is dormant.
                clock.set(T0.plus(Duration.ofDays(51)));
                gh.gatehouse().postureScheduler().runOnce();
                JsonNode expiring = hook.await("credential.expiring", 2).stream()
                        .filter(e -> e.path("data").path("identity").asText().equals("reporter")).findFirst().orElseThrow();
                assertThat(expiring.path("data").path("identity").asText()).isEqualTo("reporter");
                assertThat(expiring.path("data").path("due").asText()).isEqualTo(T0.plus(Duration.ofDays(60)).toString());
                assertThat(DiscoveryTest.findings(gh.client().get("v1/posture"), "rotation_due")).extracting(x -> x.path("identity").asText())
                        .contains("reporter");
                for (String id : List.of("reporter", "idle-bot", "etl", "etl2")) {
                    assertThat(gh.client().get("v1/identities/" + id).path("status").asText()).as(id).isEqualTo("suspended");
                }
                assertThat(f.audit("identity.suspend")).allSatisfy(r -> {
                    assertThat(r.path("reason").asText()).isEqualTo("dormant");
                    assertThat(r.path("actor").asText()).isEqualTo("system:posture");
                }).hasSize(4);
                gh.gatehouse().postureScheduler().runOnce();
                // Once per credential and deadline: reporter's secret and the one bob issued for etl.
                assertThat(hook.events("credential.expiring")).hasSize(2);

                // Sixty-one days: the maximum age is reached, warned about, and (enforced) the credential is revoked.
                clock.set(T0.plus(Duration.ofDays(61)));
                gh.gatehouse().postureScheduler().runOnce();
                hook.await("credential.deadline_reached");
                JsonNode cred = gh.client().get("v1/identities/reporter/credentials").path("items").get(0);
                assertThat(cred.path("status").asText()).isEqualTo("revoked");
                assertThat(cred.path("revokedBy").asText()).isEqualTo("system:posture");

                // The upstream credential: reminded before ninety days, then overdue and a finding.
                clock.set(T0.plus(Duration.ofDays(81)));
                gh.gatehouse().postureScheduler().runOnce();
                assertThat(hook.await("upstream_credential.rotation_due").path("data").path("server").asText()).isEqualTo("crm");
                clock.set(T0.plus(Duration.ofDays(91)));
                gh.gatehouse().postureScheduler().runOnce();
                hook.await("upstream_credential.rotation_overdue");
                assertThat(DiscoveryTest.findings(gh.client().get("v1/posture"), "upstream_rotation_due")).singleElement()
                        .satisfies(x -> assertThat(x.path("severity").asText()).isEqualTo("medium"));
                // Nothing secret in anything the posture feature wrote or sent.
                assertThat(hook.received.toString()).doesNotContain(reporter[1], "crm-api-key-0123456789");
                assertThat(gh.client().get("v1/posture").toString()).doesNotContain(reporter[1], "crm-api-key-0123456789");
            }
        }
    }
}
