package dev.gatehouse.approvals;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Problem;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.http.Authenticator;
import dev.gatehouse.http.Caller;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-human approver tokens: {@code gap_<id>.<secret>}, so a person approves, denies or breaks glass
 * as themself and the audit trail names them (admin tokens name an operator, never a human). Only a
 * SHA-256 of the token is stored. A token works only while its human is active: suspending or retiring
 * the person ends it on the next request.
 */
public final class ApproverTokens implements Authenticator {
    public static final String PREFIX = "gap_";
    private static final String COLUMNS = "id, human_id, name, created_at, created_by, expires_at, revoked_at, revoked_by, last_used";

    private final Transactions tx;
    private final RegistryService registry;
    private final Secrets secrets;
    private final Clock clock;
    private final AuditLog audit;
    private final Duration ttl;

    public ApproverTokens(Transactions tx, RegistryService registry, Secrets secrets, Clock clock, AuditLog audit, Duration ttl) {
        this.tx = tx;
        this.registry = registry;
        this.secrets = secrets;
        this.clock = clock;
        this.audit = audit;
        this.ttl = ttl;
    }

    /** Issues a token for an active human; the value is returned once and never again. */
    public IssuedApproverToken issue(String humanId, String name, Integer ttlSeconds, String actor) {
        String label = name == null || name.isBlank() ? "approver" : name.strip();
        if (label.length() > 200) throw new Problem.Invalid("name", "name must be at most 200 characters");
        if (ttlSeconds != null && (ttlSeconds < 60 || ttlSeconds > ttl.toSeconds())) {
            throw new Problem.Invalid("ttlSeconds", "ttlSeconds must be between 60 and " + ttl.toSeconds() + " (approvals.approverTokenTtlSeconds)");
        }
        String id = secrets.newId("");
        String token = PREFIX + id + "." + secrets.newSecret("");
        return tx.inTransaction(() -> {
            Identity human = registry.get(humanId);
            if (human.kind() != IdentityKind.HUMAN) throw new Problem.Invalid("id", "approver tokens are for humans; '" + humanId + "' is a " + human.kind().name().toLowerCase(java.util.Locale.ROOT));
            if (!human.isActive()) throw new Problem.Conflict("human '" + humanId + "' is not active", "id");
            Instant now = clock.instant();
            Instant expires = now.plus(ttlSeconds == null ? ttl : Duration.ofSeconds(ttlSeconds));
            Sql.update(tx.connection(), "INSERT INTO approver_tokens (id, human_id, name, token_hash, created_at, created_by, expires_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", id, humanId, label, Secrets.sha256Hex(token), now, actor, expires);
            audit.record(AuditEvent.of("approver.token.issued", AuditEvent.Category.PRIVILEGED, "success", actor)
                    .withSubject(humanId, "human", null).withAction("approver.token.issue", "approver-token:" + id)
                    .withDetail(Map.of("name", label, "expiresAt", expires.toString())));
            return new IssuedApproverToken(new ApproverToken(id, humanId, label, now, actor, expires, null, null, null), token);
        });
    }

    public List<ApproverToken> list(String humanId) {
        return tx.inTransaction(() -> {
            registry.get(humanId);
            return Sql.query(tx.connection(), "SELECT " + COLUMNS + " FROM approver_tokens WHERE human_id = ? ORDER BY created_at, id",
                    ApproverTokens::token, humanId);
        });
    }

    public ApproverToken revoke(String humanId, String tokenId, String actor) {
        return tx.inTransaction(() -> {
            ApproverToken t = Sql.one(tx.connection(), "SELECT " + COLUMNS + " FROM approver_tokens WHERE id = ? AND human_id = ? FOR UPDATE",
                    ApproverTokens::token, tokenId, humanId)
                    .orElseThrow(() -> new Problem.NotFound("approver token '" + tokenId + "' of '" + humanId + "' not found"));
            if (t.revokedAt() != null) throw new Problem.Conflict("approver token '" + tokenId + "' is already revoked", "tokenId");
            Instant now = clock.instant();
            Sql.update(tx.connection(), "UPDATE approver_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ?", now, actor, tokenId);
            audit.record(AuditEvent.of("approver.token.revoked", AuditEvent.Category.PRIVILEGED, "success", actor)
                    .withSubject(humanId, "human", null).withAction("approver.token.revoke", "approver-token:" + tokenId));
            return new ApproverToken(t.id(), t.human(), t.name(), t.createdAt(), t.createdBy(), t.expiresAt(), now, actor, t.lastUsed());
        });
    }

    @Override
    public Optional<Caller> authenticate(String bearerToken) {
        // Shape test first: other token families never cost a lookup here.
        if (bearerToken == null || !bearerToken.startsWith(PREFIX) || bearerToken.length() > 512) return Optional.empty();
        String hash = Secrets.sha256Hex(bearerToken);
        return tx.inTransaction(() -> {
            Instant now = clock.instant();
            Optional<ApproverToken> token = Sql.one(tx.connection(), "SELECT " + COLUMNS + " FROM approver_tokens WHERE token_hash = ?"
                    + " AND revoked_at IS NULL AND expires_at > ?", ApproverTokens::token, hash, now);
            if (token.isEmpty()) return Optional.<Caller>empty();
            Optional<Identity> human = registry.find(token.get().human());
            // The person's standing is read on every request: a suspended or retired human approves nothing.
            if (human.isEmpty() || !human.get().isActive() || human.get().kind() != IdentityKind.HUMAN) return Optional.<Caller>empty();
            Sql.update(tx.connection(), "UPDATE approver_tokens SET last_used = ? WHERE id = ?", now, token.get().id());
            return Optional.of(new Caller("human", token.get().human(), token.get().id(), Caller.Role.APPROVER));
        });
    }

    private static ApproverToken token(Sql.Row r) throws SQLException {
        return new ApproverToken(r.string("id"), r.string("human_id"), r.string("name"), r.instant("created_at"), r.string("created_by"),
                r.instant("expires_at"), r.instant("revoked_at"), r.string("revoked_by"), r.instant("last_used"));
    }
}
