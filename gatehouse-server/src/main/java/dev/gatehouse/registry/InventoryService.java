package dev.gatehouse.registry;

import dev.gatehouse.core.Page;
import dev.gatehouse.core.Problem;
import dev.gatehouse.registry.InventoryPlan.Action;
import dev.gatehouse.registry.InventoryPlan.Change;
import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Effect;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.registry.Vocabulary.IdentityStatus;
import dev.gatehouse.registry.Vocabulary.Risk;
import dev.gatehouse.registry.Vocabulary.Trust;
import dev.gatehouse.registry.Vocabulary.UpstreamAuth;
import dev.gatehouse.store.Transactions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * GitOps for the inventory: applies a declared {@link InventoryDocument} idempotently (a second
 * apply of the same document changes nothing) in one transaction, so a bad entry anywhere leaves
 * the store as it was; exports the store in the same format.
 *
 * <p>A field left out of a declaration is not managed by the file: it keeps its stored value.
 * Owner changes go through {@link RegistryService#reassign} so they are recorded as such.
 */
public final class InventoryService {
    static final String APPLY_REASON = "declared in inventory file";

    private final RegistryService registry;
    private final Transactions tx;

    public InventoryService(RegistryService registry, Transactions tx) {
        this.registry = registry;
        this.tx = tx;
    }

    /**
     * Applies {@code doc}; a dry run performs the very same apply in a transaction that is rolled back,
     * so it fails exactly where the real apply would (an unknown owner, a group cycle, a constraint)
     * and its plan is the real one.
     */
    public InventoryPlan apply(InventoryDocument doc, boolean dryRun, String actor) {
        if (doc == null) throw new Problem.Invalid(null, "an inventory document is required");
        List<Indexed<GroupSpec>> groups = groupsInDependencyOrder(doc.groups());
        List<Indexed<IdentitySpec>> identities = identitiesOwnersFirst(doc.identities());
        List<Indexed<ToolServerSpec>> servers = indexed(doc.toolServers(), "toolServers", ToolServerSpec::id);
        Transactions.Work<InventoryPlan> apply = () -> {
            Map<String, Group> storedGroups = byId(registry.listGroups(), Group::id);
            Map<String, ToolServer> storedServers = byId(registry.listToolServers(), ToolServer::id);
            List<Change> changes = new ArrayList<>();
            for (Indexed<GroupSpec> g : groups) {
                changes.add(at(g.path(), () -> applyGroup(g.value(), storedGroups.get(g.value().id()), actor)));
            }
            for (Indexed<IdentitySpec> i : identities) {
                changes.add(at(i.path(), () -> applyIdentity(i.value(), actor)));
            }
            for (Indexed<ToolServerSpec> s : servers) {
                changes.add(at(s.path(), () -> applyToolServer(s.value(), storedServers.get(s.value().id()), actor)));
            }
            return InventoryPlan.of(dryRun, changes);
        };
        return dryRun ? tx.inRolledBackTransaction(apply) : tx.inTransaction(apply);
    }

    /** Every group, every identity that is not retired, and every tool server, in apply order. */
    public InventoryDocument export() {
        return tx.inTransaction(() -> {
            List<GroupSpec> groups = registry.listGroups().stream()
                    .map(g -> new GroupSpec(g.id(), g.displayName(), g.parents())).toList();
            List<IdentitySpec> identities = new ArrayList<>();
            String after = null;
            do {
                Page<Identity> page = registry.list(new IdentityQuery(null, null, null, null, null, null, after, 1000));
                for (Identity i : page.items()) {
                    if (i.status() != IdentityStatus.RETIRED) identities.add(spec(i));
                }
                after = page.next();
            } while (after != null);
            identities.sort(Comparator.comparing((IdentitySpec s) -> s.kind() != IdentityKind.HUMAN).thenComparing(IdentitySpec::id));
            List<ToolServerSpec> servers = registry.listToolServers().stream().map(InventoryService::spec).toList();
            return new InventoryDocument(groups, identities, servers);
        });
    }

    // --- groups

    private Change applyGroup(GroupSpec spec, Group current, String actor) {
        if (current == null) {
            registry.createGroup(spec, actor);
            return new Change(Action.CREATE, "group", spec.id(), List.of());
        }
        List<String> fields = new ArrayList<>();
        if (spec.displayName() != null && !spec.displayName().strip().equals(current.displayName())) fields.add("displayName");
        if (spec.parents() != null && !Set.copyOf(spec.parents()).equals(Set.copyOf(current.parents()))) fields.add("parents");
        if (fields.isEmpty()) return new Change(Action.UNCHANGED, "group", spec.id(), List.of());
        registry.updateGroup(spec.id(), new GroupSpec(spec.id(), spec.displayName(), spec.parents()), actor);
        return new Change(Action.UPDATE, "group", spec.id(), fields);
    }

    // --- identities

    private Change applyIdentity(IdentitySpec spec, String actor) {
        Identity current = registry.find(spec.id()).orElse(null);
        if (current == null) {
            registry.register(spec, actor);
            return new Change(Action.CREATE, "identity", spec.id(), List.of());
        }
        if (spec.kind() != null && spec.kind() != current.kind()) {
            throw new Problem.Invalid("kind", "kind of '" + spec.id() + "' is " + current.kind() + " and cannot change");
        }
        List<String> fields = new ArrayList<>();
        diff(fields, "displayName", spec.displayName() == null ? null : spec.displayName().strip(), current.displayName());
        diff(fields, "purpose", spec.purpose(), current.purpose());
        diff(fields, "environment", spec.environment(), current.environment());
        diff(fields, "tags", asSet(spec.tags()), Set.copyOf(current.tags()));
        diff(fields, "groups", asSet(spec.groups()), Set.copyOf(current.groups()));
        diff(fields, "scope", spec.scope() == null ? null : comparable(spec.scope()), current.scope() == null ? null : comparable(current.scope()));
        diff(fields, "autonomy", spec.autonomy(), current.autonomy());
        diff(fields, "model", spec.model(), current.model());
        diff(fields, "email", spec.email(), current.email());
        diff(fields, "department", spec.department(), current.department());
        boolean ownerChanges = spec.owner() != null && !spec.owner().equals(current.owner());
        List<String> all = new ArrayList<>(fields);
        if (ownerChanges) all.add("owner");
        if (all.isEmpty()) return new Change(Action.UNCHANGED, "identity", spec.id(), List.of());
        if (ownerChanges) registry.reassign(spec.id(), spec.owner(), APPLY_REASON, actor);
        if (!fields.isEmpty()) {
            registry.update(spec.id(), new IdentityUpdate(spec.displayName(), spec.purpose(), spec.environment(), spec.tags(),
                    spec.groups(), spec.scope(), spec.autonomy(), spec.model(), spec.email(), spec.department(), null), actor);
        }
        return new Change(Action.UPDATE, "identity", spec.id(), all);
    }

    private static IdentitySpec spec(Identity i) {
        return new IdentitySpec(i.id(), i.kind(), i.displayName(), i.owner(), i.purpose(), i.environment(), i.tags(), i.groups(),
                i.scope(), i.autonomy(), i.model(), i.email(), i.department());
    }

    /** Scope equality that ignores the order in which tool patterns are listed. */
    private static Object comparable(Scope s) { return List.of(Set.copyOf(s.tools()), s.effects()); }

    // --- tool servers

    private Change applyToolServer(ToolServerSpec spec, ToolServer current, String actor) {
        if (current == null) {
            registry.createToolServer(spec, actor);
            return new Change(Action.CREATE, "tool_server", spec.id(), List.of());
        }
        ToolServerSpec stored = spec(current);
        Destination destination = spec.destination() == null ? Destination.EXTERNAL : spec.destination();
        List<String> fields = new ArrayList<>();
        if (spec.displayName() != null) diff(fields, "displayName", spec.displayName(), stored.displayName());
        diff(fields, "url", spec.url(), stored.url());
        diff(fields, "stdio", spec.stdio(), stored.stdio());
        diff(fields, "upstreamAuth", spec.upstreamAuth() == null ? UpstreamAuth.STATIC : spec.upstreamAuth(), current.upstreamAuth());
        diff(fields, "upstreamResource", spec.upstreamResource() == null || spec.upstreamResource().isBlank() ? null : spec.upstreamResource(),
                stored.upstreamResource());
        diff(fields, "trust", spec.trust() == null ? Trust.UNAPPROVED : spec.trust(), stored.trust());
        diff(fields, "destination", destination, stored.destination());
        if (spec.tools() != null) diff(fields, "tools", declared(spec.tools(), destination), declared(stored.tools(), stored.destination()));
        if (spec.resources() != null) {
            diff(fields, "resources", declared(spec.resources(), destination), declared(stored.resources(), stored.destination()));
        }
        if (spec.prompts() != null) diff(fields, "prompts", declared(spec.prompts(), destination), declared(stored.prompts(), stored.destination()));
        if (fields.isEmpty()) return new Change(Action.UNCHANGED, "tool_server", spec.id(), List.of());
        registry.replaceToolServer(spec.id(), spec, actor);
        return new Change(Action.UPDATE, "tool_server", spec.id(), fields);
    }

    /** A tool server as it would be declared: classification only for features an admin classified. */
    private static ToolServerSpec spec(ToolServer s) {
        // The default (static) is left out of exports, as the API's own defaults are.
        return new ToolServerSpec(s.id(), s.displayName(), s.url(), s.stdio(), s.upstreamAuth() == UpstreamAuth.STATIC ? null : s.upstreamAuth(),
                s.upstreamResource(), s.trust(), s.destination(),
                s.tools().stream().map(InventoryService::asDeclared).map(Tool.class::cast).toList(),
                s.resources().stream().map(InventoryService::asDeclared).map(Resource.class::cast).toList(),
                s.prompts().stream().map(InventoryService::asDeclared).map(Prompt.class::cast).toList(), null);
    }

    private static Feature asDeclared(Feature f) {
        boolean classified = Boolean.TRUE.equals(f.classified());
        Effect effect = classified ? f.effect() : null;
        Risk risk = classified ? f.risk() : null;
        return switch (f.kind()) {
            case TOOL -> new Tool(f.key(), f.description(), effect, risk, f.destination(), null, null);
            case RESOURCE -> new Resource(f.key(), f.description(), effect, risk, f.destination(), null, null);
            case PROMPT -> new Prompt(f.key(), f.description(), effect, risk, f.destination(), null, null);
        };
    }

    /** Features keyed by name or uri with the server's destination filled in, so omitted and explicit defaults compare equal. */
    private static Map<String, List<Object>> declared(List<? extends Feature> features, Destination serverDestination) {
        Map<String, List<Object>> out = new HashMap<>();
        for (Feature f : features) {
            if (f == null) continue;
            boolean classified = f.effect() != null && f.risk() != null;
            out.put(f.key(), java.util.Arrays.asList(f.description(), classified ? f.effect() : null, classified ? f.risk() : null,
                    f.destination() == null ? serverDestination : f.destination()));
        }
        return out;
    }

    // --- ordering and errors

    private record Indexed<T>(String path, T value) {}

    private static <T> List<Indexed<T>> indexed(List<T> items, String section, Function<T, String> id) {
        List<Indexed<T>> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int n = 0; n < items.size(); n++) {
            T item = items.get(n);
            String path = section + "[" + n + "]";
            if (item == null) throw new Problem.Invalid(path, "entry must be an object");
            String key = id.apply(item);
            if (key == null) throw new Problem.Invalid(path + ".id", "id is required");
            if (!seen.add(key)) throw new Problem.Invalid(path + ".id", "'" + key + "' is declared twice in " + section);
            out.add(new Indexed<>(path, item));
        }
        return out;
    }

    /** Parents declared in the same file are applied before their children. */
    private static List<Indexed<GroupSpec>> groupsInDependencyOrder(List<GroupSpec> groups) {
        List<Indexed<GroupSpec>> pending = new ArrayList<>(indexed(groups, "groups", GroupSpec::id));
        Set<String> declared = pending.stream().map(g -> g.value().id()).collect(Collectors.toSet());
        Set<String> placed = new HashSet<>();
        List<Indexed<GroupSpec>> ordered = new ArrayList<>();
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                Indexed<GroupSpec> g = it.next();
                List<String> parents = g.value().parents() == null ? List.of() : g.value().parents();
                if (parents.stream().allMatch(p -> !declared.contains(p) || placed.contains(p))) {
                    ordered.add(g);
                    placed.add(g.value().id());
                    it.remove();
                    progress = true;
                }
            }
            if (!progress) {
                throw new Problem.Invalid(pending.get(0).path() + ".parents", "group parents form a cycle");
            }
        }
        return ordered;
    }

    /** Humans first, so that workloads and agents declared in the same file find their owners. */
    private static List<Indexed<IdentitySpec>> identitiesOwnersFirst(List<IdentitySpec> identities) {
        List<Indexed<IdentitySpec>> all = indexed(identities, "identities", IdentitySpec::id);
        List<Indexed<IdentitySpec>> ordered = new ArrayList<>();
        all.stream().filter(i -> i.value().kind() == IdentityKind.HUMAN).forEach(ordered::add);
        all.stream().filter(i -> i.value().kind() != IdentityKind.HUMAN).forEach(ordered::add);
        return ordered;
    }

    /** Runs one entry's step and prefixes any failure's field with the entry's position in the file. */
    private static Change at(String path, java.util.function.Supplier<Change> step) {
        try {
            return step.get();
        } catch (Problem.Invalid e) {
            throw new Problem.Invalid(e.code(), e.field() == null ? path : path + "." + e.field(), path + ": " + e.getMessage());
        } catch (Problem.Conflict e) {
            throw new Problem.Conflict(path + ": " + e.getMessage(), e.field() == null ? path : path + "." + e.field());
        } catch (Problem.NotFound e) {
            throw new Problem.Invalid("invalid_request", path, path + ": " + e.getMessage());
        }
    }

    private static void diff(List<String> fields, String name, Object declared, Object stored) {
        if (declared != null && !Objects.equals(declared, stored)) fields.add(name);
    }

    private static Set<String> asSet(List<String> values) { return values == null ? null : new HashSet<>(values); }

    private static <T> Map<String, T> byId(List<T> items, Function<T, String> id) {
        Map<String, T> out = new LinkedHashMap<>();
        for (T item : items) out.put(id.apply(item), item);
        return out;
    }
}
