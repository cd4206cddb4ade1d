package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.GatehouseClient;
import dev.gatehouse.demo.DemoToolServer;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/agents.md's client configuration, taken literally from the page (only the documented default
 * address is pointed at the test server), drives the official TypeScript MCP SDK client against the
 * gateway: the page breaks this test when it stops working.
 */
class AgentConfigurationTest {
    private static final Path AGENTS_MD = Path.of("..", "docs", "agents.md");

    @TempDir
    Path tmp;

    /** The first ```json block of docs/agents.md that holds an mcpServers document. */
    static String documentedConfiguration() throws Exception {
        Matcher block = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(AGENTS_MD));
        while (block.find()) {
            if (block.group(1).contains("\"mcpServers\"")) return block.group(1);
        }
        throw new AssertionError("docs/agents.md has no mcpServers configuration");
    }

    @Test
    void theDocumentedMcpServersConfigurationConnectsTheOfficialClientThroughTheGateway() throws Exception {
        McpPeers.requireInstalled();
        String documented = documentedConfiguration();
        assertThat(documented).contains("http://127.0.0.1:8080/mcp/support-tools").contains("Bearer ${GATEHOUSE_TASK_TOKEN}");
        try (DemoToolServer upstream = new DemoToolServer().start(); TestGatehouse gh = TestGatehouse.start(tmp.resolve("data"), null, TestGatehouse.LOOPBACK_PEERS)) {
            gh.gatehouse().seedStarterPolicies().orElseThrow();
            GatehouseClient admin = gh.client();
            admin.post("v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
            admin.post("v1/identities", Map.of("id", "support-agent", "kind", "agent", "displayName", "Support agent", "owner", "alice",
                    "purpose", "resolves support tickets", "environment", "prod", "autonomy", "assistive",
                    "scope", Map.of("tools", List.of("support-tools/*"), "effects", List.of("read", "write"))));
            admin.post("v1/tool-servers", Map.of("id", "support-tools", "url", upstream.url(), "trust", "approved", "destination", "internal",
                    "tools", List.of(Map.of("name", "search_docs", "effect", "read", "risk", "low"),
                            Map.of("name", "deploy_service", "effect", "execute", "risk", "critical"))));
            String secret = admin.post("v1/identities/support-agent/credentials", Map.of("type", "client_secret")).path("secret").asText();
            String taskToken = new GatehouseClient(gh.baseUri(), null)
                    .requestTaskToken("support-agent", secret, "resolve ticket 4711", null, null).path("access_token").asText();

            // Only the documented default address changes: the test server listens on an ephemeral port.
            Path config = tmp.resolve("mcp.json");
            Files.writeString(config, documented.replace("http://127.0.0.1:8080", "http://127.0.0.1:" + gh.gatehouse().port()));
            JsonNode report = run(config, taskToken, Map.of("steps", List.of(Map.of("op", "list"),
                    Map.of("op", "call", "name", "search_docs", "arguments", Map.of("query", "billing")))));
            assertThat(report.has("connectError")).as(report.toString()).isFalse();
            assertThat(report.path("steps").get(0).path("tools")).extracting(JsonNode::asText).containsExactly("search_docs");
            JsonNode call = report.path("steps").get(1).path("result");
            assertThat(call.path("isError").asBoolean()).as(report.toString()).isFalse();
            assertThat(call.path("content").get(0).path("text").asText()).contains("articles match 'billing'");
            assertThat(upstream.calls("search_docs")).isEqualTo(1);

            // Without a valid token in the environment, the same configuration is refused.
            JsonNode refused = run(config, "not-a-token", Map.of("steps", List.of(Map.of("op", "list"))));
            assertThat(refused.path("connectError").asText()).as(refused.toString()).isNotEmpty();
        }
    }

    private static JsonNode run(Path config, String token, Object plan) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", McpPeers.DIR.resolve("config-client.mjs").toString(), config.toString(),
                "support-tools", McpPeers.JSON.writeValueAsString(plan)).directory(McpPeers.DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("GATEHOUSE_TASK_TOKEN", token);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the SDK client did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8).trim();
        return McpPeers.JSON.readTree(text.substring(text.lastIndexOf('\n') + 1));
    }
}
