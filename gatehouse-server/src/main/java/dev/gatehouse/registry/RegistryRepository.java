package dev.gatehouse.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Problem;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import dev.gatehouse.registry.Vocabulary.Autonomy;
import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Effect;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.registry.Vocabulary.IdentityStatus;
import dev.gatehouse.registry.Vocabulary.Risk;
import dev.gatehouse.registry.Vocabulary.Trust;
import dev.gatehouse.registry.Vocabulary.UpstreamAuth;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** JDBC persistence of the inventory; runs inside the caller's transaction, never commits. */
final class RegistryRepository {
    private static final String IDENTITY_COLUMNS = "i.id, i.kind, i.display_name, i.status, i.environment, i.owner_id, "
            + "i.purpose, i.scope_json, i.autonomy, i.model, i.email, i.department, i.created_at, i.updated_at, "
            + "i.last_seen, i.version, o.status AS owner_status";

    private final Transactions tx;

    RegistryRepository(Transactions tx) { this.tx = tx; }

    private Connection c() { return tx.connection(); }

    // --- identities

    Optional<Identity> findIdentity(String id, boolean forUpdate) {
        String sql = "SELECT " + IDENTITY_COLUMNS + " FROM identities i LEFT JOIN identities o ON o.id = i.owner_id WHERE i.id = ?";
        if (forUpdate) {
            // Lock the row first with a no-op write: H2 2.3 lost concurrent versioned updates behind
            // `SELECT ... FOR UPDATE` here (RegistryRepositoryTest.concurrentVersionedUpdatesLoseNoWrite, about
            // one run in two); a write lock orders them on both engines.
            Sql.update(c(), "UPDATE identities SET version = version WHERE id = ?", id);
        }
        return Sql.one(c(), sql, r -> identity(r, List.of(), List.of()), id).map(this::withCollections);
    }

    List<Identity> listIdentities(IdentityQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + IDENTITY_COLUMNS
                + " FROM identities i LEFT JOIN identities o ON o.id = i.owner_id WHERE 1=1");
        List<Object> params = new ArrayList<>();
        if (q.kind() != null) { sql.append(" AND i.kind = ?"); params.add(q.kind()); }
        if (q.owner() != null) { sql.append(" AND i.owner_id = ?"); params.add(q.owner()); }
        if (q.status() != null) { sql.append(" AND i.status = ?"); params.add(q.status()); }
        if (q.environment() != null) { sql.append(" AND i.environment = ?"); params.add(q.environment()); }
        if (q.tag() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM identity_tags t WHERE t.identity_id = i.id AND t.tag = ?)");
            params.add(q.tag());
        }
        if (q.group() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM group_members m WHERE m.identity_id = i.id AND m.group_id = ?)");
            params.add(q.group());
        }
        if (q.after() != null) { sql.append(" AND i.id > ?"); params.add(q.after()); }
        sql.append(" ORDER BY i.id LIMIT ").append(q.limit() + 1);
        List<Identity> rows = Sql.query(c(), sql.toString(), r -> identity(r, List.of(), List.of()), params.toArray());
        return withCollections(rows);
    }

    List<String> ownedBy(String ownerId) {
        return Sql.query(c(), "SELECT id FROM identities WHERE owner_id = ? ORDER BY id", r -> r.string("id"), ownerId);
    }

    void insertIdentity(Identity i) {
        Sql.update(c(), "INSERT INTO identities (id, kind, display_name, status, environment, owner_id, purpose, scope_json, "
                        + "autonomy, model, email, department, created_at, updated_at, last_seen, version) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                i.id(), i.kind(), i.displayName(), i.status(), i.environment(), i.owner(), i.purpose(),
                i.scope() == null ? null : Json.write(i.scope()), i.autonomy(), i.model(), i.email(), i.department(),
                i.createdAt(), i.updatedAt(), i.lastSeen(), i.version());
        replaceTags(i.id(), i.tags());
        replaceMemberships(i.id(), i.groups());
    }

    /** Writes every mutable column; the caller holds the row lock and has bumped the version. */
    /**
     * Writes {@code i} over the row at version {@code i.version() - 1}. The version guard in the
     * WHERE clause is what makes concurrent writers safe on every engine: a writer that read an
     * older row changes nothing and gets {@link Problem.StaleVersion} instead of overwriting.
     */
    void updateIdentity(Identity i) {
        int rows = Sql.update(c(), "UPDATE identities SET display_name = ?, status = ?, environment = ?, owner_id = ?, purpose = ?, "
                        + "scope_json = ?, autonomy = ?, model = ?, email = ?, department = ?, updated_at = ?, version = ? "
                        + "WHERE id = ? AND version = ?",
                i.displayName(), i.status(), i.environment(), i.owner(), i.purpose(),
                i.scope() == null ? null : Json.write(i.scope()), i.autonomy(), i.model(), i.email(), i.department(),
                i.updatedAt(), i.version(), i.id(), i.version() - 1);
        if (rows != 1) {
            throw new Problem.StaleVersion("identity '" + i.id() + "' was changed concurrently; re-read it and retry");
        }
        replaceTags(i.id(), i.tags());
        replaceMemberships(i.id(), i.groups());
    }

    void touch(String id, Instant at) {
        Sql.update(c(), "UPDATE identities SET last_seen = ? WHERE id = ? AND (last_seen IS NULL OR last_seen < ?)", at, id, at);
    }

    private void replaceTags(String id, List<String> tags) {
        Sql.update(c(), "DELETE FROM identity_tags WHERE identity_id = ?", id);
        Sql.batch(c(), "INSERT INTO identity_tags (identity_id, tag) VALUES (?, ?)",
                tags.stream().map(t -> new Object[] {id, t}).toList());
    }

    private void replaceMemberships(String id, List<String> groups) {
        Sql.update(c(), "DELETE FROM group_members WHERE identity_id = ?", id);
        Sql.batch(c(), "INSERT INTO group_members (group_id, identity_id) VALUES (?, ?)",
                groups.stream().map(g -> new Object[] {g, id}).toList());
    }

    private Identity withCollections(Identity i) { return withCollections(List.of(i)).get(0); }

    private List<Identity> withCollections(List<Identity> rows) {
        if (rows.isEmpty()) return rows;
        String in = String.join(",", java.util.Collections.nCopies(rows.size(), "?"));
        Object[] ids = rows.stream().map(Identity::id).toArray();
        Map<String, List<String>> tags = grouped("SELECT identity_id AS k, tag AS v FROM identity_tags WHERE identity_id IN (" + in + ") ORDER BY tag", ids);
        Map<String, List<String>> groups = grouped("SELECT identity_id AS k, group_id AS v FROM group_members WHERE identity_id IN (" + in + ") ORDER BY group_id", ids);
        List<Identity> out = new ArrayList<>(rows.size());
        for (Identity i : rows) {
            out.add(new Identity(i.id(), i.kind(), i.displayName(), i.status(), i.environment(),
                    tags.getOrDefault(i.id(), List.of()), groups.getOrDefault(i.id(), List.of()), i.owner(), i.purpose(),
                    i.scope(), i.autonomy(), i.model(), i.email(), i.department(), i.orphaned(), i.createdAt(),
                    i.updatedAt(), i.lastSeen(), i.version()));
        }
        return out;
    }

    private Map<String, List<String>> grouped(String sql, Object[] params) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Sql.query(c(), sql, r -> out.computeIfAbsent(r.string("k"), k -> new ArrayList<>()).add(r.string("v")), params);
        return out;
    }

    private static Identity identity(Sql.Row r, List<String> tags, List<String> groups) throws SQLException {
        String scope = r.string("scope_json");
        String autonomy = r.string("autonomy");
        String ownerStatus = r.string("owner_status");
        return new Identity(r.string("id"), IdentityKind.parse(r.string("kind")), r.string("display_name"),
                IdentityStatus.parse(r.string("status")), r.string("environment"), tags, groups, r.string("owner_id"),
                r.string("purpose"), scope == null ? null : Json.read(scope, Scope.class),
                autonomy == null ? null : Autonomy.parse(autonomy), r.string("model"), r.string("email"),
                r.string("department"), "retired".equals(ownerStatus), r.instant("created_at"),
                r.instant("updated_at"), r.instant("last_seen"), r.longValue("version"));
    }

    // --- lifecycle history

    void recordEvent(String identityId, String action, String reason, String actor, Instant at, String detail) {
        Sql.update(c(), "INSERT INTO identity_events (identity_id, action, reason, actor, at, detail_json) VALUES (?, ?, ?, ?, ?, ?)",
                identityId, action, reason, actor, at, detail);
    }

    List<LifecycleEvent> history(String identityId) {
        return Sql.query(c(), "SELECT seq, identity_id, action, reason, actor, at, detail_json FROM identity_events "
                        + "WHERE identity_id = ? ORDER BY seq",
                r -> new LifecycleEvent(r.longValue("seq"), r.string("identity_id"), r.string("action"), r.string("reason"),
                        r.string("actor"), r.instant("at"), r.string("detail_json")), identityId);
    }

    // --- groups

    Optional<Group> findGroup(String id, boolean forUpdate) {
        return Sql.one(c(), "SELECT id, display_name, created_at, updated_at, version FROM inventory_groups WHERE id = ?"
                        + (forUpdate ? " FOR UPDATE" : ""),
                r -> new Group(r.string("id"), r.string("display_name"), List.of(), List.of(), r.instant("created_at"),
                        r.instant("updated_at"), r.longValue("version")), id)
                .map(g -> new Group(g.id(), g.displayName(), parents(g.id()), members(g.id()), g.createdAt(), g.updatedAt(), g.version()));
    }

    List<Group> listGroups() {
        List<String> ids = Sql.query(c(), "SELECT id FROM inventory_groups ORDER BY id", r -> r.string("id"));
        return ids.stream().map(id -> findGroup(id, false).orElseThrow()).toList();
    }

    List<String> parents(String groupId) {
        return Sql.query(c(), "SELECT parent_id FROM group_parents WHERE group_id = ? ORDER BY parent_id", r -> r.string("parent_id"), groupId);
    }

    List<String> members(String groupId) {
        return Sql.query(c(), "SELECT identity_id FROM group_members WHERE group_id = ? ORDER BY identity_id", r -> r.string("identity_id"), groupId);
    }

    List<String> children(String groupId) {
        return Sql.query(c(), "SELECT group_id FROM group_parents WHERE parent_id = ? ORDER BY group_id", r -> r.string("group_id"), groupId);
    }

    void insertGroup(Group g) {
        Sql.update(c(), "INSERT INTO inventory_groups (id, display_name, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?)",
                g.id(), g.displayName(), g.createdAt(), g.updatedAt(), g.version());
        replaceParents(g.id(), g.parents());
    }

    void updateGroup(Group g) {
        Sql.update(c(), "UPDATE inventory_groups SET display_name = ?, updated_at = ?, version = ? WHERE id = ?",
                g.displayName(), g.updatedAt(), g.version(), g.id());
        replaceParents(g.id(), g.parents());
    }

    void deleteGroup(String id) {
        Sql.update(c(), "DELETE FROM inventory_groups WHERE id = ?", id);
    }

    private void replaceParents(String id, List<String> parents) {
        Sql.update(c(), "DELETE FROM group_parents WHERE group_id = ?", id);
        Sql.batch(c(), "INSERT INTO group_parents (group_id, parent_id) VALUES (?, ?)",
                parents.stream().map(p -> new Object[] {id, p}).toList());
    }

    // --- tool servers

    Optional<ToolServer> findToolServer(String id, boolean forUpdate) {
        return Sql.one(c(), "SELECT id, display_name, url, stdio, upstream_auth, upstream_resource, trust, destination, created_at, "
                        + "updated_at, version FROM tool_servers WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""),
                r -> new ToolServer(r.string("id"), r.string("display_name"), r.string("url"), r.string("stdio"),
                        UpstreamAuth.parse(r.string("upstream_auth")), r.string("upstream_resource"),
                        Trust.parse(r.string("trust")), Destination.parse(r.string("destination")), List.of(), List.of(), List.of(),
                        r.instant("created_at"), r.instant("updated_at"), r.longValue("version")), id)
                .map(s -> s.withFeatures(features(s.id()), s.updatedAt(), s.version()));
    }

    List<ToolServer> listToolServers() {
        List<String> ids = Sql.query(c(), "SELECT id FROM tool_servers ORDER BY id", r -> r.string("id"));
        return ids.stream().map(id -> findToolServer(id, false).orElseThrow()).toList();
    }

    private List<Feature> features(String serverId) {
        return Sql.query(c(), "SELECT kind, name, description, effect, risk, destination, classified, pinned_digest, seen_digest, "
                        + "seen_at, changed_fields, pinned_fields, input_schema, suggested FROM server_features WHERE server_id = ? ORDER BY kind, name",
                r -> {
                    String pinned = r.string("pinned_digest");
                    String seen = r.string("seen_digest");
                    String changed = r.string("changed_fields");
                    Pin pin = pinned == null && seen == null ? null : new Pin(pinned, seen, r.instant("seen_at"),
                            changed == null || changed.isEmpty() ? List.of() : List.of(changed.split(",")), fieldDigests(r.string("pinned_fields")),
                            r.string("input_schema") == null ? null : Json.read(r.string("input_schema"), JsonNode.class),
                            r.string("suggested") == null ? null : Json.read(r.string("suggested"), Suggestion.class));
                    return Feature.of(Feature.Kind.parse(r.string("kind")), r.string("name"), r.string("description"),
                            Effect.parse(r.string("effect")), Risk.parse(r.string("risk")), Destination.parse(r.string("destination")),
                            r.bool("classified"), pin);
                }, serverId);
    }

    void insertToolServer(ToolServer s) {
        Sql.update(c(), "INSERT INTO tool_servers (id, display_name, url, stdio, upstream_auth, upstream_resource, trust, destination, "
                        + "created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s.id(), s.displayName(), s.url(), s.stdio(), s.upstreamAuth().wire(), s.upstreamResource(), s.trust(),
                s.destination(), s.createdAt(), s.updatedAt(), s.version());
        replaceFeatures(s.id(), s.features());
    }

    void updateToolServer(ToolServer s) {
        Sql.update(c(), "UPDATE tool_servers SET display_name = ?, url = ?, stdio = ?, upstream_auth = ?, upstream_resource = ?, "
                        + "trust = ?, destination = ?, updated_at = ?, version = ? WHERE id = ?",
                s.displayName(), s.url(), s.stdio(), s.upstreamAuth().wire(), s.upstreamResource(), s.trust(),
                s.destination(), s.updatedAt(), s.version(), s.id());
        replaceFeatures(s.id(), s.features());
    }

    void deleteToolServer(String id) {
        Sql.update(c(), "DELETE FROM tool_servers WHERE id = ?", id);
    }

    private void replaceFeatures(String serverId, List<Feature> features) {
        Sql.update(c(), "DELETE FROM server_features WHERE server_id = ?", serverId);
        Sql.batch(c(), "INSERT INTO server_features (server_id, kind, name, description, effect, risk, destination, classified, "
                        + "pinned_digest, seen_digest, seen_at, changed_fields, pinned_fields, input_schema, suggested) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                features.stream().map(f -> new Object[] {serverId, f.kind().wire(), f.key(), f.description(), f.effect(), f.risk(),
                        f.destination(), f.classified(), f.pin() == null ? null : f.pin().digest(), f.pin() == null ? null : f.pin().seenDigest(),
                        f.pin() == null ? null : f.pin().seenAt(),
                        f.pin() == null || f.pin().changedFields().isEmpty() ? null : String.join(",", f.pin().changedFields()),
                        f.pin() == null || f.pin().fields().isEmpty() ? null : Json.write(new java.util.TreeMap<>(f.pin().fields())),
                        f.pin() == null || f.pin().inputSchema() == null ? null : Json.write(f.pin().inputSchema()),
                        f.pin() == null || f.pin().suggested() == null ? null : Json.write(f.pin().suggested())}).toList());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> fieldDigests(String json) {
        return json == null ? Map.of() : Json.read(json, Map.class);
    }
}
