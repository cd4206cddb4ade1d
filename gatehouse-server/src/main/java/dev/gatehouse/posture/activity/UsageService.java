package dev.gatehouse.posture.activity;

import dev.gatehouse.core.Problem;
import dev.gatehouse.registry.Feature;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Scope;
import dev.gatehouse.registry.ScopePatterns;
import dev.gatehouse.registry.ToolServer;
import dev.gatehouse.registry.Vocabulary.Effect;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Least privilege from usage: an identity's declared scope beside what its allowed gateway calls
 * really used, and the scope that would have sufficed.
 */
public final class UsageService {
    public static final int MAX_DAYS = 365;
    /** Records after the ingest cursor read directly from the trail for a current answer. */
    private static final int MAX_PENDING = 10_000;

    private final RegistryService registry;
    private final ActivityLedger ledger;
    private final Clock clock;

    public UsageService(RegistryService registry, ActivityLedger ledger, Clock clock) {
        this.registry = registry;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Usage of one workload or agent over the last {@code days} UTC days (today included). */
    public Usage usage(String identityId, int days) {
        if (days < 1 || days > MAX_DAYS) throw new Problem.Invalid("days", "days must be between 1 and " + MAX_DAYS);
        Identity identity = registry.get(identityId);
        if (!identity.kind().isNonHuman()) {
            throw new Problem.Invalid("id", "usage applies to workloads and agents; '" + identityId + "' is a human");
        }
        Instant since = since(days);
        String fromDay = ActivityLedger.day(since);
        Map<String, Usage.Call> calls = new TreeMap<>();
        for (ActivityLedger.UsageRow row : ledger.usage(identity.id(), UsageKind.TOOL, fromDay)) {
            calls.put(row.item(), new Usage.Call(row.item(), row.effect(), row.calls(), row.lastDay()));
        }
        for (Activity a : ledger.pending(identity.id(), MAX_PENDING)) {
            if (a.kind() != Activity.Kind.CALL || a.time().isBefore(since)) continue;
            Usage.Call before = calls.get(a.tool());
            calls.put(a.tool(), new Usage.Call(a.tool(), a.effect(), (before == null ? 0 : before.calls()) + 1, ActivityLedger.day(a.time())));
        }
        return of(identity, days, since, List.copyOf(calls.values()), registry.listToolServers());
    }

    /** Usage of every workload and agent from rollups alone (the posture report): one query, not one per identity. */
    public Map<String, Usage> all(List<Identity> identities, int days) {
        Instant since = since(days);
        Map<String, List<Usage.Call>> byIdentity = new LinkedHashMap<>();
        for (ActivityLedger.UsageRow row : ledger.usage(null, UsageKind.TOOL, ActivityLedger.day(since))) {
            byIdentity.computeIfAbsent(row.identity(), k -> new ArrayList<>())
                    .add(new Usage.Call(row.item(), row.effect(), row.calls(), row.lastDay()));
        }
        List<ToolServer> servers = registry.listToolServers();
        Map<String, Usage> out = new LinkedHashMap<>();
        for (Identity i : identities) {
            if (!i.kind().isNonHuman() || i.scope() == null) continue;
            out.put(i.id(), of(i, days, since, byIdentity.getOrDefault(i.id(), List.of()), servers));
        }
        return out;
    }

    private Instant since(int days) {
        return clock.instant().atOffset(ZoneOffset.UTC).toLocalDate().minusDays(days - 1L).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static Usage of(Identity identity, int days, Instant since, List<Usage.Call> calls, List<ToolServer> servers) {
        Scope granted = identity.scope() == null ? new Scope(List.of(), Set.of()) : identity.scope();
        Set<String> usedTools = new TreeSet<>();
        Set<Effect> usedEffects = EnumSet.noneOf(Effect.class);
        for (Usage.Call c : calls) {
            usedTools.add(c.tool());
            if (c.effect() != null) {
                try {
                    usedEffects.add(Effect.parse(c.effect()));
                } catch (RuntimeException ignored) {
                    // an effect this version does not know was never granted either
                }
            }
        }
        List<String> unusedTools = new ArrayList<>();
        for (String pattern : granted.tools()) {
            if (usedTools.stream().noneMatch(t -> ScopePatterns.covers(pattern, t))) unusedTools.add(pattern);
        }
        Set<Effect> unusedEffects = EnumSet.noneOf(Effect.class);
        for (Effect e : granted.effects()) if (!usedEffects.contains(e)) unusedEffects.add(e);
        return new Usage(identity.id(), days, since, granted, new Scope(List.copyOf(usedTools), usedEffects), calls,
                new Scope(unusedTools, unusedEffects), new Scope(suggested(usedTools, servers), usedEffects));
    }

    /** The used objects, a server's objects collapsed to {@code <server>/*} when every usable object of it was used. */
    static List<String> suggested(Set<String> usedTools, List<ToolServer> servers) {
        Set<String> out = new TreeSet<>(usedTools);
        for (ToolServer server : servers) {
            List<String> usable = server.features().stream().filter(f -> f.quarantine() == Feature.Quarantine.NONE)
                    .map(f -> f.scopeId(server.id())).toList();
            if (usable.size() > 1 && usedTools.containsAll(usable)) {
                out.removeIf(t -> server.id().equals(ScopePatterns.server(t)));
                out.add(server.id() + "/*");
            }
        }
        return List.copyOf(out);
    }
}
