package dev.gatehouse.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Problem;
import dev.gatehouse.registry.DefaultRegistryService;
import dev.gatehouse.registry.GroupSpec;
import dev.gatehouse.registry.IdentitySpec;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.ToolServerSpec;
import dev.gatehouse.registry.UpstreamTargets;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Runs policy test cases locally, without a server: the inventory file is loaded into a private
 * in-memory store and every case goes through the production {@link DefaultDecisionService}, so
 * guards, context defaults, holds and fail-closed behave exactly as they will when deployed.
 */
public final class PolicyTestRunner implements AutoCloseable {
    /** The inventory document (same shape as {@code gatehouse apply}): groups, identities, tool servers. */
    public record Inventory(List<GroupSpec> groups, List<IdentitySpec> identities, List<ToolServerSpec> toolServers) {
        public Inventory {
            groups = groups == null ? List.of() : groups;
            identities = identities == null ? List.of() : identities;
            toolServers = toolServers == null ? List.of() : toolServers;
        }
    }

    public record Ref(String type, String id, Map<String, Object> properties) {}

    /**
     * One expectation. {@code expect} is allow, deny or hold; {@code policies}, when given, must equal
     * the determining policy ids; {@code reason} the deny reason code; {@code at} fixes the clock.
     */
    public record Case(String name, Ref principal, String action, Ref resource, Map<String, Object> context,
                       String expect, List<String> policies, String reason, String at) {}

    public record CaseFile(List<Case> cases) {}

    public record Result(String file, String name, boolean passed, String detail) {}

    private static final class SettableClock extends Clock {
        volatile Instant now = Instant.now();
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    private final SettableClock clock = new SettableClock();
    private final Database database;
    private final DefaultDecisionService decisions;

    public PolicyTestRunner(PolicyBundle bundle, Inventory inventory, JsonNode entities, List<String> environments) {
        database = Database.open("jdbc:h2:mem:policy-test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null, 2);
        try {
            Set<String> envs = new LinkedHashSet<>(environments);
            inventory.identities().forEach(i -> { if (i.environment() != null) envs.add(i.environment()); });
            // Offline: nothing is launched or connected to, so any declared stdio name or URL may stand in the inventory.
            // One process, nothing to follow: the feed is only written, never started.
            dev.gatehouse.store.ChangeFeed changes = new dev.gatehouse.store.ChangeFeed(database, clock);
            RegistryService registry = new DefaultRegistryService(database.transactions(), clock, List.copyOf(envs),
                    new UpstreamTargets() {
                        @Override public void checkStdio(String name) { }
                        @Override public void checkUrl(String field, String url) { }
                    }, changes);
            load(registry, inventory);
            // Local test runs record nothing: there is no audit trail to write to outside a server.
            AuditLog nothingToAudit = event -> {};
            PolicyVersions versions = new PolicyVersions(database.transactions(), new GatehousePolicyEngine(new CedarPolicyEngine()), clock, nothingToAudit, changes);
            versions.push(bundle, "policy test", PolicyVersions.PushMode.ACTIVATE, "policy-test");
            ApplicationEntities applicationEntities = new ApplicationEntities(database.transactions(), versions, clock, changes);
            if (entities != null) applicationEntities.apply(entities, true, "policy-test");
            decisions = new DefaultDecisionService(versions, new InventoryEntities(registry), applicationEntities,
                    nothingToAudit, clock, new SimpleMeterRegistry());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static void load(RegistryService registry, Inventory inventory) {
        // Parents before children, owners before the identities they own.
        List<GroupSpec> pending = new ArrayList<>(inventory.groups());
        Set<String> created = new HashSet<>();
        while (!pending.isEmpty()) {
            GroupSpec next = pending.stream().filter(g -> g.parents() == null || created.containsAll(g.parents())).findFirst()
                    .orElseThrow(() -> new Problem.Invalid("groups", "group parents are missing or form a cycle"));
            registry.createGroup(next, "policy-test");
            created.add(next.id());
            pending.remove(next);
        }
        inventory.identities().stream().sorted(Comparator.comparing(i -> i.kind() != IdentityKind.HUMAN))
                .forEach(i -> registry.register(i, "policy-test"));
        inventory.toolServers().forEach(s -> registry.createToolServer(s, "policy-test"));
    }

    public Result run(String file, Case c) {
        String name = c.name() == null ? "(unnamed)" : c.name();
        try {
            if (c.expect() == null || !List.of("allow", "deny", "hold").contains(c.expect())) {
                return new Result(file, name, false, "expect must be allow, deny or hold");
            }
            if (c.principal() == null || c.resource() == null) return new Result(file, name, false, "principal and resource are required");
            clock.now = c.at() == null ? Instant.now() : Instant.parse(c.at());
            Explanation e = decisions.explain(new DecisionRequest(
                    new DecisionRequest.EntityRef(c.principal().type(), c.principal().id(), c.principal().properties()), c.action(),
                    new DecisionRequest.EntityRef(c.resource().type(), c.resource().id(), c.resource().properties()), c.context()),
                    "policy-test");
            String got = e.outcome();
            String reason = e.decision() instanceof Decision.Deny d ? d.reason() : null;
            List<String> ids = e.decision().policies();
            String summary = got + (reason == null ? "" : " (" + reason + ")") + (ids.isEmpty() ? "" : " by " + String.join(", ", ids))
                    + (e.errors().isEmpty() ? "" : "; errors: " + String.join("; ", e.errors()));
            if (!got.equals(c.expect())) return new Result(file, name, false, "expected " + c.expect() + ", got " + summary);
            if (c.reason() != null && !c.reason().equals(reason)) {
                return new Result(file, name, false, "expected reason " + c.reason() + ", got " + summary);
            }
            if (c.policies() != null && !new HashSet<>(c.policies()).equals(new HashSet<>(ids))) {
                return new Result(file, name, false, "expected policies " + c.policies() + ", got " + summary);
            }
            return new Result(file, name, true, summary);
        } catch (Problem p) {
            return new Result(file, name, false, "invalid case: " + (p.field() == null ? "" : p.field() + ": ") + p.getMessage());
        } catch (RuntimeException e) {
            return new Result(file, name, false, "error: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
