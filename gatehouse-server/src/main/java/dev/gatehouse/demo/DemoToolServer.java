package dev.gatehouse.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The demo's upstream: a small MCP server (Streamable HTTP, JSON responses) with the tools of a
 * support team's world — a customer lookup whose record holds a card number and an email, a docs
 * search, two ways to send data out, and a production deploy. It counts calls so the demo can show
 * that a held call ran exactly once. Not a Gatehouse component: it stands for a vendor's server.
 */
public final class DemoToolServer implements AutoCloseable {
    static final String PROTOCOL_VERSION = "2025-06-18";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    public DemoToolServer() {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (!"POST".equals(request.getMethod())) {
                    response.setStatus(405);
                    response.getHeaders().put(HttpHeader.ALLOW, "POST");
                    callback.succeeded();
                    return true;
                }
                JsonNode message = JSON.readTree(Content.Source.asString(request, StandardCharsets.UTF_8));
                if (!message.has("id")) { // a notification: accepted, nothing to answer
                    response.setStatus(202);
                    callback.succeeded();
                    return true;
                }
                ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0").set("id", message.get("id"));
                String method = message.path("method").asText();
                switch (method) {
                    case "initialize" -> {
                        reply.set("result", JSON.createObjectNode().put("protocolVersion", PROTOCOL_VERSION)
                                .<ObjectNode>set("capabilities", JSON.createObjectNode().set("tools", JSON.createObjectNode()))
                                .set("serverInfo", JSON.createObjectNode().put("name", "demo-tools").put("version", "1.0.0")));
                        response.getHeaders().put("Mcp-Session-Id", UUID.randomUUID().toString());
                    }
                    case "ping" -> reply.set("result", JSON.createObjectNode());
                    case "tools/list" -> reply.set("result", JSON.createObjectNode().set("tools", tools()));
                    case "tools/call" -> reply.set("result", call(message.path("params")));
                    default -> reply.set("error", JSON.createObjectNode().put("code", -32601).put("message", "method not found: " + method));
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(reply)), callback);
                return true;
            }
        });
    }

    public DemoToolServer start() throws Exception {
        server.start();
        return this;
    }

    public String url() { return "http://127.0.0.1:" + connector.getLocalPort() + "/mcp"; }

    /** How many times {@code tool} actually ran here. */
    public int calls(String tool) { return calls.getOrDefault(tool, new AtomicInteger()).get(); }

    private static ArrayNode tools() {
        ArrayNode tools = JSON.createArrayNode();
        tools.add(tool("lookup_customer", "Look up a customer record by id", Map.of("customer_id", "string")));
        tools.add(tool("search_docs", "Search the support knowledge base", Map.of("query", "string")));
        tools.add(tool("send_email", "Send an email to any address", Map.of("to", "string", "subject", "string", "body", "string")));
        tools.add(tool("post_to_pastebin", "Publish text on a public paste site", Map.of("content", "string")));
        tools.add(tool("deploy_service", "Deploy a service version to an environment",
                Map.of("service", "string", "version", "string", "environment", "string")));
        return tools;
    }

    private static ObjectNode tool(String name, String description, Map<String, String> properties) {
        ObjectNode props = JSON.createObjectNode();
        properties.forEach((k, type) -> props.set(k, JSON.createObjectNode().put("type", type)));
        ArrayNode required = JSON.createArrayNode();
        properties.keySet().stream().sorted().forEach(required::add);
        return JSON.createObjectNode().put("name", name).put("description", description)
                .set("inputSchema", JSON.createObjectNode().put("type", "object").<ObjectNode>set("properties", props).set("required", required));
    }

    private ObjectNode call(JsonNode params) {
        String name = params.path("name").asText();
        JsonNode args = params.path("arguments");
        String text = switch (name) {
            // A test card number (passes Luhn) and an email: what makes this record restricted data.
            case "lookup_customer" -> "{\"id\":\"" + args.path("customer_id").asText() + "\",\"name\":\"Jordan Example\","
                    + "\"email\":\"jordan.example@example.com\",\"card\":\"4111 1111 1111 1111\",\"plan\":\"enterprise\"}";
            case "search_docs" -> "3 articles match '" + args.path("query").asText()
                    + "': Resetting a password; Updating billing details; Exporting invoices";
            case "send_email" -> "email sent to " + args.path("to").asText();
            case "post_to_pastebin" -> "posted at https://paste.example/p/7f3a";
            case "deploy_service" -> "deployed " + args.path("service").asText() + " " + args.path("version").asText()
                    + " to " + args.path("environment").asText();
            default -> null;
        };
        ObjectNode result = JSON.createObjectNode();
        ArrayNode content = result.putArray("content");
        if (text == null) {
            content.addObject().put("type", "text").put("text", "unknown tool " + name);
            return result.put("isError", true);
        }
        calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        content.addObject().put("type", "text").put("text", text);
        return result.put("isError", false);
    }

    @Override
    public void close() throws Exception { server.stop(); }
}
