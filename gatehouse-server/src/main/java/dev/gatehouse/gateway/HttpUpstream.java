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
import java.util.function.Supplier;

/**
 * An upstream MCP server over Streamable HTTP. The upstream's {@code Mcp-Session-Id} is kept here
 * and never shown to the agent (the agent holds the gateway's own session id). Upstream
 * credentials come from {@code credentials} on each request, so a rotated secret takes effect at
 * once; the agent's token is never sent (MCP forbids token passthrough).
 */
final class HttpUpstream implements Upstream {
    private static final long MAX_MESSAGE_CHARS = 16L * 1024 * 1024;

    private final OutboundHttp http;
    private final URI url;
    private final Supplier<Map<String, String>> credentials;
    private final ScheduledExecutorService timer;
    private volatile String sessionId;
    private volatile String protocolVersion;

    HttpUpstream(OutboundHttp http, URI url, Supplier<Map<String, String>> credentials, ScheduledExecutorService timer) {
        this.http = http;
        this.url = url;
        this.credentials = credentials;
        this.timer = timer;
    }

    @Override
    public void protocolVersion(String version) { this.protocolVersion = version; }

    /** The headers of every upstream request: injected credential, session and protocol version. */
    private Map<String, String> headers() throws UpstreamException {
        Map<String, String> h = new java.util.LinkedHashMap<>();
        try {
            h.putAll(credentials.get());
        } catch (RuntimeException e) {
            // Fail closed and say only that: the cause may concern the upstream's authorization server, never the agent.
            throw new UpstreamException("upstream_credentials_unavailable", "the upstream credential could not be obtained");
        }
        if (sessionId != null) h.put("Mcp-Session-Id", sessionId);
        if (protocolVersion != null) h.put("MCP-Protocol-Version", protocolVersion);
        h.put("Accept", "application/json, text/event-stream");
        return h;
    }

    private OutboundHttp.Call post(ObjectNode message, Duration timeout) throws UpstreamException {
        return OutboundHttp.Call.post(url, headers(), "application/json", Json.write(message).getBytes(StandardCharsets.UTF_8), timeout);
    }

    @Override
    public Exchange request(ObjectNode request, Duration timeout) throws UpstreamException {
        OutboundHttp.Reply response = send(post(request, timeout));
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
    public void send(ObjectNode message) throws UpstreamException {
        OutboundHttp.Reply response = send(post(message, Duration.ofSeconds(30)));
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
        if (id == null) return;
        try {
            OutboundHttp.Call delete = new OutboundHttp.Call("DELETE", url, headers(), null, null, Duration.ofSeconds(2), false);
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
