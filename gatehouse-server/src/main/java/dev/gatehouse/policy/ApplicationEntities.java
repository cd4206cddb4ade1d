package dev.gatehouse.policy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Problem;
import dev.gatehouse.store.ChangeFeed;
import dev.gatehouse.store.Transactions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Entities of application types declared by a policy directory's schema fragments (e.g. the
 * AuthZEN Todo users), in Cedar's JSON entity format. Inventory types ({@code Gatehouse::…})
 * come only from the registry and cannot be written here.
 */
public final class ApplicationEntities {
    public static final int MAX_ENTITIES = 10_000;

    private final Transactions tx;
    private final PolicyRepository repo;
    private final PolicyVersions versions;
    private final Clock clock;
    /** Every stored entity, parsed, in memory: decisions never read the store for them. */
    private volatile Map<EntityData.Uid, EntityData> stored;

    /** Change feed topic of entity writes: every node re-reads the entities. */
    static final String CHANGE_TOPIC = "application_entities";

    private final ChangeFeed changes;

    public ApplicationEntities(Transactions tx, PolicyVersions versions, Clock clock, ChangeFeed changes) {
        this.tx = tx;
        this.repo = versions.repository();
        this.versions = versions;
        this.clock = clock;
        this.stored = load();
        this.changes = changes;
        changes.subscribe(CHANGE_TOPIC, ChangeFeed.Listener.of(key -> reload(), this::reload));
    }

    /** Entities were applied (here after the commit, or on another node): re-read them. */
    private void reload() {
        stored = load();
    }

    /**
     * Validates every entity against the active schema, then upserts them all in one transaction;
     * with {@code replace}, entities not in the list are removed. Returns how many were written.
     */
    public int apply(JsonNode document, boolean replace, String actor) {
        if (document == null || !document.isArray()) {
            throw new Problem.Invalid("entities", "entities must be a JSON array in Cedar's entity format");
        }
        if (document.size() > MAX_ENTITIES) throw new Problem.Invalid("entities", "at most " + MAX_ENTITIES + " entities per request");
        PolicyEngine.Compiled policies = versions.current().active()
                .orElseThrow(() -> new Problem.Conflict("no policy version is active; push the schema fragment declaring these types first", null))
                .policies();
        List<EntityData> parsed = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        Set<EntityData.Uid> seen = new HashSet<>();
        for (int i = 0; i < document.size(); i++) {
            String field = "entities[" + i + "]";
            EntityData e = parse(document.get(i), field);
            if (GatehouseSchema.isInventoryType(e.uid().type())) {
                throw new Problem.Invalid(field + ".uid.type", "inventory entities (" + e.uid().type() + ") come from the registry and cannot be written here");
            }
            if (!policies.hasEntityType(e.uid().type())) {
                throw new Problem.Invalid(field + ".uid.type", "entity type '" + e.uid().type() + "' is not declared by the active schema");
            }
            if (!seen.add(e.uid())) throw new Problem.Invalid(field + ".uid", "entity " + e.uid() + " appears twice");
            parsed.add(e);
            bodies.add(Json.write(document.get(i)));
        }
        List<String> errors = versions.engine().validateEntities(policies, parsed);
        if (!errors.isEmpty()) {
            throw new Problem.Invalid("invalid_entities", "entities", "entities do not match the schema: " + String.join("; ", errors));
        }
        return tx.inTransaction(() -> {
            if (replace) repo.deleteAllEntities();
            for (int i = 0; i < parsed.size(); i++) {
                repo.upsertEntity(parsed.get(i).uid().type(), parsed.get(i).uid().id(), bodies.get(i), clock.instant());
            }
            versions.auditEntities(actor, parsed.size(), replace);
            changes.publish(CHANGE_TOPIC, "entities");
            tx.afterCommit(this::reload);
            return parsed.size();
        });
    }

    public List<JsonNode> list() {
        return tx.inTransaction(() -> repo.entities().stream().map(e -> readTree(e.body())).toList());
    }

    /** Every stored application entity, keyed by uid (application data sets are small). */
    public Map<EntityData.Uid, EntityData> all() {
        return stored;
    }

    private Map<EntityData.Uid, EntityData> load() {
        Map<EntityData.Uid, EntityData> out = new LinkedHashMap<>();
        for (PolicyRepository.StoredEntity stored : tx.inTransaction(repo::entities)) {
            EntityData e = parse(readTree(stored.body()), "stored entity");
            out.put(e.uid(), e);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static JsonNode readTree(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException("stored entity does not decode", e);
        }
    }

    static EntityData parse(JsonNode node, String field) {
        if (node == null || !node.isObject()) throw new Problem.Invalid(field, "each entity must be an object {uid, attrs, parents}");
        node.fieldNames().forEachRemaining(k -> {
            if (!Set.of("uid", "attrs", "parents", "tags").contains(k)) {
                throw new Problem.Invalid("unknown_field", field + "." + k, "unknown field '" + field + "." + k + "'");
            }
        });
        EntityData.Uid uid = uid(node.get("uid"), field + ".uid");
        Map<String, Object> attrs = new LinkedHashMap<>();
        JsonNode a = node.get("attrs");
        if (a != null && !a.isNull()) {
            if (!a.isObject()) throw new Problem.Invalid("invalid_type", field + ".attrs", "attrs must be an object");
            Map<String, Object> raw = Json.MAPPER.convertValue(a, new TypeReference<Map<String, Object>>() {});
            attrs = CedarValues.record(raw, field + ".attrs");
        }
        List<EntityData.Uid> parents = new ArrayList<>();
        JsonNode p = node.get("parents");
        if (p != null && !p.isNull()) {
            if (!p.isArray()) throw new Problem.Invalid("invalid_type", field + ".parents", "parents must be an array of {type, id}");
            for (int i = 0; i < p.size(); i++) parents.add(uid(p.get(i), field + ".parents[" + i + "]"));
        }
        Map<String, Object> tags = Map.of();
        JsonNode t = node.get("tags");
        if (t != null && !t.isNull()) {
            if (!t.isObject()) throw new Problem.Invalid("invalid_type", field + ".tags", "tags must be an object");
            Map<String, Object> raw = Json.MAPPER.convertValue(t, new TypeReference<Map<String, Object>>() {});
            tags = CedarValues.record(raw, field + ".tags");
        }
        return new EntityData(uid, attrs, parents, tags);
    }

    private static EntityData.Uid uid(JsonNode node, String field) {
        JsonNode n = node != null && node.has("__entity") ? node.get("__entity") : node;
        if (n == null || !(n instanceof ObjectNode) || !n.path("type").isTextual() || !n.path("id").isTextual()) {
            throw new Problem.Invalid(field, field + " must be {\"type\": …, \"id\": …}");
        }
        String type = n.get("type").asText();
        if (!type.matches("[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*")) {
            throw new Problem.Invalid(field + ".type", "'" + type + "' is not a Cedar entity type name");
        }
        return new EntityData.Uid(type, n.get("id").asText());
    }
}
