package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.GatehouseClient;
import dev.gatehouse.core.Json;
import dev.gatehouse.http.HttpServer;
import dev.gatehouse.testing.ExpectedLog;
import dev.gatehouse.testing.TestGatehouse;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event sources wired into the trail on a real server: inventory, admin tokens, admin authentication. */
class AuditEventSourcesTest {
    @TempDir Path dir;
    TestGatehouse gh;
    GatehouseClient admin;

    @BeforeEach
    void start() throws Exception {
        gh = TestGatehouse.start(dir, null, Map.of("audit.authSuccessSeconds", "0"));
        admin = gh.client();
    }

    @AfterEach
    void stop() throws Exception { gh.close(); }

    private List<JsonNode> events(String query) throws Exception {
        HttpResponse<String> r = gh.http("GET", "/v1/audit/events?limit=1000&" + query, null, TestGatehouse.ADMIN_TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        Json.MAPPER.readTree(r.body()).get("items").forEach(out::add);
        return out;
    }

    private void registerAliceAndBot() {
        admin.post("v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
        admin.post("v1/identities", Map.of("id", "bot", "kind", "agent", "displayName", "Bot", "owner", "alice",
                "purpose", "triage", "environment", "dev", "autonomy", "assistive",
                "scope", Map.of("tools", List.of("git/*"), "effects", List.of("read"))));
    }

    @Test
    void identityLifecycleIsRecordedWithActorSubjectKindOwnerAndReason() throws Exception {
        registerAliceAndBot();
        admin.post("v1/identities/bot/suspend", Map.of("reason", "key leaked"));
        admin.post("v1/identities/bot/reactivate", Map.of("reason", "key rotated"));
        admin.post("v1/identities/bot/retire", Map.of("reason", "project ended"));

        List<JsonNode> bot = events("identity=bot&type=identity.*");
        assertThat(bot).extracting(e -> e.get("type").asText())
                .containsExactly("identity.create", "identity.suspend", "identity.reactivate", "identity.retire");
        JsonNode suspend = bot.get(1);
        assertThat(suspend.get("category").asText()).isEqualTo("privileged");
        assertThat(suspend.get("actor").asText()).startsWith("admin-token:");
        assertThat(suspend.get("subject").asText()).isEqualTo("bot");
        assertThat(suspend.get("subjectKind").asText()).isEqualTo("agent");
        assertThat(suspend.get("owner").asText()).isEqualTo("alice");
        assertThat(suspend.get("reason").asText()).isEqualTo("key leaked");
        assertThat(suspend.get("detail").get("status").asText()).isEqualTo("suspended");
    }

    @Test
    void aRefusedChangeLeavesNoRecord() throws Exception {
        registerAliceAndBot();
        long before = events("type=identity.*").size();
        HttpResponse<String> r = gh.http("POST", "/v1/identities/bot/reactivate", "{\"reason\":\"not suspended\"}", TestGatehouse.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(409);
        r = gh.http("POST", "/v1/identities", "{\"id\":\"x\",\"kind\":\"agent\",\"displayName\":\"X\"}", TestGatehouse.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(events("type=identity.*")).hasSize((int) before);
    }

    @Test
    void groupsAndToolServersAreInventoryWrites() throws Exception {
        admin.post("v1/groups", Map.of("id", "sre", "displayName", "SRE"));
        admin.post("v1/tool-servers", Map.of("id", "git", "url", "https://git.example.com/mcp", "trust", "approved",
                "destination", "internal", "tools", List.of()));
        assertThat(events("category=privileged&type=group.*")).extracting(e -> e.get("resource").asText()).containsExactly("sre");
        assertThat(events("type=toolserver.*")).extracting(e -> e.get("type").asText()).containsExactly("toolserver.create");
    }

    @Test
    void adminTokenCreationRevocationAndAuthenticationAreRecorded() throws Exception {
        JsonNode created = admin.post("v1/admin-tokens", Map.of("name", "ci reader", "role", "reader"));
        String readerId = created.get("token").get("id").asText();
        String readerSecret = created.get("secret").asText();
        // reader may read but not write
        assertThat(gh.http("GET", "/v1/identities", null, readerSecret).statusCode()).isEqualTo(200);
        assertThat(gh.http("POST", "/v1/groups", "{\"id\":\"g\",\"displayName\":\"G\"}", readerSecret).statusCode()).isEqualTo(403);
        assertThat(gh.http("GET", "/v1/identities", null, "gha_nope.not-a-real-secret").statusCode()).isEqualTo(401);
        assertThat(gh.http("GET", "/v1/identities", null, null).statusCode()).isEqualTo(401);
        admin.post("v1/admin-tokens/" + readerId + "/revoke", Map.of());
        assertThat(gh.http("GET", "/v1/identities", null, readerSecret).statusCode()).isEqualTo(401);

        List<JsonNode> tokens = events("type=admin.token.*");
        assertThat(tokens).extracting(e -> e.get("type").asText()).containsExactly("admin.token.bootstrap", "admin.token.create", "admin.token.revoke");
        assertThat(tokens.get(1).get("resource").asText()).isEqualTo("admin-token:" + readerId);
        assertThat(tokens.get(1).get("detail").get("role").asText()).isEqualTo("reader");
        assertThat(tokens.get(1).get("category").asText()).isEqualTo("privileged");

        List<JsonNode> refused = events("type=admin.auth&outcome=failure");
        assertThat(refused).extracting(e -> e.get("reason").asText())
                .containsExactly("role_not_allowed", "unknown_or_revoked_token", "missing_token", "unknown_or_revoked_token");
        assertThat(refused.get(0).get("actor").asText()).isEqualTo("admin-token:" + readerId);
        assertThat(refused.get(1).get("actor").asText()).isEqualTo("anonymous");
        assertThat(events("type=admin.auth&outcome=success")).anySatisfy(e -> {
            assertThat(e.get("actor").asText()).isEqualTo("admin-token:" + readerId);
            assertThat(e.get("action").asText()).isEqualTo("GET /v1/identities");
        });
    }

    @Test
    void noSecretCreatedDuringTheRunAppearsInTheExport() throws Exception {
        List<String> secrets = new ArrayList<>();
        secrets.add(TestGatehouse.ADMIN_TOKEN);
        for (String role : List.of("admin", "reader", "pdp")) {
            JsonNode created = admin.post("v1/admin-tokens", Map.of("name", "t-" + role, "role", role));
            secrets.add(created.get("secret").asText());
        }
        registerAliceAndBot();
        gh.http("GET", "/v1/identities", null, secrets.get(2));                        // successful reader use
        gh.http("POST", "/v1/groups", "{\"id\":\"g\",\"displayName\":\"G\"}", secrets.get(2)); // refused
        String wrong = secrets.get(1) + "x";                                            // a near-miss secret
        secrets.add(wrong);
        gh.http("GET", "/v1/identities", null, wrong);
        admin.post("v1/admin-tokens/" + secrets.get(3).substring(4, secrets.get(3).indexOf('.')) + "/revoke", Map.of());

        String export = gh.http("GET", "/v1/audit/export", null, TestGatehouse.ADMIN_TOKEN).body();
        assertThat(export.lines().count()).isGreaterThan(8);
        for (String secret : secrets) {
            assertThat(export).doesNotContain(secret);
            String secretPart = secret.contains(".") ? secret.substring(secret.indexOf('.') + 1) : secret;
            assertThat(export).doesNotContain(secretPart);
        }
    }

    @Test
    void eventsFilterAndPageWithACursor() throws Exception {
        registerAliceAndBot();
        admin.post("v1/identities/bot/suspend", Map.of("reason", "r1"));
        // Reading is itself audited here (authSuccessSeconds 0), so page over a stable slice.
        List<JsonNode> all = events("type=identity.*");
        assertThat(all).hasSize(3);
        List<Long> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = admin.get("v1/audit/events", cursor == null ? Map.of("limit", "2", "type", "identity.*")
                    : Map.of("limit", "2", "type", "identity.*", "after", cursor));
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            page.get("items").forEach(e -> paged.add(e.get("seq").asLong()));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        assertThat(paged).isEqualTo(all.stream().map(e -> e.get("seq").asLong()).toList());

        assertThat(events("kind=agent")).isNotEmpty().allSatisfy(e -> assertThat(e.get("subjectKind").asText()).isEqualTo("agent"));
        assertThat(events("owner=alice")).extracting(e -> e.get("subject").asText()).containsOnly("bot");
        assertThat(events("category=access")).allSatisfy(e -> assertThat(e.get("category").asText()).isEqualTo("access"));
        assertThat(events("from=2000-01-01T00:00:00Z&to=2001-01-01T00:00:00Z")).isEmpty();
        assertThat(events("order=desc&limit=1&type=identity.*").get(0).get("seq").asLong()).isEqualTo(all.get(all.size() - 1).get("seq").asLong());

        for (String bad : List.of("category=secret", "decision=maybe", "limit=0", "from=yesterday", "kind=robot", "colour=red")) {
            HttpResponse<String> r = gh.http("GET", "/v1/audit/events?" + bad, null, TestGatehouse.ADMIN_TOKEN);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(Json.read(r.body(), Map.class).get("field")).as(bad).isEqualTo(bad.substring(0, bad.indexOf('=')));
        }
    }

    @Test
    void ocsfExportMapsAuthenticationAccountChangeAndApiActivity() throws Exception {
        registerAliceAndBot();
        admin.post("v1/identities/bot/suspend", Map.of("reason", "key leaked"));
        admin.post("v1/admin-tokens", Map.of("name", "siem", "role", "reader"));
        gh.http("GET", "/v1/identities", null, "gha_wrong.token-value");
        gh.gatehouse().checkpoints().checkpointNow();

        HttpResponse<String> r = gh.http("GET", "/v1/audit/export?format=ocsf", null, TestGatehouse.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        for (String line : r.body().lines().toList()) events.add(Json.MAPPER.readTree(line));
        assertThat(events).isNotEmpty().allSatisfy(e -> {
            assertThat(e.has("checkpoint")).isFalse();
            assertThat(e.get("metadata").get("version").asText()).isEqualTo("1.3.0");
            assertThat(e.get("type_uid").asLong()).isEqualTo(e.get("class_uid").asLong() * 100 + e.get("activity_id").asLong());
            assertThat(e.get("unmapped").get("gatehouse").get("hash").asText()).hasSize(64);
        });
        JsonNode suspend = events.stream().filter(e -> e.get("metadata").get("event_code").asText().equals("identity.suspend")).findFirst().orElseThrow();
        assertThat(suspend.get("class_uid").asInt()).isEqualTo(3001);
        assertThat(suspend.get("activity_id").asInt()).isEqualTo(5); // Disable
        assertThat(suspend.get("user").get("uid").asText()).isEqualTo("bot");
        assertThat(suspend.get("status_detail").asText()).isEqualTo("key leaked");
        JsonNode refused = events.stream().filter(e -> e.get("class_uid").asInt() == 3002 && e.get("status_id").asInt() == 2).findFirst().orElseThrow();
        assertThat(refused.get("status_detail").asText()).isEqualTo("unknown_or_revoked_token");
        JsonNode token = events.stream().filter(e -> e.get("metadata").get("event_code").asText().equals("admin.token.create")).findFirst().orElseThrow();
        assertThat(token.get("class_uid").asInt()).isEqualTo(6003);
        assertThat(token.get("activity_id").asInt()).isEqualTo(1);
        assertThat(r.body()).doesNotContain("gha_wrong.token-value");

        HttpResponse<String> bad = gh.http("GET", "/v1/audit/export?format=cef", null, TestGatehouse.ADMIN_TOKEN);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Json.read(bad.body(), Map.class).get("field")).isEqualTo("format");
    }

    @Test
    void auditRoutesAreInTheOpenApiDocument() throws Exception {
        String doc = gh.http("GET", "/openapi.json", null, null).body();
        for (String path : List.of("/v1/audit/events", "/v1/audit/export", "/v1/audit/checkpoints", "/v1/audit/jwks", "/v1/audit/trace/{id}")) {
            assertThat(doc).contains("\"" + path + "\"");
        }
    }

    @Test
    void whenTheAuditLogCannotRecordTheRequestFailsClosed() throws Exception {
        gh.gatehouse().audit().close(); // the writer is gone: nothing recorded outside a transaction can be acknowledged
        HttpResponse<String> r;
        try (ExpectedLog log = ExpectedLog.of(HttpServer.class)) {
            r = gh.http("GET", "/v1/identities", null, TestGatehouse.ADMIN_TOKEN);
            assertThat(log.lines()).as("operators hear about it").anyMatch(l -> l.startsWith("ERROR audit unavailable on GET /v1/identities"));
        }
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(Json.read(r.body(), Map.class).get("error")).isEqualTo("audit_unavailable");
        assertThat(r.body()).doesNotContain("alice");
    }
}
