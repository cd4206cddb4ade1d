package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.core.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small hand-written Streamable HTTP MCP server (JSON responses) for the taint scenario: a CRM
 * whose {@code read_record} returns a customer record with a card number, and outbound tools. It
 * records the tool calls and request headers it received, so tests can see what reached it.
 */
final class TinyMcpServer implements AutoCloseable {
    static final String CARD = "4111 1111 1111 1111";

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs (~40 ms stalls).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();
    final List<String> methods = new CopyOnWriteArrayList<>();
    /** Basic credentials its token endpoint accepts ({@code client:secret}, base64) and the token it issues. */
    volatile String acceptedBasic = "";
    volatile String issuedToken = "up-token-1";
    private final Map<String, Boolean> sessions = new ConcurrentHashMap<>();
    private final HttpServer server;

    TinyMcpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", exchange -> {
            boolean ok = ("Basic " + acceptedBasic).equals(exchange.getRequestHeaders().getFirst("Authorization"))
                    && new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).startsWith("grant_type=client_credentials");
            byte[] body = (ok ? "{\"access_token\":\"" + issuedToken + "\",\"token_type\":\"Bearer\",\"expires_in\":300}"
                    : "{\"error\":\"invalid_client\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.createContext("/mcp", exchange -> {
            headers.add(Map.copyOf(exchange.getRequestHeaders()));
            methods.add(exchange.getRequestMethod());
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(exchange.getRequestMethod().equals("DELETE") ? 200 : 405, -1);
                exchange.close();
                return;
            }
            JsonNode msg = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            if (!msg.has("id")) {
                exchange.sendResponseHeaders(202, -1);
                exchange.close();
                return;
            }
            ObjectNode out = Json.MAPPER.createObjectNode().put("jsonrpc", "2.0");
            out.set("id", msg.get("id"));
            String method = msg.path("method").asText();
            switch (method) {
                case "initialize" -> {
                    String session = "tiny-" + sessions.size();
                    sessions.put(session, true);
                    exchange.getResponseHeaders().add("Mcp-Session-Id", session);
                    out.set("result", Json.MAPPER.valueToTree(Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of("tools", Map.of()),
                            "serverInfo", Map.of("name", "tiny", "version", "1"))));
                }
                case "tools/list" -> out.set("result", Json.MAPPER.valueToTree(Map.of("tools", List.of(
                        tool("read_record"), tool("post_webhook"), tool("send_email")))));
                case "tools/call" -> {
                    String name = msg.path("params").path("name").asText();
                    calls.add(name);
                    String text = name.equals("read_record") ? "Customer Jane Roe, card " + CARD + ", expires 12/29" : "done";
                    out.set("result", Json.MAPPER.valueToTree(Map.of("content", List.of(Map.of("type", "text", "text", text)))));
                }
                default -> out.set("result", Json.MAPPER.createObjectNode());
            }
            byte[] body = Json.write(out).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
    }

    private static Map<String, Object> tool(String name) {
        return Map.of("name", name, "description", name, "inputSchema", Map.of("type", "object"));
    }

    String url() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/mcp"; }

    String tokenUrl() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/token"; }

    @Override
    public void close() { server.stop(0); }
}
