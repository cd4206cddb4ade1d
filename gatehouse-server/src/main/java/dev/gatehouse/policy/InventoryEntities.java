package dev.gatehouse.policy;

import dev.gatehouse.policy.EntityData.Uid;
import dev.gatehouse.registry.Group;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Feature;
import dev.gatehouse.registry.ToolServer;
import dev.gatehouse.registry.Vocabulary.Effect;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns inventory records into Cedar entities of the Gatehouse vocabulary. Read straight from
 * the {@link RegistryService} for every decision (a handful of indexed reads), so a suspension,
 * a new tag or a group change is visible to the very next decision: there is no copy to go stale.
 */
public final class InventoryEntities {
    private final RegistryService registry;

    public InventoryEntities(RegistryService registry) { this.registry = registry; }

    public Optional<Identity> identity(String id) { return registry.find(id); }

    public static Uid uidOf(Identity identity) {
        String type = switch (identity.kind()) {
            case HUMAN -> GatehouseSchema.HUMAN;
            case WORKLOAD -> GatehouseSchema.WORKLOAD;
            case AGENT -> GatehouseSchema.AGENT;
        };
        return new Uid(type, identity.id());
    }

    /**
     * The feature a Cedar entity of type {@code cedarType} ({@link GatehouseSchema#TOOL}, {@code RESOURCE},
     * {@code PROMPT}) with id {@code <server>/<name or uri>} stands for, and its server; empty when
     * either is not in the inventory. A resource id names a concrete URI, governed by the registered
     * entry that matches it.
     */
    public Optional<FeatureLookup> feature(String cedarType, String id) {
        int slash = id.indexOf('/');
        if (slash <= 0 || slash == id.length() - 1) return Optional.empty();
        String key = id.substring(slash + 1);
        return toolServer(id.substring(0, slash)).flatMap(s -> switch (cedarType) {
            case GatehouseSchema.TOOL -> s.tool(key).map(t -> new FeatureLookup(s, t, key));
            case GatehouseSchema.PROMPT -> s.prompt(key).map(p -> new FeatureLookup(s, p, key));
            case GatehouseSchema.RESOURCE -> s.resourceFor(key).map(r -> new FeatureLookup(s, r, key));
            default -> Optional.empty();
        });
    }

    /** @param key the tool or prompt name, or the concrete resource URI */
    public record FeatureLookup(ToolServer server, Feature feature, String key) {
        public String cedarId() { return server.id() + "/" + key; }

        /** The scope id of what is used: for a resource, of the concrete URI (a pattern covering it must name it). */
        public String scopeId() { return server.id() + "/" + feature.kind().scopePrefix() + key; }
    }

    /** The type of {@code context.input}: every argument the registered tools and prompts declare in their input schemas. */
    public InputType inputType() {
        List<com.fasterxml.jackson.databind.JsonNode> schemas = new ArrayList<>();
        for (ToolServer s : registry.listToolServers()) {
            for (Feature f : s.features()) if (f.pin() != null && f.pin().inputSchema() != null) schemas.add(f.pin().inputSchema());
        }
        return InputType.of(schemas);
    }

    public Optional<ToolServer> toolServer(String id) {
        try {
            return Optional.of(registry.getToolServer(id));
        } catch (dev.gatehouse.core.Problem.NotFound | dev.gatehouse.core.Problem.Invalid e) {
            return Optional.empty();
        }
    }

    /** Adds the identity, its owner and every group it is in (with their parents) to {@code out}. */
    public void addIdentity(Identity identity, Map<Uid, EntityData> out) {
        Uid uid = uidOf(identity);
        if (out.containsKey(uid)) return;
        Map<String, Group> groups = new HashMap<>();
        if (!identity.groups().isEmpty()) {
            for (Group g : registry.listGroups()) groups.put(g.id(), g);
        }
        List<Uid> parents = new ArrayList<>();
        for (String g : identity.groups()) parents.add(new Uid(GatehouseSchema.GROUP, g));
        out.put(uid, new EntityData(uid, attributes(identity), parents));
        // The group hierarchy above the identity, so `principal in Group::"x"` sees nesting.
        Deque<String> pending = new ArrayDeque<>(identity.groups());
        while (!pending.isEmpty()) {
            String id = pending.pop();
            Uid gid = new Uid(GatehouseSchema.GROUP, id);
            if (out.containsKey(gid)) continue;
            Group group = groups.get(id);
            List<String> groupParents = group == null ? List.of() : group.parents();
            out.put(gid, new EntityData(gid, Map.of("name", group == null || group.displayName() == null ? id : group.displayName()),
                    groupParents.stream().map(p -> new Uid(GatehouseSchema.GROUP, p)).toList()));
            pending.addAll(groupParents);
        }
        if (identity.owner() != null) {
            registry.find(identity.owner()).ifPresent(owner -> addIdentity(owner, out));
        }
    }

    public void addFeature(FeatureLookup lookup, Map<Uid, EntityData> out) {
        addToolServer(lookup.server(), out);
        Feature f = lookup.feature();
        Uid uid = new Uid(f.kind().cedarType(), lookup.cedarId());
        Map<String, Object> attrs = new LinkedHashMap<>();
        if (f.kind() == Feature.Kind.RESOURCE) {
            attrs.put("uri", lookup.key());
            attrs.put("entry", f.key());
        } else {
            attrs.put("name", f.key());
        }
        attrs.put("server", lookup.server().id());
        attrs.put("effect", effectOf(f).wire());
        attrs.put("risk", f.risk() == null ? "high" : f.risk().wire());
        attrs.put("destination", (f.destination() != null ? f.destination() : lookup.server().destination()).wire());
        attrs.put("classified", Boolean.TRUE.equals(f.classified()));
        out.put(uid, new EntityData(uid, attrs, List.of(new Uid(GatehouseSchema.TOOL_SERVER, lookup.server().id()))));
    }

    public void addToolServer(ToolServer server, Map<Uid, EntityData> out) {
        Uid uid = new Uid(GatehouseSchema.TOOL_SERVER, server.id());
        out.put(uid, new EntityData(uid, Map.of("trust", server.trust().wire(), "destination", server.destination().wire()), List.of()));
    }

    /** An unclassified feature counts as execute (the broadest authority) until an admin says otherwise. */
    public static Effect effectOf(Feature feature) {
        return feature.effect() == null ? Effect.EXECUTE : feature.effect();
    }

    private static Map<String, Object> attributes(Identity i) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("status", i.status().wire());
        a.put("name", i.displayName() == null ? i.id() : i.displayName());
        switch (i.kind()) {
            case HUMAN -> {
                if (i.email() != null) a.put("email", i.email());
                if (i.department() != null) a.put("department", i.department());
            }
            case WORKLOAD, AGENT -> {
                a.put("owner", new Uid(GatehouseSchema.HUMAN, i.owner()));
                a.put("purpose", i.purpose() == null ? "" : i.purpose());
                a.put("environment", i.environment() == null ? "" : i.environment());
                a.put("tags", i.tags());
                a.put("orphaned", i.orphaned());
                List<String> effects = i.scope() == null ? List.of() : i.scope().effects().stream().map(Effect::wire).sorted().toList();
                a.put("scope", Map.of("tools", i.scope() == null ? List.of() : i.scope().tools(), "effects", effects));
                // Attestation is a fact of a request's credential (the decision point sets it); the inventory alone never attests.
                a.put("attested", false);
                if (i.kind() == dev.gatehouse.registry.Vocabulary.IdentityKind.AGENT) {
                    a.put("autonomy", i.autonomy() == null ? "assistive" : i.autonomy().wire());
                    a.put("model", i.model() == null ? "" : i.model());
                }
            }
        }
        return a;
    }
}
