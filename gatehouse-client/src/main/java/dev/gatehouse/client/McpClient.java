package dev.gatehouse.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An MCP client over Streamable HTTP, as an agent uses it through the Gatehouse gateway
 * ({@code /mcp/{server}}) with a task token: {@link #initialize()}, then JSON-RPC requests on the
 * session, answered as JSON or as an SSE stream; {@link #close()} ends the session. Refusals are
 * answers, not exceptions: the HTTP status (401 for a dead token) or the JSON-RPC error is in the
 * {@link Answer}. Not thread-safe: one client per agent session.
 */
public final class McpClient implements AutoCloseable {
    /** The MCP revision this client speaks (Streamable HTTP). */
    public static final String PROTOCOL_VERSION = "2025-06-18";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One answer: the HTTP status, the JSON-RPC response ({@code null} when the HTTP layer refused, e.g. 401)
     * and the {@code WWW-Authenticate} challenge, if any.
     */
    public record Answer(int status, JsonNode message, String wwwAuthenticate) {
        /** A JSON-RPC error, or no JSON-RPC answer at all. A tool result with {@code isError} is not this: see {@link #toolFailed()}. */
        public boolean isError() { return message == null || message.has("error"); }

        /** The JSON-RPC {@code result}, or null. */
        public JsonNode result() { return message == null ? null : message.get("result"); }

        /** A tools/call result that reports a failure ({@code isError: true}), e.g. a call held for approval. */
        public boolean toolFailed() { return result() != null && result().path("isError").asBoolean(false); }

        /** The text of a result's first text content, or "". */
        public String text() {
            JsonNode content = result() == null ? null : result().path("content");
            if (content == null || !content.isArray()) return "";
            for (JsonNode c : content) {
                if ("text".equals(c.path("type").asText())) return c.path("text").asText();
            }
            return "";
        }

        /** One line describing a refusal: the JSON-RPC error message and its data, or the HTTP status. */
        public String errorText() {
            if (message == null) return "HTTP " + status + (wwwAuthenticate != null && wwwAuthenticate.contains("invalid_token") ? " (token not accepted)" : "");
            JsonNode e = message.path("error");
            return e.path("message").asText() + (e.path("data").isMissingNode() ? "" : " " + e.path("data"));
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final AtomicLong ids = new AtomicLong();
    private final String clientName;
    private String token;
    private String session;

    /** {@code endpoint}: the gateway's MCP endpoint of one tool server, e.g. {@code http://127.0.0.1:8080/mcp/github}. */
    public McpClient(URI endpoint, String token) {
        this(endpoint, token, "gatehouse-client");
    }

    public McpClient(URI endpoint, String token, String clientName) {
        this.endpoint = endpoint;
        this.token = token;
        this.clientName = clientName;
    }

    public URI endpoint() { return endpoint; }

    /** Uses another token from the next request on (e.g. after a delegation). */
    public void token(String token) { this.token = token; }

    /** Opens the session ({@code initialize}, then {@code notifications/initialized}). */
    public Answer initialize() {
        ObjectNode params = JSON.createObjectNode().put("protocolVersion", PROTOCOL_VERSION);
        params.set("capabilities", JSON.createObjectNode());
        params.set("clientInfo", JSON.createObjectNode().put("name", clientName).put("version", "1.0.0"));
        Answer answer = request("initialize", params);
        if (!answer.isError()) notify("notifications/initialized");
        return answer;
    }

    public Answer listTools() {
        return request("tools/list", JSON.createObjectNode());
    }

    /** {@code arguments} may be null (no arguments). */
    public Answer callTool(String name, JsonNode arguments) {
        return request("tools/call", JSON.createObjectNode().put("name", name)
                .set("arguments", arguments == null ? JSON.createObjectNode() : arguments));
    }

    /** Any JSON-RPC request on the session. */
    public Answer request(String method, JsonNode params) {
        ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", ids.incrementAndGet()).put("method", method);
        message.set("params", params);
        HttpResponse<String> response = send(builder().POST(body(message)).build(), HttpResponse.BodyHandlers.ofString());
        response.headers().firstValue("Mcp-Session-Id").ifPresent(id -> session = id);
        String type = response.headers().firstValue("Content-Type").orElse("");
        JsonNode answer = null;
        try {
            if (type.startsWith("text/event-stream")) {
                answer = lastSseMessage(response.body());
            } else if (type.startsWith("application/json") && !response.body().isBlank()) {
                answer = JSON.readTree(response.body());
            }
            // Only a JSON-RPC message is an answer; an HTTP-level refusal (401, 404) carries its own JSON error body.
            if (answer != null && !answer.has("jsonrpc")) answer = null;
        } catch (IOException e) {
            throw new UncheckedIOException("the MCP endpoint " + endpoint + " answered with malformed JSON", e);
        }
        return new Answer(response.statusCode(), answer, response.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    private void notify(String method) {
        ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
        send(builder().POST(body(message)).build(), HttpResponse.BodyHandlers.discarding());
    }

    /** Ends the session on the gateway (and so its upstream session or process). */
    @Override
    public void close() {
        if (session == null) return;
        try {
            send(builder().DELETE().build(), HttpResponse.BodyHandlers.discarding());
        } catch (RuntimeException ignored) {
            // best effort: an idle session is closed by the gateway anyway
        }
        session = null;
    }

    private HttpRequest.Builder builder() {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", PROTOCOL_VERSION);
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (session != null) b.header("Mcp-Session-Id", session);
        return b;
    }

    private static HttpRequest.BodyPublisher body(JsonNode message) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + endpoint + ": " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The JSON-RPC response in an SSE stream: the last {@code data:} event that carries an id. */
    private static JsonNode lastSseMessage(String stream) throws IOException {
        JsonNode last = null;
        StringBuilder data = new StringBuilder();
        for (String line : (stream + "\n\n").split("\\r?\\n", -1)) { // -1: keep the blank line that ends the last event
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
