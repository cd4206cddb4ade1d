package dev.gatehouse.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal MCP client over Streamable HTTP, as an agent would use it through the gateway:
 * initialize, then JSON-RPC requests on the session, answers as JSON or as an SSE stream.
 */
final class McpHttpClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: the HTTP status and the JSON-RPC response (null when the HTTP layer refused). */
    record Answer(int status, JsonNode message, String wwwAuthenticate) {
        boolean isError() { return message == null || message.has("error"); }

        JsonNode result() { return message == null ? null : message.get("result"); }

        String errorText() {
            if (message == null) return "HTTP " + status;
            JsonNode e = message.path("error");
            return e.path("message").asText() + (e.path("data").isMissingNode() ? "" : " " + e.path("data"));
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final AtomicLong ids = new AtomicLong();
    private String token;
    private String session;

    McpHttpClient(URI endpoint, String token) {
        this.endpoint = endpoint;
        this.token = token;
    }

    void token(String token) { this.token = token; }

    Answer initialize() throws IOException, InterruptedException {
        ObjectNode params = JSON.createObjectNode().put("protocolVersion", DemoToolServer.PROTOCOL_VERSION);
        params.set("capabilities", JSON.createObjectNode());
        params.set("clientInfo", JSON.createObjectNode().put("name", "gatehouse-demo-agent").put("version", "1.0.0"));
        Answer answer = request("initialize", params);
        if (!answer.isError()) notify("notifications/initialized");
        return answer;
    }

    Answer listTools() throws IOException, InterruptedException {
        return request("tools/list", JSON.createObjectNode());
    }

    Answer callTool(String name, ObjectNode arguments) throws IOException, InterruptedException {
        return request("tools/call", JSON.createObjectNode().put("name", name).set("arguments", arguments));
    }

    private void notify(String method) throws IOException, InterruptedException {
        ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
        http.send(builder().POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(message))).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    Answer request(String method, JsonNode params) throws IOException, InterruptedException {
        ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", ids.incrementAndGet()).put("method", method);
        message.set("params", params);
        HttpResponse<String> response = http.send(builder().POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(message))).build(),
                HttpResponse.BodyHandlers.ofString());
        response.headers().firstValue("Mcp-Session-Id").ifPresent(id -> session = id);
        String type = response.headers().firstValue("Content-Type").orElse("");
        JsonNode body = null;
        if (type.startsWith("text/event-stream")) {
            body = lastSseMessage(response.body());
        } else if (type.startsWith("application/json") && !response.body().isBlank()) {
            body = JSON.readTree(response.body());
        }
        return new Answer(response.statusCode(), body, response.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    private HttpRequest.Builder builder() {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", DemoToolServer.PROTOCOL_VERSION);
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (session != null) b.header("Mcp-Session-Id", session);
        return b;
    }

    /** The JSON-RPC response in an SSE stream: the last {@code data:} event that carries an id. */
    private static JsonNode lastSseMessage(String stream) throws IOException {
        JsonNode last = null;
        StringBuilder data = new StringBuilder();
        for (String line : (stream + "\n\n").split("\\r?\\n")) {
            if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            } else if (line.isEmpty() && data.length() > 0) {
                JsonNode event = JSON.readTree(data.toString());
                if (event.has("id")) last = event;
                data.setLength(0);
            }
        }
        return last;
    }
}
