package dev.gatehouse.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.gatehouse.demo.DemoToolServer;
import dev.gatehouse.testing.TestGatehouse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The console tests' world: an inventory with an owner (maria), an auditor (audrey), a production agent
 * owned by maria that authenticates with its own key, and the demo's MCP tool server behind the real
 * gateway, whose critical {@code deploy_service} the starter pack holds for the owner's approval.
 */
final class ConsoleWorld {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SERVER = "support";

    /** A clock the test moves (step-up age, session idle time); starts at the real time so IdP tokens validate. */
    static final class TestClock extends Clock {
        volatile Instant now = Instant.now();
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
        void advance(Duration d) { now = now.plus(d); }
    }

    private final TestGatehouse gh;
    private final ECKey agentKey;

    ConsoleWorld(TestGatehouse gh, DemoToolServer upstream) throws Exception {
        this.gh = gh;
        gh.client().post("v1/identities", Map.of("id", "maria", "kind", "human", "displayName", "Maria Lopez", "email", "maria@example.com"));
        gh.client().post("v1/identities", Map.of("id", "audrey", "kind", "human", "displayName", "Audrey Auditor", "email", "audrey@example.com"));
        gh.client().post("v1/identities", Map.of("id", "support-agent", "kind", "agent", "displayName", "Support agent", "owner", "maria",
                "purpose", "resolves customer support tickets", "environment", "prod", "autonomy", "autonomous",
                "scope", Map.of("tools", List.of(SERVER + "/*"), "effects", List.of("read", "write", "execute"))));
        gh.client().post("v1/tool-servers", Map.of("id", SERVER, "displayName", "Support tools", "url", upstream.url(), "trust", "approved",
                "destination", "internal", "tools", List.of(
                        Map.of("name", "search_docs", "effect", "read", "risk", "low", "destination", "internal"),
                        Map.of("name", "deploy_service", "effect", "execute", "risk", "critical", "destination", "internal"))));
        gh.gatehouse().seedStarterPolicies();
        agentKey = new ECKeyGenerator(Curve.P_256).keyID("support-agent-1").generate();
        gh.client().post("v1/identities/support-agent/credentials", Map.of("type", "private_key_jwt", "jwk", agentKey.toPublicJWK().toJSONObject()));
    }

    /** A task token of the agent (private_key_jwt: the starter pack lets no client secret execute in prod). */
    String agentToken(String intent) {
        return new dev.gatehouse.client.GatehouseClient(gh.baseUri(), null)
                .requestTaskTokenWithKey("support-agent", agentKey.toJSONString(), intent, SERVER + "/* read write execute", 600)
                .path("access_token").asText();
    }

    /** A minimal MCP client over Streamable HTTP through the real gateway ({@code /mcp/support}). */
    static final class Agent {
        private final HttpClient http = HttpClient.newHttpClient();
        private final URI endpoint;
        private final String token;
        private final AtomicLong ids = new AtomicLong();
        private String session;

        Agent(URI base, String token) throws Exception {
            this.endpoint = base.resolve("mcp/" + SERVER);
            this.token = token;
            JsonNode init = request("initialize", JSON.readTree("{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"console-test-agent\",\"version\":\"1\"}}"));
            if (init.has("error")) throw new AssertionError("initialize failed: " + init);
            send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        }

        /** The JSON-RPC response to a tools/call. */
        JsonNode call(String tool, Map<String, String> arguments) throws Exception {
            return request("tools/call", JSON.valueToTree(Map.of("name", tool, "arguments", arguments)));
        }

        private JsonNode request(String method, JsonNode params) throws Exception {
            var message = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", ids.incrementAndGet()).put("method", method);
            message.set("params", params);
            HttpResponse<String> r = send(JSON.writeValueAsString(message));
            r.headers().firstValue("Mcp-Session-Id").ifPresent(id -> session = id);
            String body = r.body();
            if (r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                String last = null;
                for (String line : body.split("\n")) if (line.startsWith("data:")) last = line.substring(5).strip();
                body = last;
            }
            if (body == null || body.isBlank()) throw new AssertionError("HTTP " + r.statusCode() + " without a JSON-RPC answer");
            return JSON.readTree(body);
        }

        private HttpResponse<String> send(String json) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            if (session != null) b.header("Mcp-Session-Id", session);
            if (session != null) b.header("MCP-Protocol-Version", "2025-06-18");
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The approval request id a held call's result names. */
    static String heldRequest(JsonNode response) {
        return response.path("result").path("_meta").path("dev.gatehouse/approval").path("requestId").asText("");
    }
}
