package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code verifying-upstream.mjs}: a tool server on the official TypeScript MCP SDK that checks every request's bearer
 * token with {@code jose} — Gatehouse's per-call tokens against Gatehouse's JWKS, or (mode {@code oauth}) an OAuth
 * authorization server's tokens, answering 401 with RFC 9728 metadata. It logs what it accepted and refused.
 */
final class VerifyingUpstream implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    final int port;

    VerifyingUpstream(Map<String, Object> config) throws Exception {
        process = new ProcessBuilder("node", McpPeers.DIR.resolve("verifying-upstream.mjs").toString(), McpPeers.JSON.writeValueAsString(config))
                .directory(McpPeers.DIR.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (first == null) throw new IllegalStateException("verifying-upstream.mjs did not start");
        port = McpPeers.JSON.readTree(first).path("port").asInt();
    }

    String url() { return "http://127.0.0.1:" + port + "/mcp"; }

    /** {@code {accepted: [...], refused: [{reason, description}]}}. */
    JsonNode log() throws Exception {
        return McpPeers.JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/log")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** The last token it accepted (what an attacker who saw one request would hold). */
    String lastToken() throws Exception {
        return McpPeers.JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/last-token")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("token").asText();
    }

    /** A tools/list sent straight to it with {@code token}: the status it answers. */
    int presentDirectly(String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url())).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
