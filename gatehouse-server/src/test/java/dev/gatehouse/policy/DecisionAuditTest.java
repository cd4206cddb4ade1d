package dev.gatehouse.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.registry.DefaultRegistryService;
import dev.gatehouse.registry.IdentitySpec;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Scope;
import dev.gatehouse.registry.Tool;
import dev.gatehouse.registry.ToolServerSpec;
import dev.gatehouse.registry.Vocabulary.Autonomy;
import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Effect;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.registry.Vocabulary.Risk;
import dev.gatehouse.registry.Vocabulary.Trust;
import dev.gatehouse.store.Database;
import dev.gatehouse.testing.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every decision (allow, deny, hold, guard) and every policy change reaches the audit log the
 * service was built with. The pipeline is the production one on a real store; only the audit
 * log is a list, because the hash-chained log lives in another feature.
 */
class DecisionAuditTest {
    @TempDir
    Path tmp;
    Database db;
    final List<AuditEvent> recorded = new CopyOnWriteArrayList<>();
    PolicyVersions versions;
    DefaultDecisionService decisions;
    RegistryService registry;

    @BeforeEach
    void start() {
        db = Database.open(TestStores.freshUrl(TestStores.Kind.H2, tmp), null, null, 2);
        Clock clock = Clock.systemUTC();
        AuditLog log = recorded::add;
        dev.gatehouse.store.ChangeFeed changes = new dev.gatehouse.store.ChangeFeed(db, clock);
        registry = new DefaultRegistryService(db.transactions(), clock, List.of("dev", "prod"),
                new dev.gatehouse.gateway.UpstreamRules(java.util.Map.of(), dev.gatehouse.outbound.Destinations.publicOnly()), changes);
        registry.register(new IdentitySpec("alice", IdentityKind.HUMAN, "Alice", null, null, null, null, null, null, null, null,
                "alice@example.com", null), "test");
        registry.register(new IdentitySpec("bot", IdentityKind.AGENT, "Bot", "alice", "triage", "dev", List.of(), List.of(),
                new Scope(List.of("github/*"), Set.of(Effect.READ, Effect.EXECUTE)), Autonomy.AUTONOMOUS, null, null, null), "test");
        registry.createToolServer(new ToolServerSpec("github", "GitHub", "https://mcp.example.com", null, Trust.APPROVED,
                Destination.EXTERNAL, List.of(new Tool("get_issue", null, Effect.READ, Risk.LOW, null, null),
                        new Tool("run", null, Effect.EXECUTE, Risk.HIGH, null, null))), "test");
        versions = new PolicyVersions(db.transactions(), new GatehousePolicyEngine(new CedarPolicyEngine()), clock, log, changes);
        decisions = new DefaultDecisionService(versions, new InventoryEntities(registry),
                new ApplicationEntities(db.transactions(), versions, clock, changes), log, clock, new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        db.close();
    }

    private static DecisionRequest call(String action, String tool, Map<String, Object> context) {
        return new DecisionRequest(DecisionRequest.EntityRef.of("agent", "bot"), action, DecisionRequest.EntityRef.of("tool", tool), context);
    }

    @Test
    void everyDecisionIsRecordedWithItsPolicyAndReason() {
        assertThat(decisions.decide(call("read", "github/get_issue", Map.of()))).isInstanceOf(Decision.Deny.class);
        versions.push(new PolicyBundle(Map.of("p.cedar", "@id(\"all\") permit(principal, action, resource);\n"
                + "@id(\"hold-high\") @approval(\"owner\") forbid(principal, action, resource is Gatehouse::Tool)"
                + " when { resource.risk == \"high\" } unless { context.approval.granted };")), "m", PolicyVersions.PushMode.ACTIVATE, "admin-token:t1");
        assertThat(decisions.decide(call("read", "github/get_issue",
                Map.of("task", Map.of("id", "task-7"), "delegation", Map.of("onBehalfOf", "alice", "chain", List.of("alice", "bot"))))))
                .isInstanceOf(Decision.Allow.class);
        assertThat(decisions.decide(call("execute", "github/run", Map.of()))).isInstanceOf(Decision.Hold.class);
        registry.suspend("bot", "incident", "test");
        assertThat(decisions.decide(call("read", "github/get_issue", Map.of()))).isInstanceOf(Decision.Deny.class);

        List<AuditEvent> decided = recorded.stream().filter(e -> e.type().equals("policy.decision")).toList();
        assertThat(decided).extracting(AuditEvent::outcome).containsExactly("deny", "allow", "hold", "deny");
        assertThat(decided.get(0).reason()).isEqualTo("no_active_policy");
        AuditEvent allow = decided.get(1);
        assertThat(allow.category()).isEqualTo(AuditEvent.Category.ACCESS);
        assertThat(allow.subject()).isEqualTo("bot");
        assertThat(allow.subjectKind()).isEqualTo("agent");
        assertThat(allow.owner()).isEqualTo("alice");
        assertThat(allow.onBehalfOf()).isEqualTo("alice");
        assertThat(allow.chain()).containsExactly("alice", "bot");
        assertThat(allow.task()).isEqualTo("task-7");
        assertThat(allow.action()).isEqualTo("read");
        assertThat(allow.resource()).isEqualTo("github/get_issue");
        assertThat(allow.policies()).containsExactly("all");
        assertThat(allow.policyVersion()).isEqualTo("1");
        AuditEvent hold = decided.get(2);
        assertThat(hold.category()).isEqualTo(AuditEvent.Category.PRIVILEGED);
        assertThat(hold.reason()).isEqualTo("approval_required:owner");
        assertThat(decided.get(3).reason()).isEqualTo("principal_suspended");

        AuditEvent push = recorded.stream().filter(e -> e.type().equals("policy.push")).findFirst().orElseThrow();
        assertThat(push.actor()).isEqualTo("admin-token:t1");
        assertThat(push.category()).isEqualTo(AuditEvent.Category.PRIVILEGED);
        assertThat(push.policyVersion()).isEqualTo("1");
    }
}
