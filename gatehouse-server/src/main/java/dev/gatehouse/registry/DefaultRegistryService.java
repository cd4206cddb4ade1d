package dev.gatehouse.registry;

import dev.gatehouse.core.Page;
import dev.gatehouse.core.Problem;
import dev.gatehouse.core.Slug;
import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Effect;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.registry.Vocabulary.IdentityStatus;
import dev.gatehouse.registry.Vocabulary.Risk;
import dev.gatehouse.registry.Vocabulary.Trust;
import dev.gatehouse.registry.Vocabulary.UpstreamAuth;
import dev.gatehouse.store.ChangeFeed;
import dev.gatehouse.store.StoreException;
import dev.gatehouse.store.Transactions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/** The inventory over the JDBC store: validation, lifecycle rules, and one transaction per command. */
public final class DefaultRegistryService implements RegistryService {
    private static final Pattern TAG = Pattern.compile("[a-z0-9](?:[a-z0-9:._-]{0,62}[a-z0-9])?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final int MAX_PAGE = 1000;

    private final Transactions tx;
    private final RegistryRepository repo;
    private final Clock clock;
    private final List<String> environments;
    private final UpstreamTargets upstreams;
    private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();
    private final RegistrySnapshot snapshot;
    private static final java.time.Duration TOUCH_GRANULARITY = java.time.Duration.ofMinutes(1);
    private static final int MAX_TOUCHED = 100_000;
    private final Map<String, Instant> touched = new java.util.concurrent.ConcurrentHashMap<>();

    /** Change feed topic of inventory writes; the key is {@code subjectType:id} ({@link RegistryChange#subjectType()}). */
    static final String CHANGE_TOPIC = "registry";

    private final ChangeFeed changes;

    /**
     * @param upstreams what tool servers may point at: configured stdio commands, allowed outbound destinations
     * @param changes   tells the other nodes of a cluster what this one changed, and this one what they did
     */
    public DefaultRegistryService(Transactions tx, Clock clock, List<String> environments, UpstreamTargets upstreams, ChangeFeed changes) {
        this.tx = tx;
        this.repo = new RegistryRepository(tx);
        this.clock = clock;
        this.environments = List.copyOf(environments);
        this.upstreams = upstreams;
        this.snapshot = new RegistrySnapshot(tx, repo);
        this.changes = changes;
        snapshot.load();
        // Another node's change (or this node's, once more): re-read what it touched, so the snapshot follows.
        changes.subscribe(CHANGE_TOPIC, ChangeFeed.Listener.of(key -> {
            int colon = key.indexOf(':');
            snapshot.changed(part(colon < 0 ? key : key.substring(0, colon)), colon < 0 ? "" : key.substring(colon + 1));
        }, snapshot::load));
    }

    private static RegistrySnapshot.Part part(String subjectType) {
        return switch (subjectType) {
            case "identity" -> RegistrySnapshot.Part.IDENTITY;
            case "group" -> RegistrySnapshot.Part.GROUP;
            case "tool_server" -> RegistrySnapshot.Part.TOOL_SERVER;
            default -> RegistrySnapshot.Part.ALL;
        };
    }

    /**
     * Reads the snapshot outside transactions; inside one, the store (a command reads its own writes,
     * and validation must see what it is about to change).
     */
    private Optional<RegistrySnapshot> snapshot() {
        return tx.inProgress() ? Optional.empty() : snapshot.current();
    }

    @Override
    public void addListener(RegistryListener listener) { listeners.add(listener); }

    private void publish(String action, String type, String id, Identity identity, String reason, String actor) {
        RegistryChange change = new RegistryChange(action, type, id, identity, reason, actor);
        for (RegistryListener l : listeners) l.onChange(change);
        // Features (tools, resources, prompts) live in their tool server's snapshot entry.
        String snapshotType = type.equals("tool") || type.equals("resource") || type.equals("prompt") ? "tool_server" : type;
        String snapshotId = snapshotType.equals("tool_server") && id.contains("/") ? id.substring(0, id.indexOf('/')) : id;
        changes.publish(CHANGE_TOPIC, snapshotType + ":" + snapshotId);
        tx.afterCommit(() -> snapshot.changed(part(snapshotType), snapshotId));
    }

    // --- identities

    @Override
    public Identity register(IdentitySpec spec, String actor) {
        if (spec == null) throw new Problem.Invalid(null, "an identity is required");
        String id = Slug.require("id", spec.id());
        if (spec.kind() == null) throw new Problem.Invalid("kind", "kind is required (human, workload or agent)");
        return tx.inTransaction(() -> {
            if (repo.findIdentity(id, false).isPresent()) {
                throw new Problem.Conflict("identity '" + id + "' already exists", "id");
            }
            Instant now = clock.instant();
            Identity identity = validated(new Identity(id, spec.kind(), spec.displayName(), IdentityStatus.ACTIVE,
                    spec.environment(), orEmpty(spec.tags()), orEmpty(spec.groups()), spec.owner(), spec.purpose(),
                    spec.scope(), spec.autonomy(), spec.model(), spec.email(), spec.department(), false,
                    now, now, null, 1), true);
            try {
                repo.insertIdentity(identity);
            } catch (StoreException e) {
                if (e.isUniqueViolation()) throw new Problem.Conflict("identity '" + id + "' already exists", "id");
                throw e;
            }
            repo.recordEvent(id, "create", null, actor, now, null);
            Identity stored = repo.findIdentity(id, false).orElseThrow();
            publish("identity.create", "identity", id, stored, null, actor);
            return stored;
        });
    }

    @Override
    public Identity get(String id) {
        return find(id).orElseThrow(() -> new Problem.NotFound("identity '" + id + "' not found"));
    }

    @Override
    public Optional<Identity> find(String id) {
        Optional<RegistrySnapshot> s = snapshot();
        if (s.isPresent()) return Slug.isValid(id) ? s.get().identity(id) : Optional.empty();
        if (!Slug.isValid(id)) return Optional.empty();
        return tx.inTransaction(() -> repo.findIdentity(id, false));
    }

    @Override
    public Page<Identity> list(IdentityQuery q) {
        int limit = q.limit() <= 0 ? 100 : q.limit();
        if (limit > MAX_PAGE) throw new Problem.Invalid("limit", "limit must be between 1 and " + MAX_PAGE);
        String after = q.after() == null ? null : decodeCursor(q.after());
        IdentityQuery bounded = new IdentityQuery(q.kind(), q.owner(), q.status(), q.tag(), q.group(), q.environment(), after, limit);
        List<Identity> rows = tx.inTransaction(() -> repo.listIdentities(bounded));
        if (rows.size() > limit) {
            List<Identity> page = rows.subList(0, limit);
            return new Page<>(List.copyOf(page), encodeCursor(page.get(limit - 1).id()));
        }
        return new Page<>(rows, null);
    }

    @Override
    public Identity update(String id, IdentityUpdate u, String actor) {
        if (u == null) throw new Problem.Invalid(null, "a change is required");
        try {
            return updateIdentity(id, u, actor);
        } catch (Problem.StaleVersion e) {
            // The writer read an older version, maybe from this node's snapshot: re-read the row, so that a
            // snapshot that missed a refresh heals before the writer reads again.
            if (!tx.inProgress()) snapshot.changed(RegistrySnapshot.Part.IDENTITY, id);
            throw e;
        }
    }

    private Identity updateIdentity(String id, IdentityUpdate u, String actor) {
        return tx.inTransaction(() -> {
            Identity current = lockIdentity(id);
            if (u.version() != null && u.version() != current.version()) {
                throw new Problem.StaleVersion("identity '" + id + "' is at version " + current.version()
                        + ", not " + u.version() + "; re-read it and retry");
            }
            if (current.status() == IdentityStatus.RETIRED) {
                throw new Problem.Conflict("identity '" + id + "' is retired; retired identities cannot change", "status");
            }
            Identity changed = validated(new Identity(id, current.kind(),
                    pick(u.displayName(), current.displayName()), current.status(),
                    pick(u.environment(), current.environment()), pick(u.tags(), current.tags()),
                    pick(u.groups(), current.groups()), current.owner(), pick(u.purpose(), current.purpose()),
                    pick(u.scope(), current.scope()), pick(u.autonomy(), current.autonomy()), pick(u.model(), current.model()),
                    pick(u.email(), current.email()), pick(u.department(), current.department()), current.orphaned(),
                    current.createdAt(), clock.instant(), current.lastSeen(), current.version() + 1), false);
            repo.updateIdentity(changed);
            repo.recordEvent(id, "update", null, actor, changed.updatedAt(), null);
            Identity stored = repo.findIdentity(id, false).orElseThrow();
            publish("identity.update", "identity", id, stored, null, actor);
            return stored;
        });
    }

    @Override
    public Identity suspend(String id, String reason, String actor) {
        return transition(id, "suspend", reason, actor, Set.of(IdentityStatus.ACTIVE), IdentityStatus.SUSPENDED);
    }

    @Override
    public Identity reactivate(String id, String reason, String actor) {
        return transition(id, "reactivate", reason, actor, Set.of(IdentityStatus.SUSPENDED), IdentityStatus.ACTIVE);
    }

    @Override
    public Identity retire(String id, String reason, String actor) {
        return transition(id, "retire", reason, actor, Set.of(IdentityStatus.ACTIVE, IdentityStatus.SUSPENDED), IdentityStatus.RETIRED);
    }

    private Identity transition(String id, String action, String reason, String actor, Set<IdentityStatus> from, IdentityStatus to) {
        String why = requireReason(reason);
        return tx.inTransaction(() -> {
            Identity current = lockIdentity(id);
            if (!from.contains(current.status())) {
                throw new Problem.Conflict("cannot " + action + " identity '" + id + "': it is " + current.status(), "status");
            }
            Instant now = clock.instant();
            Identity changed = withStatus(current, to, now);
            repo.updateIdentity(changed);
            repo.recordEvent(id, action, why, actor, now, null);
            Identity stored = repo.findIdentity(id, false).orElseThrow();
            publish("identity." + action, "identity", id, stored, why, actor);
            if (to == IdentityStatus.RETIRED && current.kind() == IdentityKind.HUMAN) {
                for (String owned : repo.ownedBy(id)) {
                    repo.recordEvent(owned, "orphaned", "owner '" + id + "' retired: " + why, actor, now, null);
                }
            }
            return stored;
        });
    }

    @Override
    public Identity reassign(String id, String newOwner, String reason, String actor) {
        String why = requireReason(reason);
        return tx.inTransaction(() -> {
            Identity current = lockIdentity(id);
            if (!current.kind().isNonHuman()) {
                throw new Problem.Invalid("owner", "humans have no owner; only workloads and agents can be reassigned");
            }
            if (current.status() == IdentityStatus.RETIRED) {
                throw new Problem.Conflict("identity '" + id + "' is retired and cannot be reassigned", "status");
            }
            requireActiveHumanOwner(newOwner);
            Instant now = clock.instant();
            Identity changed = new Identity(id, current.kind(), current.displayName(), current.status(), current.environment(),
                    current.tags(), current.groups(), newOwner, current.purpose(), current.scope(), current.autonomy(),
                    current.model(), current.email(), current.department(), false, current.createdAt(), now,
                    current.lastSeen(), current.version() + 1);
            repo.updateIdentity(changed);
            repo.recordEvent(id, "reassign", why, actor, now, "{\"from\":\"" + current.owner() + "\",\"to\":\"" + newOwner + "\"}");
            Identity stored = repo.findIdentity(id, false).orElseThrow();
            publish("identity.reassign", "identity", id, stored, why, actor);
            return stored;
        });
    }

    @Override
    public List<LifecycleEvent> history(String id) {
        return tx.inTransaction(() -> {
            if (repo.findIdentity(id, false).isEmpty()) throw new Problem.NotFound("identity '" + id + "' not found");
            return repo.history(id);
        });
    }

    @Override
    public void touch(String id, Instant at) {
        // lastSeen is read in days (dormancy, reviews): one write per identity per minute and node is plenty, and keeps a
        // busy agent's every gateway message from writing its identity row.
        Instant last = touched.get(id);
        if (last != null && !at.isBefore(last) && at.isBefore(last.plus(TOUCH_GRANULARITY))) return;
        tx.run(() -> {
            repo.touch(id, at);
            tx.afterCommit(() -> snapshot.touched(id, at));
        });
        if (touched.size() >= MAX_TOUCHED) touched.clear();
        touched.put(id, at);
    }

    @Override
    public List<String> groupClosure(String identityId) {
        Optional<RegistrySnapshot> s = snapshot();
        if (s.isPresent()) {
            return s.get().groupClosure(identityId).orElseThrow(() -> new Problem.NotFound("identity '" + identityId + "' not found"));
        }
        return tx.inTransaction(() -> {
            Identity identity = repo.findIdentity(identityId, false)
                    .orElseThrow(() -> new Problem.NotFound("identity '" + identityId + "' not found"));
            Set<String> seen = new LinkedHashSet<>();
            Deque<String> todo = new ArrayDeque<>(identity.groups());
            while (!todo.isEmpty()) {
                String g = todo.pop();
                if (seen.add(g)) todo.addAll(repo.parents(g));
            }
            return List.copyOf(seen);
        });
    }

    private Identity lockIdentity(String id) {
        if (!Slug.isValid(id)) throw new Problem.NotFound("identity '" + id + "' not found");
        return repo.findIdentity(id, true).orElseThrow(() -> new Problem.NotFound("identity '" + id + "' not found"));
    }

    private static Identity withStatus(Identity i, IdentityStatus status, Instant now) {
        return new Identity(i.id(), i.kind(), i.displayName(), status, i.environment(), i.tags(), i.groups(), i.owner(),
                i.purpose(), i.scope(), i.autonomy(), i.model(), i.email(), i.department(), i.orphaned(),
                i.createdAt(), now, i.lastSeen(), i.version() + 1);
    }

    /** Applies every rule of the identity's kind; {@code creating} also checks the owner. */
    private Identity validated(Identity i, boolean creating) {
        String displayName = i.displayName() == null || i.displayName().isBlank() ? null : i.displayName().strip();
        if (displayName == null) throw new Problem.Invalid("displayName", "displayName is required");
        if (displayName.length() > 200) throw new Problem.Invalid("displayName", "displayName is longer than 200 characters");
        if (i.environment() != null && !environments.contains(i.environment())) {
            throw new Problem.Invalid("environment", "environment must be one of " + String.join(", ", environments));
        }
        List<String> tags = distinct(i.tags());
        for (int n = 0; n < tags.size(); n++) {
            if (tags.get(n) == null || !TAG.matcher(tags.get(n)).matches()) {
                throw new Problem.Invalid("tags[" + n + "]", "tags are lowercase words of a-z, 0-9 and ':._-' (at most 64 characters)");
            }
        }
        List<String> groups = distinct(i.groups());
        for (int n = 0; n < groups.size(); n++) {
            String g = groups.get(n);
            if (!Slug.isValid(g) || repo.findGroup(g, false).isEmpty()) {
                throw new Problem.Invalid("groups[" + n + "]", "group '" + g + "' does not exist");
            }
        }
        if (i.kind() == IdentityKind.HUMAN) {
            rejectField("owner", i.owner(), "humans have no owner");
            rejectField("purpose", i.purpose(), "purpose applies to workloads and agents");
            rejectField("scope", i.scope(), "scope applies to workloads and agents");
            rejectField("autonomy", i.autonomy(), "autonomy applies to agents");
            rejectField("model", i.model(), "model applies to agents");
            if (i.email() == null || !EMAIL.matcher(i.email()).matches() || i.email().length() > 320) {
                throw new Problem.Invalid("email", "a valid email address is required for humans");
            }
        } else {
            rejectField("email", i.email(), "email applies to humans");
            rejectField("department", i.department(), "department applies to humans");
            if (creating) requireActiveHumanOwner(i.owner());
            if (i.purpose() == null || i.purpose().isBlank()) {
                throw new Problem.Invalid("purpose", "purpose is required for workloads and agents");
            }
            if (i.purpose().length() > 2000) throw new Problem.Invalid("purpose", "purpose is longer than 2000 characters");
            if (i.environment() == null) {
                throw new Problem.Invalid("environment", "environment is required for workloads and agents (one of "
                        + String.join(", ", environments) + ")");
            }
            Scope.validated(i.scope());
            if (i.kind() == IdentityKind.AGENT) {
                if (i.autonomy() == null) throw new Problem.Invalid("autonomy", "autonomy is required for agents (assistive or autonomous)");
            } else {
                rejectField("autonomy", i.autonomy(), "autonomy applies to agents");
                rejectField("model", i.model(), "model applies to agents");
            }
        }
        return new Identity(i.id(), i.kind(), displayName, i.status(), i.environment(), tags, groups, i.owner(), i.purpose(),
                i.scope(), i.autonomy(), i.model(), i.email(), i.department(), i.orphaned(), i.createdAt(), i.updatedAt(),
                i.lastSeen(), i.version());
    }

    private void requireActiveHumanOwner(String owner) {
        if (owner == null || owner.isBlank()) {
            throw new Problem.Invalid("owner", "owner is required: the id of an active human");
        }
        Identity o = Slug.isValid(owner) ? repo.findIdentity(owner, false).orElse(null) : null;
        if (o == null) throw new Problem.Invalid("owner", "owner '" + owner + "' does not exist");
        if (o.kind() != IdentityKind.HUMAN) throw new Problem.Invalid("owner", "owner '" + owner + "' is not a human");
        if (!o.isActive()) throw new Problem.Invalid("owner", "owner '" + owner + "' is not active (" + o.status() + ")");
    }

    private static void rejectField(String field, Object value, String why) {
        if (value != null) throw new Problem.Invalid(field, field + " is not allowed here: " + why);
    }

    private static String requireReason(String reason) {
        if (reason == null || reason.isBlank()) throw new Problem.Invalid("reason", "reason is required");
        if (reason.length() > 2000) throw new Problem.Invalid("reason", "reason is longer than 2000 characters");
        return reason.strip();
    }

    // --- groups

    @Override
    public Group createGroup(GroupSpec spec, String actor) {
        if (spec == null) throw new Problem.Invalid(null, "a group is required");
        String id = Slug.require("id", spec.id());
        return tx.inTransaction(() -> {
            if (repo.findGroup(id, false).isPresent()) throw new Problem.Conflict("group '" + id + "' already exists", "id");
            Instant now = clock.instant();
            Group group = new Group(id, requireName(spec.displayName()), checkedParents(id, spec.parents()), List.of(), now, now, 1);
            try {
                repo.insertGroup(group);
            } catch (StoreException e) {
                if (e.isUniqueViolation()) throw new Problem.Conflict("group '" + id + "' already exists", "id");
                throw e;
            }
            publish("group.create", "group", id, null, null, actor);
            return repo.findGroup(id, false).orElseThrow();
        });
    }

    @Override
    public Group getGroup(String id) {
        Optional<RegistrySnapshot> s = snapshot();
        if (s.isPresent()) {
            return (Slug.isValid(id) ? s.get().group(id) : Optional.<Group>empty())
                    .orElseThrow(() -> new Problem.NotFound("group '" + id + "' not found"));
        }
        return tx.inTransaction(() -> (Slug.isValid(id) ? repo.findGroup(id, false) : Optional.<Group>empty())
                .orElseThrow(() -> new Problem.NotFound("group '" + id + "' not found")));
    }

    @Override
    public List<Group> listGroups() {
        Optional<RegistrySnapshot> s = snapshot();
        if (s.isPresent()) return s.get().groups();
        return tx.inTransaction(repo::listGroups);
    }

    @Override
    public Group updateGroup(String id, GroupSpec spec, String actor) {
        if (spec == null) throw new Problem.Invalid(null, "a group is required");
        if (spec.id() != null && !spec.id().equals(id)) throw new Problem.Invalid("id", "id cannot change");
        return tx.inTransaction(() -> {
            Group current = (Slug.isValid(id) ? repo.findGroup(id, true) : Optional.<Group>empty())
                    .orElseThrow(() -> new Problem.NotFound("group '" + id + "' not found"));
            Group changed = new Group(id, spec.displayName() == null ? current.displayName() : requireName(spec.displayName()),
                    spec.parents() == null ? current.parents() : checkedParents(id, spec.parents()), current.members(),
                    current.createdAt(), clock.instant(), current.version() + 1);
            repo.updateGroup(changed);
            publish("group.update", "group", id, null, null, actor);
            return repo.findGroup(id, false).orElseThrow();
        });
    }

    @Override
    public void deleteGroup(String id, String actor) {
        tx.run(() -> {
            Group current = (Slug.isValid(id) ? repo.findGroup(id, true) : Optional.<Group>empty())
                    .orElseThrow(() -> new Problem.NotFound("group '" + id + "' not found"));
            if (!current.members().isEmpty()) throw new Problem.Conflict("group '" + id + "' still has members", "members");
            if (!repo.children(id).isEmpty()) throw new Problem.Conflict("group '" + id + "' still has child groups", "parents");
            repo.deleteGroup(id);
            publish("group.delete", "group", id, null, null, actor);
        });
    }

    private static String requireName(String displayName) {
        if (displayName == null || displayName.isBlank()) throw new Problem.Invalid("displayName", "displayName is required");
        if (displayName.length() > 200) throw new Problem.Invalid("displayName", "displayName is longer than 200 characters");
        return displayName.strip();
    }

    /** Parents must exist and must not make the group its own ancestor. */
    private List<String> checkedParents(String id, List<String> parents) {
        List<String> out = distinct(parents);
        for (int n = 0; n < out.size(); n++) {
            String p = out.get(n);
            if (!Slug.isValid(p) || repo.findGroup(p, false).isEmpty()) {
                throw new Problem.Invalid("parents[" + n + "]", "group '" + p + "' does not exist");
            }
            Set<String> seen = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(List.of(p));
            while (!todo.isEmpty()) {
                String g = todo.pop();
                if (g.equals(id)) throw new Problem.Invalid("parents[" + n + "]", "parent '" + p + "' would make a cycle");
                if (seen.add(g)) todo.addAll(repo.parents(g));
            }
        }
        return out;
    }

    // --- tool servers

    @Override
    public ToolServer createToolServer(ToolServerSpec spec, String actor) {
        if (spec == null) throw new Problem.Invalid(null, "a tool server is required");
        String id = Slug.require("id", spec.id());
        return tx.inTransaction(() -> {
            if (repo.findToolServer(id, false).isPresent()) throw new Problem.Conflict("tool server '" + id + "' already exists", "id");
            Instant now = clock.instant();
            ToolServer server = validated(spec, id, now, now, 1, null);
            try {
                repo.insertToolServer(server);
            } catch (StoreException e) {
                if (e.isUniqueViolation()) throw new Problem.Conflict("tool server '" + id + "' already exists", "id");
                throw e;
            }
            publish("toolserver.create", "tool_server", id, null, null, actor);
            return repo.findToolServer(id, false).orElseThrow();
        });
    }

    @Override
    public ToolServer getToolServer(String id) {
        Optional<RegistrySnapshot> s = snapshot();
        if (s.isPresent()) {
            return (Slug.isValid(id) ? s.get().toolServer(id) : Optional.<ToolServer>empty())
                    .orElseThrow(() -> new Problem.NotFound("tool server '" + id + "' not found"));
        }
        return tx.inTransaction(() -> (Slug.isValid(id) ? repo.findToolServer(id, false) : Optional.<ToolServer>empty())
                .orElseThrow(() -> new Problem.NotFound("tool server '" + id + "' not found")));
    }

    @Override
    public List<ToolServer> listToolServers() {
        Optional<RegistrySnapshot> s = snapshot();
        if (s.isPresent()) return s.get().toolServers();
        return tx.inTransaction(repo::listToolServers);
    }

    @Override
    public ToolServer replaceToolServer(String id, ToolServerSpec spec, String actor) {
        if (spec == null) throw new Problem.Invalid(null, "a tool server is required");
        if (spec.id() != null && !spec.id().equals(id)) throw new Problem.Invalid("id", "id cannot change");
        return tx.inTransaction(() -> {
            ToolServer current = lockToolServer(id);
            ToolServer server = validated(spec, id, current.createdAt(), clock.instant(), current.version() + 1, current);
            repo.updateToolServer(server);
            publish("toolserver.update", "tool_server", id, null, null, actor);
            return repo.findToolServer(id, false).orElseThrow();
        });
    }

    @Override
    public ToolServer classify(String serverId, Feature.Kind kind, String key, Feature c, String actor) {
        if (c == null || c.effect() == null || c.risk() == null) {
            throw new Problem.Invalid(c == null || c.effect() == null ? "effect" : "risk", "effect and risk are required to classify a " + kind.wire());
        }
        return tx.inTransaction(() -> {
            ToolServer current = lockToolServer(serverId);
            Feature found = current.feature(kind, key)
                    .orElseThrow(() -> new Problem.NotFound(kind.wire() + " '" + key + "' not found on tool server '" + serverId + "'"));
            // Classifying approves the definition the upstream shows now: a changed definition is pinned anew.
            Pin pin = found.pin() == null ? null : found.pin().approved();
            Feature classified = found.with(c.effect(), c.risk(), c.destination() == null ? found.destination() : c.destination(), true, pin);
            List<Feature> features = new ArrayList<>();
            for (Feature f : current.features()) features.add(f == found ? classified : f);
            repo.updateToolServer(current.withFeatures(features, clock.instant(), current.version() + 1));
            publish("toolserver.classify", kind.wire(), found.scopeId(serverId),
                    null, found.quarantine() == Feature.Quarantine.DEFINITION_CHANGED ? "re-approved changed definition" : null, actor);
            return repo.findToolServer(serverId, false).orElseThrow();
        });
    }

    @Override
    public void deleteToolServer(String id, String actor) {
        tx.run(() -> {
            lockToolServer(id);
            repo.deleteToolServer(id);
            publish("toolserver.delete", "tool_server", id, null, null, actor);
        });
    }

    @Override
    public ToolServer observe(String serverId, List<ObservedFeature> seen, String actor) {
        ToolServer known = getToolServer(serverId);
        // Cheap unlocked check first: listings repeat on every session and usually change nothing.
        if (seen.stream().allMatch(o -> unchanged(known, o))) return known;
        return tx.inTransaction(() -> {
            ToolServer current = lockToolServer(serverId);
            Instant now = clock.instant();
            List<Feature> features = new ArrayList<>(current.features());
            List<String> discovered = new ArrayList<>();
            Set<String> added = new HashSet<>();
            for (ObservedFeature o : seen) {
                if (!acceptableKey(o) || !added.add(o.kind() + " " + o.key())) continue;
                Optional<Feature> existing = current.feature(o.kind(), o.key());
                if (existing.isEmpty()) {
                    // Unknown to the registry: recorded for an admin to classify, quarantined until then.
                    features.add(Feature.of(o.kind(), o.key(), clip(o.description()), Effect.EXECUTE, Risk.HIGH, current.destination(),
                            false, Pin.of(o)));
                    discovered.add(o.kind().scopePrefix() + o.key());
                    continue;
                }
                Feature f = existing.get();
                if (unchanged(current, o)) continue;
                Pin before = f.pin();
                Pin after = before == null ? Pin.of(o) : before.seen(o, now);
                features.set(features.indexOf(f), f.with(f.effect(), f.risk(), f.destination(), Boolean.TRUE.equals(f.classified()), after));
                if (after.changed() && (before == null || !before.changed() || !o.digest().equals(before.seenDigest()))) {
                    publish("toolserver.definition_changed", o.kind().wire(), f.scopeId(serverId), null,
                            "changed: " + String.join(",", after.changedFields()), actor);
                } else if (before != null && before.changed() && !after.changed()) {
                    publish("toolserver.definition_restored", o.kind().wire(), f.scopeId(serverId), null, null, actor);
                }
            }
            repo.updateToolServer(current.withFeatures(features, now, current.version() + 1));
            if (!discovered.isEmpty()) publish("toolserver.discover", "tool_server", serverId, null, String.join(",", discovered), actor);
            return repo.findToolServer(serverId, false).orElseThrow();
        });
    }

    /** True when the registry already holds exactly what {@code seen} shows (nothing to record). */
    private static boolean unchanged(ToolServer server, ObservedFeature seen) {
        if (!acceptableKey(seen)) return true;
        Optional<Feature> f = server.feature(seen.kind(), seen.key());
        if (f.isEmpty()) return false;
        Pin pin = f.get().pin();
        return pin != null && pin.digest() != null && seen.digest().equals(pin.seenDigest());
    }

    private static boolean acceptableKey(ObservedFeature o) {
        if (o.key() == null || o.digest() == null) return false;
        return o.kind() == Feature.Kind.RESOURCE ? UriPatterns.problem(o.key()) == null : Tool.NAME.matcher(o.key()).matches();
    }

    private static String clip(String description) {
        return description == null ? null : description.length() > 500 ? description.substring(0, 500) : description;
    }

    private ToolServer lockToolServer(String id) {
        return (Slug.isValid(id) ? repo.findToolServer(id, true) : Optional.<ToolServer>empty())
                .orElseThrow(() -> new Problem.NotFound("tool server '" + id + "' not found"));
    }

    /**
     * Validates a declared tool server. Features listed without effect or risk are recorded but not
     * classified (quarantined until an admin decides); a kind the spec leaves out (null) keeps what
     * {@code existing} has of it — e.g. features discovered from upstream. Pins of features that stay
     * are kept: a redeclaration is not a re-approval of a changed definition.
     */
    private ToolServer validated(ToolServerSpec s, String id, Instant created, Instant now, long version, ToolServer existing) {
        if (s.command() != null) {
            // Argv from an HTTP request would let any admin token run programs on the host (and read its keys).
            throw new Problem.Invalid("command", "command (argv) is not accepted; set \"stdio\" to the name of a command "
                    + "the operator configured in gateway.stdioCommands");
        }
        boolean hasUrl = s.url() != null && !s.url().isBlank();
        boolean hasStdio = s.stdio() != null && !s.stdio().isBlank();
        if (hasUrl == hasStdio) throw new Problem.Invalid("url", "exactly one of url or stdio is required");
        if (hasUrl) {
            try {
                URI uri = URI.create(s.url());
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new Problem.Invalid("url", "url must be an absolute http(s) URL");
            }
            upstreams.checkUrl("url", s.url());
        }
        if (hasStdio) upstreams.checkStdio(s.stdio());
        UpstreamAuth auth = s.upstreamAuth() == null ? UpstreamAuth.STATIC : s.upstreamAuth();
        if (auth.perCall() && !hasUrl) {
            // A stdio process is the gateway's own child: there is no request to carry a per-call credential on.
            throw new Problem.Invalid("upstreamAuth", "upstreamAuth " + auth.wire() + " needs a url (a stdio process gets no per-call credentials)");
        }
        String resource = s.upstreamResource() == null || s.upstreamResource().isBlank() ? null : s.upstreamResource();
        if (resource != null) checkResourceIndicator(resource);
        Destination destination = s.destination() == null ? Destination.EXTERNAL : s.destination();
        List<Feature> features = new ArrayList<>();
        features.addAll(declared(Feature.Kind.TOOL, "tools", s.tools(), destination, existing));
        features.addAll(declared(Feature.Kind.RESOURCE, "resources", s.resources(), destination, existing));
        features.addAll(declared(Feature.Kind.PROMPT, "prompts", s.prompts(), destination, existing));
        return new ToolServer(id, s.displayName(), hasUrl ? s.url() : null, hasStdio ? s.stdio() : null, auth, resource,
                s.trust() == null ? Trust.UNAPPROVED : s.trust(), destination, List.of(), List.of(), List.of(), created, now, version)
                .withFeatures(features, now, version);
    }

    /** RFC 8707 §2: a resource indicator is an absolute URI without a fragment. */
    private static void checkResourceIndicator(String resource) {
        try {
            URI uri = new URI(resource);
            if (!uri.isAbsolute() || uri.getFragment() != null || resource.length() > 2000) throw new URISyntaxException(resource, "");
        } catch (URISyntaxException e) {
            throw new Problem.Invalid("upstreamResource", "upstreamResource must be an absolute URI without a fragment (RFC 8707)");
        }
    }

    /** The features of one kind as declared (validated), or those {@code existing} has of it when the spec leaves the kind out. */
    private static List<Feature> declared(Feature.Kind kind, String field, List<? extends Feature> declared, Destination destination,
                                          ToolServer existing) {
        if (declared == null) {
            return existing == null ? List.of() : existing.features().stream().filter(f -> f.kind() == kind).toList();
        }
        List<Feature> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int n = 0; n < declared.size(); n++) {
            Feature f = declared.get(n);
            String at = field + "[" + n + "]";
            if (f == null || f.key() == null) throw new Problem.Invalid(at, "each entry needs its " + (kind == Feature.Kind.RESOURCE ? "uri" : "name"));
            if (kind == Feature.Kind.RESOURCE) {
                String problem = UriPatterns.problem(f.key());
                if (problem != null) throw new Problem.Invalid(at + ".uri", problem);
            } else if (!Tool.NAME.matcher(f.key()).matches()) {
                throw new Problem.Invalid(at + ".name", kind.wire() + " name must be 1-128 characters of A-Z, a-z, 0-9, '_', '-', '.'");
            }
            if (!keys.add(f.key())) throw new Problem.Invalid(at, kind.wire() + " '" + f.key() + "' is listed twice");
            boolean classified = f.effect() != null && f.risk() != null;
            if (f.classified() != null && f.classified() && !classified) {
                throw new Problem.Invalid(at, "a classified " + kind.wire() + " needs effect and risk");
            }
            Pin pin = existing == null ? null : existing.feature(kind, f.key()).map(Feature::pin).orElse(null);
            out.add(Feature.of(kind, f.key(), f.description(), classified ? f.effect() : Effect.EXECUTE, classified ? f.risk() : Risk.HIGH,
                    f.destination() == null ? destination : f.destination(), classified, pin));
        }
        return out;
    }

    // --- small helpers

    private static <T> T pick(T value, T fallback) { return value != null ? value : fallback; }

    private static List<String> orEmpty(List<String> values) { return values == null ? List.of() : values; }

    private static List<String> distinct(List<String> values) {
        return values == null ? List.of() : new ArrayList<>(new LinkedHashSet<>(values));
    }

    private static String encodeCursor(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String cursor) {
        try {
            String id = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (Slug.isValid(id)) return id;
        } catch (IllegalArgumentException ignored) {
            // fall through to the error below
        }
        throw new Problem.Invalid("after", "cursor is not one this server issued");
    }
}
