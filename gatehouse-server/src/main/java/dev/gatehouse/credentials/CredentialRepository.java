package dev.gatehouse.credentials;

import com.nimbusds.jose.jwk.JWK;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.StoreException;
import dev.gatehouse.store.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** SQL of client credentials and the assertion replay cache; used inside the caller's transaction. */
final class CredentialRepository {
    static final String COLUMNS = "id, identity_id, type, public_jwk, jwk_thumbprint, issuer, subject, expires_at, created_at, "
            + "created_by, rotated_at, previous_valid_until, revoked_at, revoked_by, last_used";

    private final Transactions tx;

    private Runnable changed = () -> {};

    CredentialRepository(Transactions tx) { this.tx = tx; }

    /** Runs {@code then} in the transaction of every rotation or revocation (live token checks re-read credentials after its commit). */
    void onChanged(Runnable then) { this.changed = then; }

    private Connection c() { return tx.connection(); }

    void insert(String id, String identity, CredentialType type, String secretHash, String jwkJson, String thumbprint,
                String issuer, String subject, Instant expiresAt, Instant now, String actor) {
        Sql.update(c(), "INSERT INTO client_credentials (id, identity_id, type, secret_hash, public_jwk, jwk_thumbprint, issuer, subject, "
                        + "expires_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, identity, type, secretHash, jwkJson, thumbprint, issuer, subject, expiresAt, now, actor);
    }

    List<ClientCredential> list(String identity, Instant now) {
        return Sql.query(c(), "SELECT " + COLUMNS + " FROM client_credentials WHERE identity_id = ? ORDER BY created_at, id",
                r -> row(r, now), identity);
    }

    Optional<ClientCredential> find(String identity, String id, boolean lock, Instant now) {
        return Sql.one(c(), "SELECT " + COLUMNS + " FROM client_credentials WHERE identity_id = ? AND id = ?" + (lock ? " FOR UPDATE" : ""),
                r -> row(r, now), identity, id);
    }

    /** The usable client secret credential with this hash (current, or previous within its overlap window). */
    Optional<ClientCredential> bySecretHash(String identity, String hash, Instant now) {
        return Sql.one(c(), "SELECT " + COLUMNS + " FROM client_credentials WHERE identity_id = ? AND type = 'client_secret' "
                        + "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) "
                        + "AND (secret_hash = ? OR (previous_secret_hash = ? AND previous_valid_until > ?))",
                r -> row(r, now), identity, now, hash, hash, now);
    }

    /** What a live token check needs of a credential (hashes included: this never leaves the credential broker). */
    record BindingState(String type, String secretHash, String previousSecretHash, Instant previousValidUntil, String thumbprint,
                        Instant revokedAt, Instant expiresAt) {
        /**
         * Why a token minted with {@code binding} may no longer be used, or empty while the credential holds: not
         * revoked, not expired, and (for a secret) the secret is the current one or the previous one within its
         * overlap window, (for a key) the key is still the one registered.
         */
        Optional<String> problem(CredentialBinding binding, Instant now) {
            if (revokedAt != null) return Optional.of("credential revoked");
            if (expiresAt != null && !expiresAt.isAfter(now)) return Optional.of("credential expired");
            String version = binding.version();
            if (version == null) return Optional.empty();
            boolean holds = switch (type) {
                case "client_secret" -> version.equals(secretHash)
                        || version.equals(previousSecretHash) && previousValidUntil != null && previousValidUntil.isAfter(now);
                case "private_key_jwt" -> version.equals(thumbprint);
                default -> true;
            };
            if (holds) return Optional.empty();
            return Optional.of(type.equals("client_secret") ? "client secret rotated out" : "client key replaced");
        }
    }

    Optional<BindingState> bindingState(String id) {
        return Sql.one(c(), "SELECT type, secret_hash, previous_secret_hash, previous_valid_until, jwk_thumbprint, revoked_at, expires_at "
                        + "FROM client_credentials WHERE id = ?",
                r -> new BindingState(r.string("type"), r.string("secret_hash"), r.string("previous_secret_hash"),
                        r.instant("previous_valid_until"), r.string("jwk_thumbprint"), r.instant("revoked_at"), r.instant("expires_at")), id);
    }

    /** Usable credentials of one type for an identity. */
    List<ClientCredential> usable(String identity, CredentialType type, Instant now) {
        return Sql.query(c(), "SELECT " + COLUMNS + " FROM client_credentials WHERE identity_id = ? AND type = ? "
                + "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at", r -> row(r, now), identity, type, now);
    }

    /** Usable federated credentials binding (issuer, subject). */
    List<ClientCredential> federated(String issuer, String subject, Instant now) {
        return Sql.query(c(), "SELECT " + COLUMNS + " FROM client_credentials WHERE type = 'federated' AND issuer = ? AND subject = ? "
                + "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)", r -> row(r, now), issuer, subject, now);
    }

    void rotateSecret(String id, String newHash, Instant now, Instant previousValidUntil, Instant expiresAt) {
        changed.run();
        Sql.update(c(), "UPDATE client_credentials SET previous_secret_hash = secret_hash, previous_valid_until = ?, secret_hash = ?, "
                + "rotated_at = ?, expires_at = ? WHERE id = ?", previousValidUntil, newHash, now, expiresAt, id);
    }

    void rotateKey(String id, String jwkJson, String thumbprint, Instant now) {
        changed.run();
        Sql.update(c(), "UPDATE client_credentials SET public_jwk = ?, jwk_thumbprint = ?, rotated_at = ? WHERE id = ?",
                jwkJson, thumbprint, now, id);
    }

    void revoke(String id, Instant now, String actor) {
        changed.run();
        Sql.update(c(), "UPDATE client_credentials SET revoked_at = ?, revoked_by = ?, previous_secret_hash = NULL WHERE id = ? AND revoked_at IS NULL",
                now, actor, id);
    }

    int revokeAllOf(String identity, Instant now, String actor) {
        changed.run();
        return Sql.update(c(), "UPDATE client_credentials SET revoked_at = ?, revoked_by = ?, previous_secret_hash = NULL "
                + "WHERE identity_id = ? AND revoked_at IS NULL", now, actor, identity);
    }

    void touch(String id, Instant now) {
        Sql.update(c(), "UPDATE client_credentials SET last_used = ? WHERE id = ?", now, id);
    }

    /** Records a seen assertion; false when (issuer, jti) was seen before, i.e. a replay. */
    boolean firstUse(String issuer, String jti, Instant expiresAt, Instant now) {
        Sql.update(c(), "DELETE FROM assertion_jtis WHERE expires_at < ?", now.minusSeconds(600));
        try {
            Sql.update(c(), "INSERT INTO assertion_jtis (issuer, jti, expires_at) VALUES (?, ?, ?)", issuer, jti, expiresAt);
            return true;
        } catch (StoreException e) {
            if (e.isUniqueViolation()) return false;
            throw e;
        }
    }

    private static ClientCredential row(Sql.Row r, Instant now) throws SQLException {
        Instant expires = r.instant("expires_at");
        Instant revoked = r.instant("revoked_at");
        String status = revoked != null ? "revoked" : expires != null && !expires.isAfter(now) ? "expired" : "active";
        Map<String, Object> jwk = null;
        if (r.string("public_jwk") != null) {
            try {
                jwk = JWK.parse(r.string("public_jwk")).toJSONObject();
            } catch (ParseException e) {
                throw new SQLException("stored JWK does not parse");
            }
        }
        Instant previousValidUntil = r.instant("previous_valid_until");
        return new ClientCredential(r.string("id"), r.string("identity_id"),
                CredentialType.valueOf(r.string("type").toUpperCase(Locale.ROOT)), r.string("identity_id"), status,
                r.instant("created_at"), r.string("created_by"), expires, r.instant("rotated_at"),
                previousValidUntil != null && previousValidUntil.isAfter(now) ? previousValidUntil : null,
                revoked, r.string("revoked_by"), r.instant("last_used"), jwk, r.string("jwk_thumbprint"),
                r.string("issuer"), r.string("subject"));
    }
}
