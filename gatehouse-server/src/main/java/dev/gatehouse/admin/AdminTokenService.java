package dev.gatehouse.admin;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Problem;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.http.Authenticator;
import dev.gatehouse.http.Caller;
import dev.gatehouse.http.Caller.Role;
import dev.gatehouse.store.Locks;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.ChangeFeed;
import dev.gatehouse.store.Transactions;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Admin API tokens: {@code gha_<id>.<secret>}. Only a SHA-256 of the whole token is stored, so a
 * leaked database does not yield usable tokens; the id prefix makes tokens recognisable by
 * secret scanners and lets an operator name one without holding it.
 */
public final class AdminTokenService implements Authenticator {
    public static final String PREFIX = "gha_";
    /** Live tokens by hash, checked before: every API request authenticates, and revocations empty it. */
    private final java.util.Map<String, Caller> live = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private static final String COLUMNS = "id, name, role, created_at, created_by, last_used, revoked_at, revoked_by";

    private final Transactions tx;
    private final Secrets secrets;
    private final Clock clock;
    private final AuditLog audit;

    /** Change feed topic of revocations: every node forgets the tokens it checked. */
    static final String CHANGE_TOPIC = "admin_tokens";

    private final ChangeFeed changes;

    public AdminTokenService(Transactions tx, Secrets secrets, Clock clock, AuditLog audit, ChangeFeed changes) {
        this.tx = tx;
        this.secrets = secrets;
        this.clock = clock;
        this.audit = audit;
        this.changes = changes;
        changes.subscribe(CHANGE_TOPIC, ChangeFeed.Listener.of(id -> forgetChecked(), this::forgetChecked));
    }

    public IssuedAdminToken create(String name, Role role, String actor) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new Problem.Invalid("name", "name is required (at most 200 characters)");
        }
        if (role == null) throw new Problem.Invalid("role", "role is required (admin, reader or pdp)");
        String id = secrets.newId("");
        String secret = PREFIX + id + "." + secrets.newSecret("");
        return tx.inTransaction(() -> {
            IssuedAdminToken issued = insert(id, name.strip(), role, secret, actor);
            audit.record(tokenEvent("admin.token.create", actor, id, name.strip(), role));
            return issued;
        });
    }

    /**
     * On first start with an empty store: creates the bootstrap admin token, from
     * {@code presetSecret} when automation supplies one, else fresh. Returns the value to print
     * once, or empty when admin tokens already exist.
     */
    public Optional<String> bootstrap(String presetSecret) {
        return tx.inTransaction(() -> {
            // Nodes starting together on an empty store: without the lock both would count zero and both insert.
            Locks.hold(tx, Locks.BOOTSTRAP);
            long existing = Sql.one(tx.connection(), "SELECT COUNT(*) AS n FROM admin_tokens", r -> r.longValue("n")).orElse(0L);
            if (existing > 0) {
                return Optional.<String>empty();
            }
            String id = secrets.newId("");
            String secret;
            if (presetSecret != null && !presetSecret.isBlank()) {
                if (presetSecret.length() < 24) {
                    throw new Problem.Invalid("GATEHOUSE_BOOTSTRAP_TOKEN", "GATEHOUSE_BOOTSTRAP_TOKEN must be at least 24 characters");
                }
                secret = presetSecret;
            } else {
                secret = PREFIX + id + "." + secrets.newSecret("");
            }
            insert(id, "bootstrap", Role.ADMIN, secret, "system:bootstrap");
            audit.record(tokenEvent("admin.token.bootstrap", "system:bootstrap", id, "bootstrap", Role.ADMIN));
            return Optional.of(secret);
        });
    }

    /** What an offline reset did: the new admin token's value (printed once) and the ids of the tokens it revoked. */
    public record Reset(String secret, String id, List<String> revoked) {}

    /**
     * Recovery when every admin token is lost (or one leaked): in one transaction, revokes every active
     * admin-role token and creates a new one. Reader and pdp tokens stay: enforcement points depend on
     * them and they cannot change anything. Audited as {@code admin.token.reset} with who ran it.
     */
    public Reset reset(String actor, String operatingSystemUser) {
        String id = secrets.newId("");
        String secret = PREFIX + id + "." + secrets.newSecret("");
        return tx.inTransaction(() -> {
            List<String> revoked = Sql.query(tx.connection(),
                    "SELECT id FROM admin_tokens WHERE role = 'admin' AND revoked_at IS NULL ORDER BY created_at, id", r -> r.string("id"));
            Instant now = clock.instant();
            for (String old : revoked) {
                Sql.update(tx.connection(), "UPDATE admin_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ?", now, actor, old);
            }
            insert(id, "reset", Role.ADMIN, secret, actor);
            changes.publish(CHANGE_TOPIC, "reset");
            tx.afterCommit(this::forgetChecked);
            audit.record(tokenEvent("admin.token.reset", actor, id, "reset", Role.ADMIN)
                    .withReason("offline admin token reset")
                    .withDetail(Map.of("name", "reset", "role", Role.ADMIN.wire(), "revoked", revoked,
                            "osUser", operatingSystemUser == null ? "" : operatingSystemUser)));
            return new Reset(secret, id, List.copyOf(revoked));
        });
    }

    private IssuedAdminToken insert(String id, String name, Role role, String secret, String actor) throws SQLException {
        Instant now = clock.instant();
        Sql.update(tx.connection(), "INSERT INTO admin_tokens (id, name, role, token_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
                id, name, role, Secrets.sha256Hex(secret), now, actor);
        return new IssuedAdminToken(new AdminToken(id, name, role, now, actor, null, null, null), secret);
    }

    public List<AdminToken> list() {
        return tx.inTransaction(() -> Sql.query(tx.connection(), "SELECT " + COLUMNS + " FROM admin_tokens ORDER BY created_at, id", AdminTokenService::token));
    }

    public AdminToken revoke(String id, String actor) {
        return tx.inTransaction(() -> {
            AdminToken t = Sql.one(tx.connection(), "SELECT " + COLUMNS + " FROM admin_tokens WHERE id = ? FOR UPDATE", AdminTokenService::token, id)
                    .orElseThrow(() -> new Problem.NotFound("admin token '" + id + "' not found"));
            if (t.revokedAt() != null) throw new Problem.Conflict("admin token '" + id + "' is already revoked", "id");
            if (t.role() == Role.ADMIN) {
                long otherAdmins = Sql.one(tx.connection(), "SELECT COUNT(*) AS n FROM admin_tokens WHERE role = 'admin' AND revoked_at IS NULL AND id <> ?",
                        r -> r.longValue("n"), id).orElse(0L);
                if (otherAdmins == 0) {
                    // Revoking the last admin token would lock every operator out for good.
                    throw new Problem.Conflict("cannot revoke the last active admin token; create another admin token first", "id");
                }
            }
            Instant now = clock.instant();
            Sql.update(tx.connection(), "UPDATE admin_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ?", now, actor, id);
            changes.publish(CHANGE_TOPIC, id);
            tx.afterCommit(this::forgetChecked);
            audit.record(tokenEvent("admin.token.revoke", actor, id, t.name(), t.role()).withReason("revoked by admin"));
            return new AdminToken(t.id(), t.name(), t.role(), t.createdAt(), t.createdBy(), t.lastUsed(), now, actor);
        });
    }

    @Override
    public Optional<Caller> authenticate(String bearerToken) {
        if (bearerToken == null || bearerToken.isEmpty() || bearerToken.length() > 512) return Optional.empty();
        String hash = Secrets.sha256Hex(bearerToken);
        Caller known = live.get(hash);
        if (known != null) return Optional.of(known);
        long generation = this.generation.get();
        Optional<Caller> found = tx.inTransaction(() -> Sql.one(tx.connection(),
                        "SELECT " + COLUMNS + " FROM admin_tokens WHERE token_hash = ? AND revoked_at IS NULL", AdminTokenService::token, hash)
                .map(t -> new Caller("admin-token", t.id(), t.name(), t.role())));
        // Only live tokens are remembered (a miss is always asked again), and only if no revocation raced the read.
        if (found.isPresent() && this.generation.get() == generation) {
            if (live.size() > 10_000) live.clear();
            live.put(hash, found.get());
        }
        return found;
    }

    /** A token was revoked (here after its commit, or on another node): forget every token checked before. */
    private void forgetChecked() {
        generation.incrementAndGet();
        live.clear();
    }

    /** Names the token by id, name and role only: its value never enters the audit trail. */
    private static AuditEvent tokenEvent(String type, String actor, String id, String name, Role role) {
        return AuditEvent.of(type, AuditEvent.Category.PRIVILEGED, "success", actor)
                .withAction(type, "admin-token:" + id)
                .withDetail(Map.of("name", name, "role", role.wire()));
    }

    private static AdminToken token(Sql.Row r) throws SQLException {
        return new AdminToken(r.string("id"), r.string("name"), Role.valueOf(r.string("role").toUpperCase(Locale.ROOT)),
                r.instant("created_at"), r.string("created_by"), r.instant("last_used"), r.instant("revoked_at"), r.string("revoked_by"));
    }
}
