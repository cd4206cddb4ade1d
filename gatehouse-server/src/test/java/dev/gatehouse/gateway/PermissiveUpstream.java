package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A deliberately permissive MCP tool server (Streamable HTTP) for the mediation tests: it runs
 * whatever reaches it — requests and notifications alike, tool names matched loosely (case and
 * separators ignored), any resource URI, any prompt — and logs every message it executes, raw. A
 * test that says "refused" means this log holds nothing for that message.
 *
 * <p>Its catalogue can change while it runs (a new tool appears, a description changes: a rug pull).
 * Resources under {@code hr://} and the prompt {@code customer_brief} return a card number, so reading
 * them taints. A tool named {@code ask_client} sends the client a ping and a sampling request before
 * answering; {@code slow} answers after a second and a half.
 */
final class PermissiveUpstream implements AutoCloseable {
    static final String CARD = "4111 1111 1111 1111";

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Every message that reached the server, as received (JSON text), in order. */
    final List<JsonNode> executed = new CopyOnWriteArrayList<>();
    /** The same messages as the bytes that arrived. */
    final List<String> raw = new CopyOnWriteArrayList<>();
    /** The tools/list catalogue: name → definition (mutable). */
    final Map<String, ObjectNode> tools = new ConcurrentHashMap<>();
    private final HttpServer server;

    PermissiveUpstream() throws IOException {
        for (String name : List.of("lookup", "send_email", "paste", "approve_payment", "slow", "ask_client")) {
            tools.put(name, definition(name, "Does " + name));
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mcp", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    static ObjectNode definition(String name, String description) {
        ObjectNode t = McpPeers.JSON.createObjectNode().put("name", name).put("description", description);
        t.putObject("inputSchema").put("type", "object");
        return t;
    }

    String url() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/mcp"; }

    /** The messages executed with this method (requests and notifications alike). */
    List<JsonNode> executed(String method) {
        return executed.stream().filter(m -> method.equals(m.path("method").asText())).toList();
    }

    /** Tool calls executed (by request or notification), by normalised name. */
    List<String> toolCalls() {
        return executed("tools/call").stream().map(m -> loose(m.path("params").path("name").asText())).toList();
    }

    private static String loose(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("DELETE") ? 200 : 405, -1);
            exchange.close();
            return;
        }
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        JsonNode msg = McpPeers.JSON.readTree(bytes);
        raw.add(new String(bytes, StandardCharsets.UTF_8));
        executed.add(msg);
        String method = msg.path("method").asText("");
        if (!msg.has("id") || !msg.has("method")) {
            // Notifications and responses are accepted — and "executed" like anything else.
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
            return;
        }
        ObjectNode out = McpPeers.JSON.createObjectNode().put("jsonrpc", "2.0");
        out.set("id", msg.get("id"));
        ObjectNode result = out.putObject("result");
        JsonNode params = msg.path("params");
        String interim = null;
        switch (method) {
            case "initialize" -> {
                exchange.getResponseHeaders().add("Mcp-Session-Id", "permissive-" + System.nanoTime());
                result.put("protocolVersion", "2025-06-18");
                result.putObject("capabilities").putObject("tools");
                result.putObject("serverInfo").put("name", "permissive").put("version", "1");
            }
            case "tools/list" -> {
                ArrayNode list = result.putArray("tools");
                tools.values().stream().sorted((a, b) -> a.path("name").asText().compareTo(b.path("name").asText())).forEach(list::add);
            }
            case "tools/call" -> {
                String name = loose(params.path("name").asText());
                if (name.equals("slow")) sleep(1500);
                if (name.equals("askclient")) {
                    interim = "{\"jsonrpc\":\"2.0\",\"id\":\"up-1\",\"method\":\"ping\"}\n\nevent: message\ndata: "
                            + "{\"jsonrpc\":\"2.0\",\"id\":\"up-2\",\"method\":\"sampling/createMessage\",\"params\":{\"messages\":[],\"maxTokens\":5}}";
                }
                result.putArray("content").addObject().put("type", "text").put("text", "ran " + name + " with " + params.path("arguments"));
            }
            case "resources/list" -> {
                ArrayNode list = result.putArray("resources");
                list.addObject().put("uri", "hr://employees/compensation").put("name", "compensation");
                list.addObject().put("uri", "docs://handbook").put("name", "handbook");
            }
            case "resources/templates/list" -> result.putArray("resourceTemplates").addObject()
                    .put("uriTemplate", "hr://employees/{id}").put("name", "employee");
            case "resources/read" -> {
                String uri = params.path("uri").asText();
                String text = uri.startsWith("hr://") ? "salary 120000, payroll card " + CARD : "welcome to the handbook";
                result.putArray("contents").addObject().put("uri", uri).put("text", text);
            }
            case "prompts/list" -> result.putArray("prompts").addObject().put("name", "customer_brief").put("description", "brief");
            case "prompts/get" -> result.putArray("messages").addObject().put("role", "user").putObject("content")
                    .put("type", "text").put("text", "Customer Jane Roe, card " + CARD + ", " + params.path("arguments"));
            case "completion/complete" -> result.putObject("completion").putArray("values").add("alpha");
            default -> { /* anything else: an empty result, executed all the same */ }
        }
        byte[] body;
        if (interim != null) {
            body = ("event: message\ndata: " + interim + "\n\nevent: message\ndata: " + McpPeers.JSON.writeValueAsString(out) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        } else {
            body = McpPeers.JSON.writeValueAsBytes(out);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() { server.stop(0); }
}
