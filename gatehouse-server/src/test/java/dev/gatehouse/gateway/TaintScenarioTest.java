package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.testing.TestStores;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Session taint with the starter pack: an agent reads a record holding a card number (restricted)
 * through an internal CRM tool, then tries to send data out through two different external tools:
 * both refused and audited with the reason and the policy, while the raw card number appears in no
 * audit record. Runs on H2 and PostgreSQL (the taint is stored per task).
 */
class TaintScenarioTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir Path tmp;

    private static void inventory(TestGatehouse gh, String upstream) {
        gh.client().post("/v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
        for (String agent : List.of("analyst", "reporter")) {
            gh.client().post("/v1/identities", Map.of("id", agent, "kind", "agent", "displayName", agent, "owner", "alice",
                    "purpose", "customer analytics", "environment", "dev", "autonomy", "assistive",
                    "scope", Map.of("tools", List.of("crm/*", "crm-masked/*", "outbound/*"), "effects", List.of("read", "write"))));
        }
        for (String crm : List.of("crm", "crm-masked")) {
            gh.client().post("/v1/tool-servers", Map.of("id", crm, "url", upstream, "trust", "approved", "destination", "internal",
                    "tools", List.of(Map.of("name", "read_record", "effect", "read", "risk", "low"))));
        }
        gh.client().post("/v1/tool-servers", Map.of("id", "outbound", "url", upstream, "trust", "approved", "destination", "external",
                "tools", List.of(Map.of("name", "post_webhook", "effect", "write", "risk", "low"),
                        Map.of("name", "send_email", "effect", "write", "risk", "low"))));
        gh.gatehouse().seedStarterPolicies();
    }

    static String token(TestGatehouse gh, String identity) throws Exception {
        String secret = gh.client().post("/v1/identities/" + identity + "/credentials", Map.of("type", "client_secret")).path("secret").asText();
        String basic = Base64.getEncoder().encodeToString((identity + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(gh.baseUri().resolve("oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&task_intent="
                        + URLEncoder.encode("monthly report", StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        return McpPeers.JSON.readTree(r.body()).path("access_token").asText();
    }

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void restrictedReadBlocksEveryExternalToolOfTheTask(TestStores.Kind kind) throws Exception {
        try (TinyMcpServer upstream = new TinyMcpServer();
             TestGatehouse gh = TestGatehouse.start(tmp, TestStores.freshUrl(kind, tmp), TestGatehouse.LOOPBACK_PEERS);
             GatewayHarness gw = new GatewayHarness(gh.gatehouse(), gh.gatehouse().inspector(),
                     GatewayHarness.settings(GatewayHarness.unlimited(), Set.of()), id -> Map.of())) {
            inventory(gh, upstream.url());
            String token = token(gh, "analyst");
            GatewayHarness.Session out = gw.open("outbound", token);
            assertThat(out.call("post_webhook", "{\"body\":\"weekly numbers\"}").has("result")).as("untainted task may send out").isTrue();

            JsonNode record = gw.open("crm", token).call("read_record", "{\"id\":\"c-42\"}");
            assertThat(record.toString()).contains(TinyMcpServer.CARD);

            JsonNode webhook = out.call("post_webhook", "{\"body\":\"summary\"}");
            JsonNode email = out.call("send_email", "{\"to\":\"someone@example.org\",\"body\":\"summary\"}");
            for (JsonNode refused : List.of(webhook, email)) {
                assertThat(refused.path("error").path("code").asInt()).as(refused.toString()).isEqualTo(RpcError.REFUSED);
                assertThat(refused.path("error").path("data").path("reason").asText()).isEqualTo("forbidden");
            }
            assertThat(upstream.calls).as("the refused calls never reached the upstream")
                    .containsExactly("post_webhook", "read_record");
            assertThat(upstream.headers).as("the agent's token is never forwarded upstream")
                    .allSatisfy(h -> assertThat(h.toString()).doesNotContain(token));

            List<JsonNode> calls = McpGatewayTest.gatewayCalls(gh);
            assertThat(calls).filteredOn(e -> e.path("outcome").asText().equals("deny")).hasSize(2).allSatisfy(e -> {
                assertThat(e.path("reason").asText()).isEqualTo("forbidden");
                assertThat(e.path("policies").toString()).contains("starter.no-external-after-restricted-read");
                assertThat(e.path("detail").path("taintLevel").asInt()).isEqualTo(3);
            });
            assertThat(McpGatewayTest.events(gh, "gateway.result")).filteredOn(e -> e.path("resource").asText().equals("crm/read_record"))
                    .singleElement().satisfies(e -> {
                assertThat(e.path("detail").path("resultClassification").asText()).isEqualTo("restricted");
                assertThat(e.path("detail").path("resultFindings").toString()).contains("pii.payment_card");
            });
            String everything = gh.client().get("/v1/audit/events?limit=1000").toString();
            assertThat(everything).doesNotContain(TinyMcpServer.CARD).doesNotContain("4111111111111111").doesNotContain(token);

            // Taint follows the agent: a new task of the same agent cannot send out what the first one read.
            JsonNode second = gw.open("outbound", token(gh, "analyst")).call("send_email", "{\"body\":\"hi\"}");
            assertThat(second.path("error").path("data").path("reason").asText()).as(second.toString()).isEqualTo("forbidden");
            assertThat(McpGatewayTest.gatewayCalls(gh)).filteredOn(e -> e.path("resource").asText().equals("outbound/send_email"))
                    .last().satisfies(e -> {
                        assertThat(e.path("detail").path("taintLevel").asInt()).as("the new task read nothing").isZero();
                        assertThat(e.path("detail").path("identityTaintLevel").asInt()).isEqualTo(3);
                    });
            assertThat(upstream.calls).doesNotContain("send_email");
            // Another agent of the same owner read nothing: it may.
            assertThat(gw.open("outbound", token(gh, "reporter")).call("send_email", "{\"body\":\"hi\"}").has("result")).isTrue();
        }
    }

    @Test
    void redactedServerMasksFindingsYetTaintsAndSensitiveArgumentsStayIn() throws Exception {
        try (TinyMcpServer upstream = new TinyMcpServer();
             TestGatehouse gh = TestGatehouse.start(tmp, null, TestGatehouse.LOOPBACK_PEERS);
             GatewayHarness gw = new GatewayHarness(gh.gatehouse(), gh.gatehouse().inspector(),
                     GatewayHarness.settings(GatewayHarness.unlimited(), Set.of("crm-masked")), id -> Map.of())) {
            inventory(gh, upstream.url());
            String token = token(gh, "analyst");
            JsonNode masked = gw.open("crm-masked", token).call("read_record", "{\"id\":\"c-42\"}");
            assertThat(masked.toString()).doesNotContain(TinyMcpServer.CARD).contains("[REDACTED:pii.payment_card]").contains("Jane Roe");
            assertThat(gw.open("outbound", token).call("post_webhook", "{}").path("error").path("data").path("reason").asText())
                    .as("masked or not, the task read restricted data").isEqualTo("forbidden");

            // Card numbers in the arguments of an external call: refused by the starter egress rule, before any taint.
            JsonNode leak = gw.open("outbound", token(gh, "analyst")).call("post_webhook", "{\"body\":\"card " + TinyMcpServer.CARD + "\"}");
            assertThat(leak.path("error").path("code").asInt()).isEqualTo(RpcError.REFUSED);
            JsonNode audited = McpGatewayTest.gatewayCalls(gh).stream()
                    .filter(e -> e.path("detail").path("findings").toString().contains("pii.payment_card")).findFirst().orElseThrow();
            assertThat(audited.path("policies").toString()).contains("starter.no-sensitive-data-to-external-tools");
            assertThat(audited.path("detail").path("classification").asText()).isEqualTo("restricted");
        }
    }

    @Test
    void rateLimitPerTaskRefusesAndAudits() throws Exception {
        try (TinyMcpServer upstream = new TinyMcpServer();
             TestGatehouse gh = TestGatehouse.start(tmp, null, TestGatehouse.LOOPBACK_PEERS);
             GatewayHarness gw = new GatewayHarness(gh.gatehouse(), gh.gatehouse().inspector(),
                     GatewayHarness.settings(new McpGateway.Limits(0, 2, 0, 0), Set.of()), id -> Map.of())) {
            inventory(gh, upstream.url());
            GatewayHarness.Session s = gw.open("outbound", token(gh, "analyst"));
            assertThat(s.call("send_email", "{}").has("result")).isTrue();
            assertThat(s.call("send_email", "{}").has("result")).isTrue();
            assertThat(s.call("send_email", "{}").path("error").path("data").path("reason").asText()).isEqualTo("rate_limited_task_calls");
            assertThat(gw.open("outbound", token(gh, "analyst")).call("send_email", "{}").has("result")).as("another task has its own budget").isTrue();
            assertThat(McpGatewayTest.gatewayCalls(gh)).extracting(e -> e.path("reason").asText()).contains("rate_limited_task_calls");
            assertThat(upstream.calls).hasSize(3);
        }
    }
}
