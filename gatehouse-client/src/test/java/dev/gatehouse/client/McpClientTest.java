package dev.gatehouse.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MCP client speaks Streamable HTTP as the gateway expects: sessions, protocol version, JSON and SSE answers. */
class McpClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSessionIsOpenedUsedAndClosedWithTheTaskToken() throws Exception {
        try (FakeServer server = new FakeServer(r -> {
            if (r.method().equals("DELETE")) return new FakeServer.Reply(204, null, null, Map.of());
            if (!r.body().contains("\"id\"")) return new FakeServer.Reply(202, null, null, Map.of()); // a notification
            String id = r.body().replaceAll(".*\"id\":(\\d+).*", "$1");
            if (r.body().contains("\"initialize\"")) {
                return new FakeServer.Reply(200, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":" + id
                        + ",\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}", Map.of("Mcp-Session-Id", "s-1"));
            }
            // tools/call answered as an SSE stream: a notification first, then the response.
            return new FakeServer.Reply(200, "text/event-stream", "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\n\n"
                    + "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"3 articles\"}],"
                    + "\"isError\":false}}\n\n", Map.of());
        })) {
            McpClient.Answer called;
            try (McpClient mcp = new GatehouseClient(server.base(), null).mcp("support tools", "task-token")) {
                assertThat(mcp.endpoint().toString()).endsWith("/mcp/support%20tools");
                McpClient.Answer opened = mcp.initialize();
                assertThat(opened.isError()).as(opened.status() + " " + opened.message()).isFalse();
                called = mcp.callTool("search_docs", JSON.createObjectNode().put("query", "billing"));
            }
            assertThat(called.isError()).isFalse();
            assertThat(called.toolFailed()).isFalse();
            assertThat(called.text()).isEqualTo("3 articles");

            assertThat(server.seen).extracting(FakeServer.Seen::method).containsExactly("POST", "POST", "POST", "DELETE");
            for (FakeServer.Seen s : server.seen) assertThat(s.header("Authorization")).isEqualTo("Bearer task-token");
            assertThat(server.seen.get(0).header("Mcp-Session-Id")).as("no session before initialize").isNull();
            assertThat(server.seen.get(1).body()).contains("notifications/initialized");
            assertThat(server.seen.get(2).header("Mcp-Session-Id")).isEqualTo("s-1");
            assertThat(server.seen.get(2).header("MCP-Protocol-Version")).isEqualTo(McpClient.PROTOCOL_VERSION);
            assertThat(server.seen.get(2).header("Accept")).contains("application/json").contains("text/event-stream");
            assertThat(server.seen.get(3).header("Mcp-Session-Id")).isEqualTo("s-1");
        }
    }

    @Test
    void refusalsAreAnswersNotExceptions() throws Exception {
        try (FakeServer server = new FakeServer(r -> r.body().contains("\"initialize\"")
                ? new FakeServer.Reply(401, "application/json", "{\"error\":\"unauthenticated\"}",
                        Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""))
                : FakeServer.Reply.json(200, "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32001,\"message\":\"Gatehouse refused the call: forbidden\","
                        + "\"data\":{\"reason\":\"forbidden\"}}}"))) {
            McpClient mcp = new McpClient(server.base().resolve("mcp/crm"), "dead-token");
            McpClient.Answer opened = mcp.initialize();
            assertThat(opened.status()).isEqualTo(401);
            assertThat(opened.isError()).isTrue();
            assertThat(opened.errorText()).isEqualTo("HTTP 401 (token not accepted)");
            McpClient.Answer refused = mcp.callTool("send_email", null);
            assertThat(refused.isError()).isTrue();
            assertThat(refused.errorText()).isEqualTo("Gatehouse refused the call: forbidden {\"reason\":\"forbidden\"}");
        }
    }
}
