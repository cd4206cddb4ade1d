package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.store.Sql;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream credentials: injected by the gateway (static header or OAuth client credentials), stored sealed, never shown. */
class UpstreamCredentialsTest {
    @TempDir Path tmp;

    @BeforeAll
    static void peers() { McpPeers.requireInstalled(); }

    private static JsonNode readRecord(TestGatehouse gh, String token) throws Exception {
        return McpPeers.client(Map.of("url", gh.baseUri().resolve("mcp/crm").toString(), "token", token,
                "steps", List.of(Map.of("op", "call", "name", "read_record", "arguments", Map.of("id", "c-1")))));
    }

    private static List<String> seen(TinyMcpServer upstream, String header) {
        return upstream.headers.stream().filter(h -> h.get(header) != null).map(h -> h.get(header).get(0)).toList();
    }

    @Test
    void staticHeaderIsInjectedSealedAndRotatedWithoutTouchingAgents() throws Exception {
        try (TinyMcpServer upstream = new TinyMcpServer(); TestGatehouse gh = TestGatehouse.start(tmp, null, TestGatehouse.LOOPBACK_PEERS)) {
            gh.client().post("/v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
            gh.client().post("/v1/identities", Map.of("id", "analyst", "kind", "agent", "displayName", "analyst", "owner", "alice",
                    "purpose", "reports", "environment", "dev", "autonomy", "assistive",
                    "scope", Map.of("tools", List.of("crm/*"), "effects", List.of("read"))));
            gh.client().post("/v1/tool-servers", Map.of("id", "crm", "url", upstream.url(), "trust", "approved", "destination", "internal",
                    "tools", List.of(Map.of("name", "read_record", "effect", "read", "risk", "low"))));
            gh.gatehouse().seedStarterPolicies();

            JsonNode described = gh.client().put("/v1/tool-servers/crm/upstream-credential",
                    Map.of("type", "header", "headerName", "X-Api-Key", "secret", "up-secret-one"));
            assertThat(described.toString()).doesNotContain("up-secret-one").contains("X-Api-Key");
            String token = TaintScenarioTest.token(gh, "analyst");
            assertThat(readRecord(gh, token).path("steps").get(0).path("ok").asBoolean()).isTrue();
            assertThat(seen(upstream, "X-api-key")).isNotEmpty().containsOnly("up-secret-one");

            gh.client().put("/v1/tool-servers/crm/upstream-credential", Map.of("type", "header", "headerName", "X-Api-Key", "secret", "up-secret-two"));
            upstream.headers.clear();
            assertThat(readRecord(gh, token).path("steps").get(0).path("ok").asBoolean()).as("same agent token after rotation").isTrue();
            assertThat(seen(upstream, "X-api-key")).isNotEmpty().containsOnly("up-secret-two");
            assertThat(upstream.headers).allSatisfy(h -> assertThat(h.toString()).doesNotContain(token));

            String stored = gh.gatehouse().database().transactions().inTransaction(() -> Sql.one(
                    gh.gatehouse().database().transactions().connection(),
                    "SELECT secret_sealed FROM gateway_upstream_secrets WHERE server_id = 'crm'", r -> r.string("secret_sealed")).orElseThrow());
            assertThat(stored).doesNotContain("up-secret-two");
            assertThat(gh.client().get("/v1/tool-servers/crm/upstream-credential").toString()).doesNotContain("up-secret");
            assertThat(gh.client().get("/v1/audit/events?limit=1000").toString()).doesNotContain("up-secret")
                    .contains("toolserver.upstream_credential.set");

            // Bad input is refused with the field, and changes nothing.
            assertThat(gh.http("PUT", "/v1/tool-servers/crm/upstream-credential",
                    "{\"type\":\"header\",\"headerName\":\"Host\",\"secret\":\"x\"}", TestGatehouse.ADMIN_TOKEN).body()).contains("headerName");
            assertThat(gh.http("PUT", "/v1/tool-servers/crm/upstream-credential", "{\"type\":\"header\",\"headerName\":\"X-Key\"}",
                    TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(400);
            assertThat(gh.client().get("/v1/tool-servers/crm/upstream-credential").path("version").asLong()).isEqualTo(2);

            // The CLI: the secret comes from an environment variable and is never printed.
            Map<String, String> env = Map.of("GATEHOUSE_SERVER", gh.baseUri().toString(), "GATEHOUSE_TOKEN", TestGatehouse.ADMIN_TOKEN,
                    "CRM_KEY", "cli-secret-three");
            java.io.StringWriter out = new java.io.StringWriter();
            int exit = dev.gatehouse.cli.Main.run(env, new java.io.PrintWriter(out, true), new java.io.PrintWriter(new java.io.StringWriter(), true),
                    "toolserver", "upstream-credential", "set", "crm", "--header", "X-Api-Key", "--secret-env", "CRM_KEY");
            assertThat(exit).isZero();
            assertThat(out.toString()).contains("X-Api-Key").doesNotContain("cli-secret");
            upstream.headers.clear();
            assertThat(readRecord(gh, token).path("steps").get(0).path("ok").asBoolean()).isTrue();
            assertThat(seen(upstream, "X-api-key")).isNotEmpty().containsOnly("cli-secret-three");
            assertThat(dev.gatehouse.cli.Main.run(env, new java.io.PrintWriter(new java.io.StringWriter(), true),
                    new java.io.PrintWriter(new java.io.StringWriter(), true), "toolserver", "upstream-credential", "remove", "crm")).isZero();
            assertThat(gh.http("GET", "/v1/tool-servers/crm/upstream-credential", null, TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(404);

            // OAuth client credentials against the upstream's own authorization server.
            upstream.acceptedBasic = Base64.getEncoder().encodeToString("gw-client:oauth-secret".getBytes(StandardCharsets.UTF_8));
            gh.client().put("/v1/tool-servers/crm/upstream-credential", Map.of("type", "oauth_client_credentials",
                    "tokenUrl", upstream.tokenUrl(), "clientId", "gw-client", "secret", "oauth-secret"));
            upstream.headers.clear();
            assertThat(readRecord(gh, token).path("steps").get(0).path("ok").asBoolean()).isTrue();
            assertThat(seen(upstream, "Authorization")).isNotEmpty().containsOnly("Bearer up-token-1");

            // A refused upstream client makes the call fail closed with a reason, not an unauthenticated forward.
            gh.client().put("/v1/tool-servers/crm/upstream-credential", Map.of("type", "oauth_client_credentials",
                    "tokenUrl", upstream.tokenUrl(), "clientId", "gw-client", "secret", "wrong"));
            JsonNode failed = readRecord(gh, token);
            assertThat(failed.path("connectCode").asInt()).as(failed.toString()).isEqualTo(RpcError.UPSTREAM_FAILED);
            assertThat(failed.path("connectData").path("reason").asText()).isEqualTo("upstream_credentials_unavailable");
        }
    }

    private static JsonNode call(TestGatehouse gh, String identity) throws Exception {
        return readRecord(gh, TaintScenarioTest.token(gh, identity));
    }

    @Test
    void aCredentialBoundToTheIdentityOrItsOwnerComesFirstAndNoMatchIsRefused() throws Exception {
        try (TinyMcpServer upstream = new TinyMcpServer(); TestGatehouse gh = TestGatehouse.start(tmp, null, TestGatehouse.LOOPBACK_PEERS)) {
            for (String human : List.of("alice", "bob")) {
                gh.client().post("/v1/identities", Map.of("id", human, "kind", "human", "displayName", human, "email", human + "@example.com"));
            }
            for (String[] agent : new String[][] {{"analyst", "alice", "assistive"}, {"reporter", "alice", "assistive"},
                    {"auditor", "bob", "autonomous"}}) {
                gh.client().post("/v1/identities", Map.of("id", agent[0], "kind", "agent", "displayName", agent[0], "owner", agent[1],
                        "purpose", "reports", "environment", "dev", "autonomy", agent[2],
                        "scope", Map.of("tools", List.of("crm/*"), "effects", List.of("read"))));
            }
            gh.client().post("/v1/tool-servers", Map.of("id", "crm", "url", upstream.url(), "trust", "approved", "destination", "internal",
                    "tools", List.of(Map.of("name", "read_record", "effect", "read", "risk", "low"))));
            gh.gatehouse().seedStarterPolicies();
            gh.client().put("/v1/tool-servers/crm/upstream-credential", Map.of("type", "header", "headerName", "X-Api-Key",
                    "secret", "key-of-analyst", "identity", "analyst"));
            Map<String, String> env = Map.of("GATEHOUSE_SERVER", gh.baseUri().toString(), "GATEHOUSE_TOKEN", TestGatehouse.ADMIN_TOKEN,
                    "ALICE_KEY", "key-of-alice");
            java.io.StringWriter out = new java.io.StringWriter();
            assertThat(dev.gatehouse.cli.Main.run(env, new java.io.PrintWriter(out, true), new java.io.PrintWriter(new java.io.StringWriter(), true),
                    "toolserver", "upstream-credential", "set", "crm", "--header", "X-Api-Key", "--secret-env", "ALICE_KEY", "--owner", "alice")).isZero();
            assertThat(out.toString()).contains("alice").doesNotContain("key-of-alice");

            // The identity's own credential, then the one of the human an assistive agent acts for.
            assertThat(call(gh, "analyst").path("steps").get(0).path("ok").asBoolean()).isTrue();
            assertThat(seen(upstream, "X-api-key")).isNotEmpty().containsOnly("key-of-analyst");
            upstream.headers.clear();
            assertThat(call(gh, "reporter").path("steps").get(0).path("ok").asBoolean()).isTrue();
            assertThat(seen(upstream, "X-api-key")).isNotEmpty().containsOnly("key-of-alice");

            // bob's autonomous agent matches neither: refused, recorded, and the upstream never hears of it.
            upstream.headers.clear();
            JsonNode refused = call(gh, "auditor");
            assertThat(refused.path("connectCode").asInt()).as(refused.toString()).isEqualTo(RpcError.REFUSED);
            assertThat(refused.path("connectData").path("reason").asText()).isEqualTo("no_upstream_credential");
            assertThat(upstream.headers).isEmpty();
            assertThat(McpGatewayTest.events(gh, "gateway.message")).anySatisfy(e -> {
                assertThat(e.path("outcome").asText()).isEqualTo("deny");
                assertThat(e.path("reason").asText()).isEqualTo("no_upstream_credential");
                assertThat(e.path("actor").asText()).isEqualTo("identity:auditor");
            });

            // A server-wide credential is the last resort.
            gh.client().put("/v1/tool-servers/crm/upstream-credential", Map.of("type", "header", "headerName", "X-Api-Key", "secret", "key-shared"));
            assertThat(call(gh, "auditor").path("steps").get(0).path("ok").asBoolean()).isTrue();
            assertThat(seen(upstream, "X-api-key")).isNotEmpty().containsOnly("key-shared");

            JsonNode listed = gh.client().get("/v1/tool-servers/crm/upstream-credentials");
            assertThat(listed.path("items")).hasSize(3);
            assertThat(listed.path("items").findValuesAsText("identity")).containsExactly("analyst");
            assertThat(listed.path("items").findValuesAsText("owner")).containsExactly("alice");
            assertThat(gh.client().get("/v1/tool-servers/crm/upstream-credential?owner=alice").path("version").asLong()).isEqualTo(1);

            // The posture report names every identity that still reaches crm with a static secret, and which one.
            JsonNode findings = gh.client().get("/v1/posture").path("findings");
            Map<String, String> boundTo = new java.util.TreeMap<>();
            findings.forEach(f -> {
                if (f.path("type").asText().equals("static_upstream_secret")) boundTo.put(f.path("identity").asText(), f.path("detail").path("boundTo").asText());
            });
            assertThat(boundTo).containsExactly(Map.entry("analyst", "identity"), Map.entry("auditor", "server"), Map.entry("reporter", "owner"));
            assertThat(findings.toString()).doesNotContain("key-of").doesNotContain("key-shared");
            assertThat(gh.client().get("/v1/audit/events?limit=1000").toString()).doesNotContain("key-of").doesNotContain("key-shared");

            // Bad bindings are refused by name, and write nothing.
            for (String body : List.of("{\"type\":\"header\",\"headerName\":\"X-Key\",\"secret\":\"s\",\"identity\":\"alice\"}",
                    "{\"type\":\"header\",\"headerName\":\"X-Key\",\"secret\":\"s\",\"identity\":\"nobody\"}",
                    "{\"type\":\"header\",\"headerName\":\"X-Key\",\"secret\":\"s\",\"owner\":\"analyst\"}",
                    "{\"type\":\"header\",\"headerName\":\"X-Key\",\"secret\":\"s\",\"identity\":\"analyst\",\"owner\":\"alice\"}")) {
                var r = gh.http("PUT", "/v1/tool-servers/crm/upstream-credential", body, TestGatehouse.ADMIN_TOKEN);
                assertThat(r.statusCode()).as(body).isEqualTo(400);
                assertThat(r.body()).contains("\"field\"");
            }
            assertThat(gh.client().get("/v1/tool-servers/crm/upstream-credentials").path("items")).hasSize(3);

            // Per-call tokens leave no standing secret to report.
            gh.client().put("/v1/tool-servers/crm", Map.of("id", "crm", "url", upstream.url(), "trust", "approved", "destination", "internal",
                    "upstreamAuth", "gatehouse-jwt"));
            assertThat(gh.client().get("/v1/posture").path("findings").findValuesAsText("type")).doesNotContain("static_upstream_secret");
        }
    }
}
