package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import dev.gatehouse.outbound.OutboundHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An upstream MCP server over Streamable HTTP. The upstream's {@code Mcp-Session-Id} is kept here
 * and never shown to the agent (the agent holds the gateway's own session id). Every request is
 * authenticated by the tool server's {@link UpstreamAuthenticator} as the caller it is for, so a
 * rotated secret takes effect at once and a per-call token names its call; a 401 challenge the
 * authenticator can answer (MCP authorization) is retried once. The agent's token is never sent
 * (MCP forbids token passthrough).
 */
final class HttpUpstream implements Upstream {
    private static final long MAX_MESSAGE_CHARS = 16L * 1024 * 1024;

    private final OutboundHttp http;
    private final URI url;
    private final UpstreamAuthenticator auth;
    private final ScheduledExecutorService timer;
    private volatile String sessionId;
    private volatile String protocolVersion;
    /** The caller of the latest request: the session's DELETE is authenticated as it. */
    private volatile Attribution last;

    HttpUpstream(OutboundHttp http, URI url, UpstreamAuthenticator auth, ScheduledExecutorService timer) {
        this.http = http;
        this.url = url;
        this.auth = auth;
        this.timer = timer;
    }

    @Override
    public void protocolVersion(String version) { this.protocolVersion = version; }

    /** The headers of every upstream request: its credential, session and protocol version. */
    private Map<String, String> headers(Attribution on) throws UpstreamException {
        Map<String, String> h = new java.util.LinkedHashMap<>();
        try {
            h.putAll(auth.headers(on));
        } catch (RuntimeException e) {
            // Fail closed and say only that: the cause may concern the upstream's authorization server, never the agent.
            throw new UpstreamException("upstream_credentials_unavailable", "the upstream credential could not be obtained");
        }
        if (sessionId != null) h.put("Mcp-Session-Id", sessionId);
        if (protocolVersion != null) h.put("MCP-Protocol-Version", protocolVersion);
        h.put("Accept", "application/json, text/event-stream");
        return h;
    }

    /**
     * Posts {@code message} as {@code on}. A 401 whose challenge the authenticator answers with fresh credentials
     * is sent once more; a second 401 stands.
     */
    private OutboundHttp.Reply post(ObjectNode message, Attribution on, Duration timeout) throws UpstreamException {
        last = on;
        byte[] body = Json.write(message).getBytes(StandardCharsets.UTF_8);
        OutboundHttp.Reply response = send(OutboundHttp.Call.post(url, headers(on), "application/json", body, timeout));
        if (response.status() != 401) return response;
        closeQuietly(response.body());
        boolean renewed;
        try {
            renewed = auth.challenged(on, response.header("WWW-Authenticate").orElse(""));
        } catch (RuntimeException e) {
            throw new UpstreamException("upstream_credentials_unavailable", "the upstream credential could not be obtained");
        }
        if (!renewed) throw new UpstreamException("upstream_unauthorized", "the upstream refused the gateway's credentials");
        response = send(OutboundHttp.Call.post(url, headers(on), "application/json", body, timeout));
        if (response.status() == 401) {
            closeQuietly(response.body());
            throw new UpstreamException("upstream_unauthorized", "the upstream refused the token obtained for it");
        }
        return response;
    }

    @Override
    public Exchange request(ObjectNode request, Attribution on, Duration timeout) throws UpstreamException {
        OutboundHttp.Reply response = post(request, on, timeout);
        AtomicBoolean timedOut = new AtomicBoolean();
        // The response headers arrived within the timeout; an SSE body may still stall, so a timer closes it.
        ScheduledFuture<?> deadline = timer.schedule(() -> {
            timedOut.set(true);
            closeQuietly(response.body());
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (InputStream body = response.body()) {
            captureSession(response);
            if (response.status() == 404 && sessionId != null) {
                throw new UpstreamException("upstream_session_expired", "the upstream ended its session");
            }
            if (response.status() / 100 != 2) {
                throw new UpstreamException("upstream_error", "upstream answered HTTP " + response.status());
            }
            String type = response.header("Content-Type").orElse("");
            JsonNode id = request.get("id");
            if (type.startsWith("text/event-stream")) return readStream(body, id);
            if (type.startsWith("application/json")) {
                byte[] bytes = body.readNBytes((int) MAX_MESSAGE_CHARS + 1);
                if (bytes.length > MAX_MESSAGE_CHARS) throw new UpstreamException("upstream_protocol", "upstream message too large");
                JsonNode message = McpMessage.JSON.readTree(bytes);
                if (message == null || !message.isObject()) throw new UpstreamException("upstream_protocol", "upstream sent no JSON-RPC response");
                return new Exchange(message, List.of());
            }
            throw new UpstreamException("upstream_protocol", "upstream answered with content type '" + type + "'");
        } catch (IOException e) {
            if (timedOut.get()) throw new UpstreamException("upstream_timeout", "the upstream did not answer in time");
            throw new UpstreamException("upstream_unavailable", "reading the upstream response failed: " + e.getClass().getSimpleName());
        } finally {
            deadline.cancel(false);
        }
    }

    /** Reads server-sent events until the response to {@code id}; everything before it is relayed. */
    private static Exchange readStream(InputStream body, JsonNode id) throws IOException, UpstreamException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        List<JsonNode> interim = new ArrayList<>();
        StringBuilder data = new StringBuilder();
        String event = "message";
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data.length() > 0 && event.equals("message")) {
                    JsonNode message = McpMessage.JSON.readTree(data.toString());
                    if (message != null && message.isObject()) {
                        boolean isResponse = !message.has("method") && (message.has("result") || message.has("error"));
                        if (isResponse && id.equals(message.get("id"))) return new Exchange(message, interim);
                        interim.add(message);
                    }
                }
                data.setLength(0);
                event = "message";
            } else if (line.startsWith("data:")) {
                if (data.length() > 0) data.append('\n');
                data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
                if (data.length() > MAX_MESSAGE_CHARS) throw new UpstreamException("upstream_protocol", "upstream message too large");
            } else if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            }
            // id:, retry: and comments (":") are not needed: the gateway does not resume upstream streams.
        }
        throw new UpstreamException("upstream_protocol", "the upstream closed its stream without a response");
    }

    @Override
    public void send(ObjectNode message, Attribution on) throws UpstreamException {
        OutboundHttp.Reply response = post(message, on, Duration.ofSeconds(30));
        closeQuietly(response.body());
        if (response.status() / 100 != 2) {
            throw new UpstreamException("upstream_error", "upstream answered HTTP " + response.status());
        }
    }

    private OutboundHttp.Reply send(OutboundHttp.Call call) throws UpstreamException {
        try {
            return http.send(call);
        } catch (OutboundHttp.Refused e) {
            // The operator's outbound rules, checked on the address actually connected to (DNS rebinding included).
            throw new UpstreamException("upstream_unavailable", "the upstream's address is not an allowed destination");
        } catch (java.net.http.HttpTimeoutException e) {
            throw new UpstreamException("upstream_timeout", "the upstream did not answer in time");
        } catch (IOException e) {
            throw new UpstreamException("upstream_unavailable", "the upstream is not reachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException("upstream_unavailable", "interrupted");
        }
    }

    private void captureSession(OutboundHttp.Reply response) {
        if (sessionId == null) response.header("Mcp-Session-Id").ifPresent(s -> sessionId = s);
    }

    /** Ends the upstream session (spec: DELETE with the session id); best effort. */
    @Override
    public void close() {
        String id = sessionId;
        Attribution on = last;
        if (id == null || on == null) return;
        try {
            OutboundHttp.Call delete = new OutboundHttp.Call("DELETE", url, headers(on.unnamed()), null, null, Duration.ofSeconds(2), false);
            CompletableFuture.runAsync(() -> {
                try (OutboundHttp.Reply ignored = http.send(delete)) {
                    // the upstream's answer does not matter
                } catch (IOException | RuntimeException e) {
                    // unreachable now: its session expires on its own
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } catch (UpstreamException e) {
            // no credential, no goodbye: the upstream session expires on its own
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
