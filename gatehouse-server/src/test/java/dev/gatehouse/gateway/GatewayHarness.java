package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.http.HttpServer;
import dev.gatehouse.http.Router;
import dev.gatehouse.inspection.Inspector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A second MCP gateway over a running Gatehouse's real services (registry, token broker, PDP, audit,
 * store), built with the inspector and settings a test chooses, and served on its own port.
 */
final class GatewayHarness implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final McpGateway gateway;
    final Upstreams upstreams;
    final dev.gatehouse.outbound.OutboundHttp outbound;
    final HttpServer http;

    GatewayHarness(Gatehouse g, Inspector inspector, McpGateway.Settings settings, Function<String, Map<String, String>> credentials)
            throws Exception {
        this(g, inspector, null, settings, credentials);
    }

    GatewayHarness(Gatehouse g, Inspector inspector, dev.gatehouse.approvals.ApprovalService approvals, McpGateway.Settings settings,
                   Function<String, Map<String, String>> credentials) throws Exception {
        this(g, inspector, approvals, g.audit(), settings, credentials);
    }

    /** With the audit log of the test's choosing (e.g. one that cannot record). */
    GatewayHarness(Gatehouse g, Inspector inspector, dev.gatehouse.approvals.ApprovalService approvals, dev.gatehouse.audit.AuditLog audit,
                   McpGateway.Settings settings, Function<String, Map<String, String>> credentials) throws Exception {
        // Test peers listen on loopback: allowed here as explicitly as an operator would in outbound.allow.
        dev.gatehouse.outbound.Destinations loopback = dev.gatehouse.outbound.Destinations.allowing(List.of("127.0.0.1/32"));
        this.outbound = new dev.gatehouse.outbound.OutboundHttp(loopback);
        this.upstreams = new Upstreams(server -> on -> credentials.apply(server.id()), new UpstreamRules(Map.of(), loopback), outbound);
        this.gateway = new McpGateway(g.registry(), g.tokens(), g.tokens(), g.decisions(), inspector, approvals, audit, g.database().transactions(),
                Clock.systemUTC(), new Secrets(new SecureRandom()), settings, upstreams);
        Router router = new Router();
        HttpServer[] self = new HttpServer[1];
        new McpRoutes(gateway, () -> "http://127.0.0.1:" + self[0].port(), () -> "http://127.0.0.1:" + g.port()).register(router);
        this.http = new HttpServer(new HttpServer.Settings("127.0.0.1", 0, 1 << 20, null), router, token -> Optional.empty(),
                new SimpleMeterRegistry());
        self[0] = http;
        http.start();
    }

    static McpGateway.Settings settings(McpGateway.Limits limits, java.util.Set<String> redact) {
        return new McpGateway.Settings(java.time.Duration.ofSeconds(10), java.time.Duration.ofMinutes(5), 100, limits, redact,
                java.time.Duration.ofHours(24));
    }

    static McpGateway.Limits unlimited() { return new McpGateway.Limits(0, 0, 0, 0); }

    /** A raw Streamable HTTP client session. */
    final class Session {
        final String server;
        final String token;
        final String id;
        int next = 1;

        Session(String server, String token) throws Exception {
            this.server = server;
            this.token = token;
            HttpResponse<String> init = send(null, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
            if (init.statusCode() != 200) throw new AssertionError("initialize failed: " + init.statusCode() + " " + init.body());
            this.id = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
            send(id, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        }

        JsonNode call(String tool, String arguments) throws Exception {
            HttpResponse<String> r = send(id, "{\"jsonrpc\":\"2.0\",\"id\":" + (next++) + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
                    + tool + "\",\"arguments\":" + arguments + "}}");
            return answer(r.body());
        }

        /** Posts any message on this session. */
        HttpResponse<String> post(String body) throws Exception { return send(id, body); }

        /** A request with the next id: {@code {"method": …, "params": …}}. */
        JsonNode request(String method, String params) throws Exception {
            return answer(post("{\"jsonrpc\":\"2.0\",\"id\":" + (next++) + ",\"method\":\"" + method + "\",\"params\":"
                    + params + "}").body());
        }

        /** The JSON-RPC response in a body: the body itself, or the last event of an SSE stream. */
        private static JsonNode answer(String body) throws Exception {
            if (!body.startsWith("event:") && !body.startsWith("data:")) return McpPeers.JSON.readTree(body);
            String last = null;
            for (String line : body.split("\n")) if (line.startsWith("data: ")) last = line.substring(6);
            return McpPeers.JSON.readTree(last);
        }

        private HttpResponse<String> send(String session, String body) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/mcp/" + server))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
            if (session != null) b.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    Session open(String server, String token) throws Exception { return new Session(server, token); }

    /** An initialize on {@code server} with {@code token}, as the raw response (for refusals). */
    HttpResponse<String> initialize(String server, String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/mcp/" + server))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        http.close();
        gateway.close();
        upstreams.close();
        outbound.close();
    }
}
