package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's small parts: combining chain decisions, rate windows, and sessions ending with their task. */
class GatewayUnitsTest {
    @TempDir Path tmp;

    private static Decision allow(String p) { return new Decision.Allow(List.of(p), "v1"); }

    /** The decisions of a chain bot → helper. */
    private static List<ChainDecision.Hop> hops(Decision first, Decision second) {
        return List.of(new ChainDecision.Hop("bot", "agent", first), new ChainDecision.Hop("helper", "agent", second));
    }

    @Test
    void anyDenyInTheChainRefusesElseAnyHoldHolds() {
        Decision.Deny deny = new Decision.Deny("not_permitted", List.of(), "v1", List.of());
        Decision.Hold hold = new Decision.Hold(List.of("owner"), List.of("starter.autonomous-high-risk-needs-owner"), "v1", Map.of());
        assertThat(ChainDecision.combine(hops(allow("a"), deny))).satisfies(c -> {
            assertThat(c.decision()).isSameAs(deny);
            assertThat(c.decided()).isEqualTo("helper");
        });
        assertThat(ChainDecision.combine(hops(hold, allow("a"))).decision()).isInstanceOf(Decision.Hold.class)
                .extracting(d -> ((Decision.Hold) d).approvers()).isEqualTo(List.of("owner"));
        assertThat(ChainDecision.combine(hops(hold, deny)).decision()).isSameAs(deny);
        assertThat(ChainDecision.combine(hops(allow("a"), allow("b"))).decision()).isInstanceOf(Decision.Allow.class)
                .extracting(Decision::policies).isEqualTo(List.of("a", "b"));
    }

    private static final class SettableClock extends Clock {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Test
    void rateWindowsCountPerIdentityAndPerTaskAndResetEachMinute() {
        SettableClock clock = new SettableClock();
        RateLimits limits = new RateLimits(new McpGateway.Limits(3, 2, 0, 100), clock);
        assertThat(limits.admit("bot", "t1", 10)).isEmpty();
        assertThat(limits.admit("bot", "t1", 10)).isEmpty();
        assertThat(limits.admit("bot", "t1", 10)).hasValue("rate_limited_task_calls");
        assertThat(limits.admit("bot", "t2", 10)).isEmpty();
        assertThat(limits.admit("bot", "t3", 10)).as("identity budget of 3 used").hasValue("rate_limited_identity_calls");
        limits.addBytes("bot", "t2", 95);
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(limits.admit("bot", "t2", 101)).hasValue("rate_limited_task_bytes");
        assertThat(limits.admit("bot", "t2", 100)).as("a new minute, fresh windows").isEmpty();
    }

    @Test
    void sessionsOfAnEndedTaskAreClosedWithTheirUpstreamSession() throws Exception {
        try (TinyMcpServer upstream = new TinyMcpServer();
             TestGatehouse gh = TestGatehouse.start(tmp, null, TestGatehouse.LOOPBACK_PEERS);
             GatewayHarness gw = new GatewayHarness(gh.gatehouse(), gh.gatehouse().inspector(),
                     GatewayHarness.settings(GatewayHarness.unlimited(), Set.of()), id -> Map.of())) {
            gh.client().post("/v1/identities", Map.of("id", "alice", "kind", "human", "displayName", "Alice", "email", "alice@example.com"));
            gh.client().post("/v1/identities", Map.of("id", "analyst", "kind", "agent", "displayName", "analyst", "owner", "alice",
                    "purpose", "reports", "environment", "dev", "autonomy", "assistive",
                    "scope", Map.of("tools", List.of("crm/*"), "effects", List.of("read"))));
            gh.client().post("/v1/tool-servers", Map.of("id", "crm", "url", upstream.url(), "destination", "internal",
                    "tools", List.of(Map.of("name", "read_record", "effect", "read", "risk", "low"))));
            gh.gatehouse().seedStarterPolicies(); // without an active policy nothing is permitted, not even a task scope
            String token = TaintScenarioTest.token(gh, "analyst");
            gw.open("crm", token);
            gw.open("crm", TaintScenarioTest.token(gh, "analyst"));
            assertThat(gw.gateway.openSessions()).isEqualTo(2);
            gw.gateway.sweep();
            assertThat(gw.gateway.openSessions()).as("live tasks keep their sessions").isEqualTo(2);

            String task = gh.gatehouse().tokens().check(token) instanceof dev.gatehouse.credentials.TokenStatus.Active a ? a.token().taskId() : null;
            gh.client().post("/v1/tasks/" + task + "/complete", Map.of("reason", "done"));
            gw.gateway.sweep();
            assertThat(gw.gateway.openSessions()).isEqualTo(1);
            for (int i = 0; i < 50 && !upstream.methods.contains("DELETE"); i++) Thread.sleep(20); // the upstream DELETE is sent asynchronously
            assertThat(upstream.methods).contains("DELETE");
        }
    }
}
