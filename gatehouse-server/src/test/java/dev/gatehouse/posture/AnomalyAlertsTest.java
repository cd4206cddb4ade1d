package dev.gatehouse.posture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.testing.TestGatehouse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thirty days of an agent's ordinary gateway history, written through the real audit log on a test
 * clock, make its baseline; then a day of unusual behaviour raises each kind of alert once — as an
 * {@code anomaly.*} audit record, an OCSF Detection Finding, a webhook notification and
 * {@code GET /v1/alerts} — and the alert type configured to suspend suspends it. Usage comes from the
 * same history.
 */
class AnomalyAlertsTest {
    static final Instant START = Instant.parse("2026-02-01T00:00:00Z");

    @TempDir
    java.nio.file.Path dir;

    @Test
    void thirtyDaysOfHistoryMakeABaselineAndADayOfUnusualBehaviourRaisesEachAlertOnce() throws Exception {
        PostureFixture.TestClock clock = new PostureFixture.TestClock(START);
        try (WebhookReceiver hook = new WebhookReceiver()) {
            Map<String, String> settings = new HashMap<>(hook.settings());
            settings.put("anomalies.suspendOn", "classification_escalation");
            settings.put("lifecycle.sweepSeconds", "3600");
            try (TestGatehouse gh = TestGatehouse.start(dir, null, TestGatehouse.withLoopbackPeers(settings), clock)) {
                PostureFixture f = new PostureFixture(gh, clock);
                f.human("alice");
                f.agent("crm-agent", "alice", "prod", "autonomous", List.of("crm/*", "mail/*", "files/*"), List.of("read", "write", "execute"));

                // Thirty days: 09:00-16:59 UTC, three to five lookups an hour, a search now and then, internal data only.
                int calls = 0;
                for (int day = 0; day < 30; day++) {
                    for (int hour = 9; hour < 17; hour++) {
                        int n = 3 + (day + hour) % 3;
                        for (int i = 0; i < n; i++) {
                            clock.set(START.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour)).plus(Duration.ofMinutes(i * 7L)));
                            f.call("crm-agent", i == 0 && hour % 4 == 0 ? "crm/search" : "crm/lookup", "read", "internal", List.of());
                            calls++;
                        }
                        f.result("crm-agent", "crm/lookup", "read", "internal");
                    }
                }
                clock.set(START.plus(Duration.ofDays(30)));
                gh.gatehouse().postureScheduler().runOnce();
                assertThat(gh.client().get("v1/alerts").path("items").size()).as("ordinary history raises nothing").isZero();

                // 31 UTC days, today included, reach back to the first day of history.
                JsonNode usage = gh.client().get("v1/identities/crm-agent/usage", Map.of("days", "31"));
                assertThat(usage.path("used").path("tools").toString()).isEqualTo("[\"crm/lookup\",\"crm/search\"]");
                assertThat(usage.path("unused").path("tools").toString()).isEqualTo("[\"mail/*\",\"files/*\"]");
                assertThat(usage.path("unused").path("effects").toString()).isEqualTo("[\"write\",\"execute\"]");
                assertThat(usage.path("suggestedScope").path("effects").toString()).isEqualTo("[\"read\"]");
                long counted = 0;
                for (JsonNode c : usage.path("calls")) counted += c.path("calls").asLong();
                assertThat(counted).isEqualTo(calls);

                // Day 31 (2026-03-03): mail out to an external destination, a burst, a 03:00 session, a restricted read.
                Instant day = START.plus(Duration.ofDays(30));
                clock.set(day.plus(Duration.ofHours(10)));
                f.call("crm-agent", "mail/send", "write", "external", List.of());
                f.call("crm-agent", "mail/send", "write", "external", List.of());
                for (int i = 0; i < 40; i++) {
                    clock.set(day.plus(Duration.ofHours(11)).plus(Duration.ofSeconds(i * 30L)));
                    f.call("crm-agent", "crm/lookup", "read", "internal", List.of());
                }
                clock.set(day.plus(Duration.ofHours(3)).plus(Duration.ofDays(1)));
                f.call("crm-agent", "crm/lookup", "read", "internal", List.of());
                f.result("crm-agent", "crm/lookup", "read", "restricted");
                // Before the next ingest, usage already counts what the trail holds beyond the cursor.
                assertThat(gh.client().get("v1/identities/crm-agent/usage").path("used").path("tools").toString()).contains("mail/send");

                // Two nodes ingesting at the same moment: each record is judged and counted once.
                CompletableFuture<Void> a = CompletableFuture.runAsync(() -> gh.gatehouse().postureScheduler().runOnce());
                CompletableFuture<Void> b = CompletableFuture.runAsync(() -> gh.gatehouse().postureScheduler().runOnce());
                CompletableFuture.allOf(a, b).join();

                JsonNode alerts = gh.client().get("v1/alerts", Map.of("identity", "crm-agent")).path("items");
                List<String> types = new ArrayList<>();
                alerts.forEach(x -> types.add(x.path("type").asText()));
                assertThat(types).containsExactlyInAnyOrder("new_tool", "new_server", "new_destination", "volume", "unusual_hour",
                        "classification_escalation");
                JsonNode volume = byType(alerts, "volume");
                assertThat(volume.path("detail").path("median").asDouble()).isEqualTo(4.0);
                assertThat(volume.path("detail").path("calls").asInt()).isEqualTo(20); // raised when the hour crossed the threshold
                assertThat(byType(alerts, "unusual_hour").path("detail").path("hourOfDay").asInt()).isEqualTo(3);
                assertThat(byType(alerts, "new_destination").path("detail").path("destination").asText()).isEqualTo("external");
                assertThat(byType(alerts, "classification_escalation").path("action").asText()).isEqualTo("suspend");
                assertThat(byType(alerts, "new_tool").path("action").asText()).isEqualTo("none");
                long lookups = 0;
                // The clock is a day later now: 32 days reach back to the first day of history.
                for (JsonNode c : gh.client().get("v1/identities/crm-agent/usage", Map.of("days", "32")).path("calls")) {
                    if (c.path("tool").asText().equals("crm/lookup")) lookups = c.path("calls").asLong();
                }
                assertThat(lookups).as("counted once although two ingests ran").isEqualTo(calls - countSearches() + 41);

                // The configured alert type suspended the agent, with the alert as the reason.
                JsonNode agent = gh.client().get("v1/identities/crm-agent");
                assertThat(agent.path("status").asText()).isEqualTo("suspended");
                JsonNode suspension = gh.client().get("v1/identities/crm-agent/history").path("items").get(1);
                assertThat(suspension.path("reason").asText()).startsWith("anomaly: classification_escalation");
                assertThat(suspension.path("actor").asText()).isEqualTo("system:posture");

                // Audited as anomaly.*, exported as OCSF Detection Findings, sent through the webhook.
                assertThat(f.audit("anomaly.*")).hasSize(6).allSatisfy(r -> {
                    assertThat(r.path("subject").asText()).isEqualTo("crm-agent");
                    assertThat(r.path("actor").asText()).isEqualTo("system:posture");
                });
                List<JsonNode> ocsf = new ArrayList<>();
                try (var in = gh.client().stream("v1/audit/export", Map.of("format", "ocsf"))) {
                    for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                        JsonNode e = Json.MAPPER.readTree(line);
                        if (e.path("class_uid").asInt() == 2004) ocsf.add(e);
                    }
                }
                assertThat(ocsf).hasSize(6).allSatisfy(e -> {
                    assertThat(e.path("class_name").asText()).isEqualTo("Detection Finding");
                    assertThat(e.path("type_uid").asInt()).isEqualTo(200401);
                    assertThat(e.path("finding_info").path("types").get(0).asText()).startsWith("anomaly.");
                    assertThat(e.path("user").path("uid").asText()).isEqualTo("crm-agent");
                });
                assertThat(hook.await("anomaly.volume").path("data").path("identity").asText()).isEqualTo("crm-agent");
                hook.await("anomaly.classification_escalation");

                // The posture report carries the alerts as findings against the Agentic Top 10.
                JsonNode posture = gh.client().get("v1/posture");
                assertThat(DiscoveryTest.findings(posture, "anomaly")).hasSize(6);
                assertThat(posture.path("owaspAgentic").path("ASI10").path("status").asText()).isEqualTo("fail");
                assertThat(posture.path("owaspAgentic").path("ASI08").path("findings").toString()).contains("crm-agent");
            }
        }
    }

    /** The searches of the history: the first call of hours 12 and 16 each day (hour % 4 == 0 within 09-16). */
    private static int countSearches() { return 30 * 2; }

    private static JsonNode byType(JsonNode alerts, String type) {
        for (JsonNode a : alerts) if (a.path("type").asText().equals(type)) return a;
        throw new AssertionError("no " + type + " alert in " + alerts);
    }
}
