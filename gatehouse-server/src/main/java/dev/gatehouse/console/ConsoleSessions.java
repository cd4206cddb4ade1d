package dev.gatehouse.console;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.http.Caller.Role;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Console sessions in the store, so every node of a cluster knows them and a sign-out ends a session
 * everywhere. The cookie carries a 256-bit random id; the store keeps only its SHA-256, so a leaked
 * database yields no usable session. A session ends after {@code idle} without use, {@code max} after
 * sign-in, on sign-out, and as soon as its human is no longer active.
 */
public final class ConsoleSessions {
    private static final String COLUMNS = "id_hash, principal, human_id, display_name, roles, signed_in_with, csrf_token, created_at,"
            + " last_seen, expires_at, step_up_at, step_up_factor";
    /** A WebAuthn challenge is answered within this time or not at all. */
    static final Duration CHALLENGE_TTL = Duration.ofMinutes(3);

    /** A new session: the cookie value (shown to the browser once, never stored) and the session. */
    public record Started(String cookieValue, ConsoleSession session) {}

    private final Transactions tx;
    private final RegistryService registry;
    private final AuditLog audit;
    private final Secrets secrets;
    private final java.security.SecureRandom random;
    private final Clock clock;
    private final Duration idle;
    private final Duration max;

    public ConsoleSessions(Transactions tx, RegistryService registry, AuditLog audit, Secrets secrets, java.security.SecureRandom random,
                           Clock clock, Duration idle, Duration max) {
        if (idle.toSeconds() < 60 || max.compareTo(idle) < 0) {
            throw new IllegalArgumentException("console.sessionIdleSeconds must be at least 60 and console.sessionMaxSeconds at least as long");
        }
        this.tx = tx;
        this.registry = registry;
        this.audit = audit;
        this.secrets = secrets;
        this.random = random;
        this.clock = clock;
        this.idle = idle;
        this.max = max;
    }

    /** Opens a session for {@code user} (audited as {@code console.sign_in}); {@code how}: {@code oidc} or {@code admin-token}. */
    public Started start(ConsoleUser user, String how, String remote) {
        String cookie = secrets.newSecret("");
        String csrf = secrets.newSecret("");
        Instant now = clock.instant();
        return tx.inTransaction(() -> {
            // Sessions past their time go at each sign-in: no sweeper needed, and the table stays the size of its live sessions.
            Sql.update(tx.connection(), "DELETE FROM console_sessions WHERE expires_at <= ? OR last_seen <= ?", now, now.minus(idle));
            Sql.update(tx.connection(), "DELETE FROM console_sign_ins WHERE expires_at <= ?", now);
            Sql.update(tx.connection(), "INSERT INTO console_sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Secrets.sha256Hex(cookie), user.principal(), user.humanId(), clip(user.displayName()), roles(user.roles()), how, csrf,
                    now, now, now.plus(max), null, null);
            audit.record(AuditEvent.of("console.sign_in", AuditEvent.Category.PRIVILEGED, "success", user.principal())
                    .withSubject(user.humanId(), user.isHuman() ? "human" : null, null).withAction("console.sign_in", "console")
                    .withDetail(Map.of("method", how, "roles", roles(user.roles()), "remote", remote == null ? "" : remote)));
            return new Started(cookie, new ConsoleSession(Secrets.sha256Hex(cookie), user, how, csrf, now, now, now.plus(max), null, null));
        });
    }

    /**
     * The live session the cookie names, if any. Touches it (at most once a minute) and ends it when idle,
     * past its maximum age, or when its human was suspended or retired since sign-in.
     */
    public Optional<ConsoleSession> resolve(String cookie) {
        if (cookie == null || cookie.length() < 20 || cookie.length() > 100) return Optional.empty();
        String hash = Secrets.sha256Hex(cookie);
        return tx.inTransaction(() -> {
            Instant now = clock.instant();
            Optional<ConsoleSession> found = Sql.one(tx.connection(), "SELECT " + COLUMNS + " FROM console_sessions WHERE id_hash = ?",
                    ConsoleSessions::session, hash);
            if (found.isEmpty()) return Optional.<ConsoleSession>empty();
            ConsoleSession s = found.get();
            boolean humanGone = s.user().isHuman() && !registry.find(s.user().humanId()).map(Identity::isActive).orElse(false);
            if (!now.isBefore(s.expiresAt()) || !now.isBefore(s.lastSeen().plus(idle)) || humanGone) {
                Sql.update(tx.connection(), "DELETE FROM console_sessions WHERE id_hash = ?", hash);
                return Optional.<ConsoleSession>empty();
            }
            if (s.lastSeen().isBefore(now.minusSeconds(60))) {
                Sql.update(tx.connection(), "UPDATE console_sessions SET last_seen = ? WHERE id_hash = ?", now, hash);
            }
            return Optional.of(s);
        });
    }

    /** Sign-out: the session is deleted, so the cookie is worthless even if the browser keeps it. */
    public void end(ConsoleSession s) {
        tx.inTransaction(() -> {
            if (Sql.update(tx.connection(), "DELETE FROM console_sessions WHERE id_hash = ?", s.idHash()) > 0) {
                audit.record(AuditEvent.of("console.sign_out", AuditEvent.Category.PRIVILEGED, "success", s.user().principal())
                        .withSubject(s.user().humanId(), s.user().isHuman() ? "human" : null, null).withAction("console.sign_out", "console"));
            }
            return null;
        });
    }

    /** The human proved {@code factor} now (a WebAuthn assertion or a TOTP code was verified). */
    public ConsoleSession steppedUp(ConsoleSession s, String factor) {
        Instant now = clock.instant();
        tx.inTransaction(() -> Sql.update(tx.connection(), "UPDATE console_sessions SET step_up_at = ?, step_up_factor = ? WHERE id_hash = ?",
                now, factor, s.idHash()));
        return new ConsoleSession(s.idHash(), s.user(), s.signedInWith(), s.csrf(), s.createdAt(), s.lastSeen(), s.expiresAt(), now, factor);
    }

    /** A fresh WebAuthn challenge for this session (replacing any earlier one). */
    public byte[] newChallenge(ConsoleSession s) {
        byte[] challenge = new byte[32];
        random.nextBytes(challenge);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(challenge);
        tx.inTransaction(() -> Sql.update(tx.connection(), "UPDATE console_sessions SET challenge = ?, challenge_at = ? WHERE id_hash = ?",
                encoded, clock.instant(), s.idHash()));
        return challenge;
    }

    /** The session's outstanding challenge, consumed: each is answered at most once, and only while fresh. */
    public Optional<byte[]> takeChallenge(ConsoleSession s) {
        return tx.inTransaction(() -> {
            Optional<String[]> row = Sql.one(tx.connection(), "SELECT challenge, challenge_at FROM console_sessions WHERE id_hash = ? FOR UPDATE",
                    r -> new String[] {r.string("challenge"), r.instant("challenge_at") == null ? null : r.instant("challenge_at").toString()},
                    s.idHash());
            Sql.update(tx.connection(), "UPDATE console_sessions SET challenge = NULL, challenge_at = NULL WHERE id_hash = ?", s.idHash());
            if (row.isEmpty() || row.get()[0] == null || row.get()[1] == null) return Optional.<byte[]>empty();
            if (Instant.parse(row.get()[1]).plus(CHALLENGE_TTL).isBefore(clock.instant())) return Optional.<byte[]>empty();
            return Optional.of(Base64.getUrlDecoder().decode(row.get()[0]));
        });
    }

    /** Ends every session of a human (e.g. after a factor was revoked elsewhere); returns how many. */
    public int endAll(String humanId) {
        return tx.inTransaction(() -> Sql.update(tx.connection(), "DELETE FROM console_sessions WHERE human_id = ?", humanId));
    }

    private static String roles(Set<Role> roles) {
        return roles.stream().map(Role::wire).sorted().collect(Collectors.joining(","));
    }

    private static String clip(String s) { return s == null ? "" : s.length() <= 200 ? s : s.substring(0, 200); }

    private static ConsoleSession session(Sql.Row r) throws SQLException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Arrays.stream(r.string("roles").split(",")).filter(x -> !x.isBlank())
                .forEach(x -> roles.add(Role.valueOf(x.toUpperCase(Locale.ROOT))));
        return new ConsoleSession(r.string("id_hash"), new ConsoleUser(r.string("principal"), r.string("human_id"), r.string("display_name"), roles),
                r.string("signed_in_with"), r.string("csrf_token"), r.instant("created_at"), r.instant("last_seen"), r.instant("expires_at"),
                r.instant("step_up_at"), r.string("step_up_factor"));
    }
}
