package dev.gatehouse.registry;

import dev.gatehouse.store.Transactions;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inventory as decisions and token checks read it: every identity, group and tool server in
 * memory, so the hot path never waits for the store. It changes with the store, never after it:
 * this node's own changes are applied right after their commit, before the command that made them
 * returns (a suspension stops the very next request here); other nodes' changes arrive through
 * {@link #changed} (the change feed). Until a refresh succeeds after a failure, reads fall through
 * to the store ({@link #current} is empty), so a view that may be stale is never trusted.
 */
final class RegistrySnapshot {
    private static final Logger log = LoggerFactory.getLogger(RegistrySnapshot.class);

    /** The kinds of registry object a change names. */
    enum Part { IDENTITY, GROUP, TOOL_SERVER, ALL }

    private final Transactions tx;
    private final RegistryRepository repo;
    private final Map<String, Identity> identities = new ConcurrentHashMap<>();
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final Map<String, ToolServer> toolServers = new ConcurrentHashMap<>();
    private volatile boolean trusted;
    private final AtomicBoolean reloading = new AtomicBoolean();

    RegistrySnapshot(Transactions tx, RegistryRepository repo) {
        this.tx = tx;
        this.repo = repo;
    }

    /** The snapshot when it can be trusted, else empty (read the store). */
    Optional<RegistrySnapshot> current() { return trusted ? Optional.of(this) : Optional.empty(); }

    Optional<Identity> identity(String id) { return Optional.ofNullable(identities.get(id)); }

    Optional<Group> group(String id) { return Optional.ofNullable(groups.get(id)); }

    List<Group> groups() { return groups.values().stream().sorted(Comparator.comparing(Group::id)).toList(); }

    Optional<ToolServer> toolServer(String id) { return Optional.ofNullable(toolServers.get(id)); }

    List<ToolServer> toolServers() { return toolServers.values().stream().sorted(Comparator.comparing(ToolServer::id)).toList(); }

    /** Every group the identity is in, directly or through nesting; empty when the identity is unknown. */
    Optional<List<String>> groupClosure(String identityId) {
        Identity identity = identities.get(identityId);
        if (identity == null) return Optional.empty();
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(identity.groups());
        while (!todo.isEmpty()) {
            String g = todo.pop();
            if (seen.add(g)) {
                Group group = groups.get(g);
                if (group != null) todo.addAll(group.parents());
            }
        }
        return Optional.of(List.copyOf(seen));
    }

    /** Loads everything from the store. */
    void load() {
        tx.run(() -> {
            Map<String, Identity> loadedIdentities = new ConcurrentHashMap<>();
            String after = null;
            while (true) {
                List<Identity> page = repo.listIdentities(new IdentityQuery(null, null, null, null, null, null, after, 1000));
                for (int i = 0; i < Math.min(page.size(), 1000); i++) loadedIdentities.put(page.get(i).id(), page.get(i));
                if (page.size() <= 1000) break;
                after = page.get(999).id();
            }
            Map<String, Group> loadedGroups = new ConcurrentHashMap<>();
            for (Group g : repo.listGroups()) loadedGroups.put(g.id(), g);
            Map<String, ToolServer> loadedServers = new ConcurrentHashMap<>();
            for (ToolServer s : repo.listToolServers()) loadedServers.put(s.id(), s);
            identities.keySet().retainAll(loadedIdentities.keySet());
            identities.putAll(loadedIdentities);
            groups.keySet().retainAll(loadedGroups.keySet());
            groups.putAll(loadedGroups);
            toolServers.keySet().retainAll(loadedServers.keySet());
            toolServers.putAll(loadedServers);
        });
        trusted = true;
    }

    /**
     * Re-reads what a committed change touched ({@code id} null with {@link Part#ALL}). A failure leaves
     * the snapshot untrusted — reads go to the store — until a later full load succeeds.
     */
    void changed(Part part, String id) {
        try {
            switch (part) {
                case IDENTITY -> tx.run(() -> {
                    Optional<Identity> now = repo.findIdentity(id, false);
                    Identity before = identities.get(id);
                    put(identities, id, now);
                    // Groups list their members: a membership change re-reads the groups.
                    List<String> wasIn = before == null ? List.of() : before.groups();
                    List<String> isIn = now.map(Identity::groups).orElse(List.of());
                    if (!wasIn.equals(isIn)) {
                        for (String g : new LinkedHashSet<>(concat(wasIn, isIn))) put(groups, g, repo.findGroup(g, false));
                    }
                    // Owned identities show their owner's standing (orphaned when the owner retired): re-read them too.
                    if (now.isPresent() && !now.get().kind().isNonHuman()) {
                        for (String owned : repo.ownedBy(id)) put(identities, owned, repo.findIdentity(owned, false));
                    }
                });
                case TOOL_SERVER -> tx.run(() -> put(toolServers, id, repo.findToolServer(id, false)));
                // A group change can move members (a deleted group leaves every member): re-read everything.
                case GROUP, ALL -> load();
            }
        } catch (RuntimeException e) {
            trusted = false;
            log.warn("inventory snapshot refresh failed ({} {}); reading the store until it reloads: {}", part, id, e.toString());
            retryLater();
        }
    }

    /** The identity acted at {@code at} (its lastSeen; nothing a decision reads). */
    void touched(String id, java.time.Instant at) {
        identities.computeIfPresent(id, (k, i) -> i.withLastSeen(at));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * Puts what was read unless a newer version is already there: refreshes of concurrent commits can
     * finish out of order, and an older read must never replace a newer one.
     */
    private static <T> void put(Map<String, T> map, String id, Optional<T> value) {
        if (value.isEmpty()) {
            map.remove(id);
            return;
        }
        map.merge(id, value.get(), (old, fresh) -> version(fresh) >= version(old) ? fresh : old);
    }

    private static long version(Object o) {
        if (o instanceof Identity i) return i.version();
        if (o instanceof Group g) return g.version();
        if (o instanceof ToolServer s) return s.version();
        throw new IllegalArgumentException(o.getClass().getName());
    }

    private void retryLater() {
        if (!reloading.compareAndSet(false, true)) return;
        Thread t = new Thread(() -> {
            for (int attempt = 0; !trusted; attempt++) {
                try {
                    Thread.sleep(Math.min(5_000, 100L << Math.min(attempt, 6)));
                    load();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.debug("inventory snapshot reload failed again: {}", e.toString());
                }
            }
            reloading.set(false);
        }, "registry-snapshot-reload");
        t.setDaemon(true);
        t.start();
    }
}
