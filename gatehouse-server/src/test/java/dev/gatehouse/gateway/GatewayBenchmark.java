package dev.gatehouse.gateway;

import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Latency the gateway adds to a {@code tools/call}: the same upstream called directly and through
 * {@code /mcp/{server}}, alternating call by call in one run so both see the same machine load. The
 * upstream is the MCP reference server (server-everything over Streamable HTTP, its {@code echo}
 * tool; {@code -Dgatehouse.bench.upstream=everything}, the default) or a small Streamable HTTP server
 * in this JVM ({@code =tiny}). Production wiring: token check, every hop's decision, the call's
 * record before forwarding, inspection both ways, taint and result record after. Not part of the
 * suite (no timing assertions):
 * {@code mvn -o -B test -pl gatehouse-server -am -Dtest=GatewayBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dgatehouse.bench=true [-Dgatehouse.bench.store=POSTGRES]}
 */
@EnabledIfSystemProperty(named = "gatehouse.bench", matches = "true")
class GatewayBenchmark {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir Path dir;

    @Test
    void addedLatencyPerToolCall() throws Exception {
        TestStores.Kind store = TestStores.Kind.valueOf(System.getProperty("gatehouse.bench.store", "H2"));
        int n = Integer.getInteger("gatehouse.bench.calls", 2000);
        boolean everything = !"tiny".equals(System.getProperty("gatehouse.bench.upstream", "everything"));
        if (everything) McpPeers.requireInstalled();
        try (AutoCloseable upstreamProcess = everything ? new McpPeers.HttpEverything() : new TinyMcpServer();
             TestGatehouse gh = TestGatehouse.start(dir, TestStores.freshUrl(store, dir),
                     TestGatehouse.withLoopbackPeers(Map.of("gateway.callsPerMinutePerIdentity", "0", "gateway.callsPerMinutePerTask", "0")))) {
            String upstreamUrl = everything ? ((McpPeers.HttpEverything) upstreamProcess).url() : ((TinyMcpServer) upstreamProcess).url();
            String tool = everything ? "echo" : "send_email";
            gh.client().post("/v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
            gh.client().post("/v1/identities", Map.of("id", "analyst", "kind", "agent", "displayName", "analyst", "owner", "alice",
                    "purpose", "bench", "environment", "dev", "autonomy", "assistive",
                    "scope", Map.of("tools", List.of("crm/*"), "effects", List.of("read"))));
            gh.client().post("/v1/tool-servers", Map.of("id", "crm", "url", upstreamUrl, "trust", "approved", "destination", "internal",
                    "tools", List.of(Map.of("name", tool, "effect", "read", "risk", "low"))));
            gh.gatehouse().seedStarterPolicies();
            String token = TaintScenarioTest.token(gh, "analyst");

            Client direct = new Client(URI.create(upstreamUrl), null, tool);
            Client gateway = new Client(gh.baseUri().resolve("mcp/crm"), token, tool);
            List<Long> d = new ArrayList<>();
            List<Long> g = new ArrayList<>();
            for (int i = 0; i < 300; i++) { direct.call(); gateway.call(); } // warm-up (JIT, pools)
            for (int i = 0; i < n; i++) {
                d.add(direct.call());
                g.add(gateway.call());
            }
            if (Boolean.getBoolean("gatehouse.bench.parts")) parts(gh, token);
            Collections.sort(d);
            Collections.sort(g);
            System.out.printf("%nGATEWAY BENCH store=%s upstream=%s calls=%d%n", store, everything ? "server-everything" : "in-JVM", n);
            for (double p : new double[] {0.50, 0.95, 0.99}) {
                double dv = d.get((int) (p * (n - 1))) / 1e6;
                double gv = g.get((int) (p * (n - 1))) / 1e6;
                System.out.printf("p%.0f direct %.2f ms  gateway %.2f ms  added %.2f ms%n", p * 100, dv, gv, gv - dv);
            }
        }
    }

    /** Where the time goes: the in-process pieces of one call, each alone. */
    private static void parts(TestGatehouse gh, String token) {
        var g = gh.gatehouse();
        var req = new dev.gatehouse.policy.DecisionRequest(dev.gatehouse.policy.DecisionRequest.EntityRef.of("agent", "analyst"), "read",
                dev.gatehouse.policy.DecisionRequest.EntityRef.of("tool", "crm/send_email"), Map.of());
        Map<String, Runnable> pieces = new java.util.LinkedHashMap<>();
        pieces.put("token check", () -> g.tokens().check(token));
        pieces.put("decision (audited)", () -> g.decisions().decide(req));
        pieces.put("tool server read", () -> g.registry().getToolServer("crm"));
        // What upstreamAuth: gatehouse-jwt adds per upstream request: one ES256 signature, nothing stored.
        var verified = ((dev.gatehouse.credentials.TokenStatus.Active) g.tokens().check(token)).token();
        var callTokens = new dev.gatehouse.credentials.CallTokens(g.signingKeys(), () -> "http://127.0.0.1", java.time.Clock.systemUTC(),
                new dev.gatehouse.core.Secrets(new java.security.SecureRandom()));
        var purpose = new dev.gatehouse.credentials.CallTokens.Purpose("tools/call", "tool", "send_email", "0".repeat(64));
        pieces.put("call token mint", () -> callTokens.mint(verified, "alice", "http://127.0.0.1/mcp", purpose));
        pieces.put("audit record", () -> g.audit().record(dev.gatehouse.audit.AuditEvent.of("bench", dev.gatehouse.audit.AuditEvent.Category.ACCESS, "success", "system")));
        pieces.forEach((name, r) -> {
            List<Long> t = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                long s = System.nanoTime();
                r.run();
                t.add(System.nanoTime() - s);
            }
            Collections.sort(t);
            System.out.printf("part %-20s p50 %.2f ms p99 %.2f ms%n", name, t.get(250) / 1e6, t.get(495) / 1e6);
        });
    }

    /** A raw Streamable HTTP client with one session; {@link #call()} returns the nanoseconds of one tools/call. */
    private static final class Client {
        final URI url;
        final String token;
        final String tool;
        final String session;
        int id = 1;

        Client(URI url, String token, String tool) throws Exception {
            this.url = url;
            this.token = token;
            this.tool = tool;
            HttpResponse<String> init = send(null, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}");
            this.session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
            send(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        }

        long call() throws Exception {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":" + (id++) + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\","
                    + "\"arguments\":{\"message\":\"weekly numbers\"}}}";
            long t = System.nanoTime();
            HttpResponse<String> r = send(session, body);
            long elapsed = System.nanoTime() - t;
            if (r.statusCode() != 200 || !r.body().contains("\"result\"")) throw new AssertionError(r.statusCode() + " " + r.body());
            return elapsed;
        }

        HttpResponse<String> send(String s, String body) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
            if (token != null) b.header("Authorization", "Bearer " + token);
            if (s != null) b.header("Mcp-Session-Id", s).header("MCP-Protocol-Version", "2025-06-18");
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
