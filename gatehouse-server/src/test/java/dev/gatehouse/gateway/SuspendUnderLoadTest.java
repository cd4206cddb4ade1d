package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.testing.TestStores;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lock order under contention: an agent is suspended while eight clients call tools through it
 * (each call raising taint and writing records). The suspension and every call finish — no deadlock
 * on either store — and the gateway's invariant holds: every call the upstream executed has its
 * decision recorded before it and its outcome recorded after it.
 */
class SuspendUnderLoadTest {
    private static final int CLIENTS = 8;

    @TempDir Path tmp;

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void suspendingAnAgentWhileItCallsToolsCompletesOnBothSides(TestStores.Kind kind) throws Exception {
        try (PermissiveUpstream upstream = new PermissiveUpstream();
             TestGatehouse gh = TestGatehouse.start(tmp, TestStores.freshUrl(kind, tmp), TestGatehouse.LOOPBACK_PEERS);
             GatewayHarness gw = new GatewayHarness(gh.gatehouse(), gh.gatehouse().inspector(), gh.gatehouse().approvals(),
                     GatewayHarness.settings(GatewayHarness.unlimited(), Set.of()), id -> Map.of())) {
            gh.client().post("/v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
            gh.client().post("/v1/identities", Map.of("id", "busy-bot", "kind", "agent", "displayName", "busy", "owner", "alice",
                    "purpose", "load", "environment", "dev", "autonomy", "assistive",
                    "scope", Map.of("tools", List.of("crm/*"), "effects", List.of("read"))));
            gh.client().post("/v1/tool-servers", Map.of("id", "crm", "url", upstream.url(), "trust", "approved", "destination", "internal",
                    "tools", List.of(Map.of("name", "lookup", "effect", "read", "risk", "low"))));
            gh.gatehouse().seedStarterPolicies();
            List<GatewayHarness.Session> sessions = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) sessions.add(gw.open("crm", TaintScenarioTest.token(gh, "busy-bot")));

            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch warm = new CountDownLatch(CLIENTS);
            Map<String, Integer> outcomes = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (GatewayHarness.Session s : sessions) {
                clients.add(pool.submit(() -> {
                    int n = 0;
                    while (!stop.get() && n < 400) {
                        // An e-mail address in the result: each call raises taint (confidential) and marks the identity.
                        HttpResponse<String> r = s.post("{\"jsonrpc\":\"2.0\",\"id\":" + (1000 + n++) + ",\"method\":\"tools/call\","
                                + "\"params\":{\"name\":\"lookup\",\"arguments\":{\"email\":\"jane.roe@acme-corp.com\"}}}");
                        outcomes.merge(outcome(r), 1, Integer::sum);
                        if (n == 3) warm.countDown();
                        if (r.statusCode() == 401) break; // the suspension reached this token
                    }
                    return null;
                }));
            }
            assertThat(warm.await(60, TimeUnit.SECONDS)).isTrue();
            var suspended = gh.http("POST", "/v1/identities/busy-bot/suspend", "{\"reason\":\"suspicious volume\"}", TestGatehouse.ADMIN_TOKEN);
            assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(200);
            stop.set(true);
            for (Future<?> f : clients) f.get(120, TimeUnit.SECONDS);
            pool.shutdown();

            assertThat(outcomes.keySet()).as("every call either ran or was refused cleanly: %s", outcomes)
                    .allMatch(o -> o.equals("result") || o.equals("401") || o.startsWith("refused:"));
            assertThat(outcomes.getOrDefault("result", 0)).isGreaterThanOrEqualTo(CLIENTS * 3);

            // Every executed call: decided and recorded before, its outcome recorded after.
            int executed = upstream.toolCalls().size();
            List<JsonNode> allowed = McpGatewayTest.gatewayCalls(gh).stream().filter(e -> e.path("outcome").asText().equals("allow")).toList();
            List<JsonNode> results = McpGatewayTest.events(gh, "gateway.result");
            assertThat(allowed).hasSize(executed);
            assertThat(results).hasSize(executed);
            assertThat(gh.client().get("/v1/audit/events?type=identity.suspend").path("items")).hasSize(1);
            List<String> lines = new ArrayList<>();
            gh.gatehouse().auditTrail().export(0, lines::add);
            assertThat(dev.gatehouse.audit.ChainVerifier.verify(lines, List.of(), null, false))
                    .as("the chain is intact").isInstanceOf(dev.gatehouse.audit.ChainVerifier.Intact.class);
        }
    }

    private static String outcome(HttpResponse<String> r) {
        if (r.statusCode() != 200) return Integer.toString(r.statusCode());
        try {
            JsonNode body = McpPeers.JSON.readTree(r.body());
            if (body.has("result")) return "result";
            return "refused:" + body.path("error").path("data").path("reason").asText(body.path("error").toString());
        } catch (Exception e) {
            return "unparseable";
        }
    }
}
