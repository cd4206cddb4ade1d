package dev.gatehouse.credentials;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.gatehouse.core.Problem;
import dev.gatehouse.store.ChangeFeed;
import dev.gatehouse.store.Locks;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * ES256 signing keys in the store, private JWKs sealed by {@link KeyEncryption}. The decrypted
 * keys live in an immutable in-memory snapshot, reloaded when the change feed reports a key change
 * (any node's rotation reaches every node within milliseconds), when a token names a key this node
 * has not seen (at most once per {@link #RELOAD_MIN}), and at least every {@link #SNAPSHOT_MAX_AGE}.
 *
 * <p>Rotation is cluster-safe: publish, wait, activate. The new key is stored with
 * {@code activate_at = now + activationDelay}; every node verifies with it and lists it in its JWKS at once,
 * but none signs with it before {@code activate_at} (each node picks, at signing time, the newest key whose
 * activation has come). By then every node has it, so no node ever sees a token signed by a key it does not
 * know. The previous key signs until then and verifies until its last possible token has expired. The first
 * key and every rotation are serialised by a store lock: nodes starting together create exactly one key.
 */
public final class DefaultSigningKeys implements SigningKeys {
    static final JWSAlgorithm ALG = JWSAlgorithm.ES256;
    private static final Duration RELOAD_MIN = Duration.ofSeconds(1);
    /** The backstop if a change notification is lost: well inside any sensible activation delay. */
    private static final Duration SNAPSHOT_MAX_AGE = Duration.ofSeconds(2);
    static final String CHANGE_TOPIC = "signing_keys";
    /** Verification grace after the longest token lifetime, for clocks of relying parties that lag. */
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final String COLUMNS = "kid, alg, public_jwk, private_sealed, status, created_at, created_by, rotated_at, verify_until, activate_at";

    private record Row(SigningKey key, String sealed, Instant activateAt) {}

    /** {@code signers}: keys that may sign, newest activation first; the first whose activation has come signs. */
    private record Snapshot(List<Signer> signers, Map<String, ECKey> verifying, Map<String, SigningKey> byKid, Instant loadedAt) {
        ECKey signer(Instant now) {
            for (Signer s : signers) if (!s.activateAt().isAfter(now)) return s.key();
            return null;
        }
    }

    private record Signer(ECKey key, Instant activateAt) {}

    private final Transactions tx;
    private final KeyEncryption kek;
    private final Clock clock;
    private final SecureRandom random;
    private final Supplier<Duration> maxTokenLifetime;
    private final Duration activationDelay;
    private final ChangeFeed feed;
    private volatile Snapshot snapshot;

    /**
     * @param activationDelay how long a rotated-in key is published before it signs: longer than the change feed's
     *                        delivery (milliseconds; its poll backstop is 0.5 s) plus the clock skew between nodes;
     *                        zero on the embedded store, where this is the only node
     */
    public DefaultSigningKeys(Transactions tx, KeyEncryption kek, Clock clock, SecureRandom random, Supplier<Duration> maxTokenLifetime,
                              Duration activationDelay, ChangeFeed feed) {
        this.tx = tx;
        this.kek = kek;
        this.clock = clock;
        this.random = random;
        this.maxTokenLifetime = maxTokenLifetime;
        this.activationDelay = activationDelay;
        this.feed = feed;
        tx.run(() -> {
            // Nodes starting together on an empty store: the lock makes the second wait, then see the first's key.
            Locks.hold(tx, Locks.SIGNING_KEYS);
            if (Sql.one(tx.connection(), "SELECT kid FROM signing_keys WHERE status = 'active'", r -> r.string("kid")).isEmpty()) {
                insertNew("system:bootstrap", clock.instant());
            }
        });
        this.snapshot = load();
        feed.subscribe(CHANGE_TOPIC, ChangeFeed.Listener.of(kid -> snapshot = load(), () -> snapshot = load()));
    }

    @Override
    public String sign(String type, byte[] payload) {
        Instant now = clock.instant();
        ECKey key = current().signer(now);
        if (key == null) throw new Problem.Conflict("no signing key has been activated yet", null);
        JWSHeader header = new JWSHeader.Builder(ALG).keyID(key.getKeyID()).type(new JOSEObjectType(type)).build();
        JWSObject jws = new JWSObject(header, new Payload(payload));
        try {
            jws.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jws.serialize();
    }

    @Override
    public byte[] verify(String compactJws, String type) {
        JWSObject jws;
        try {
            jws = JWSObject.parse(compactJws);
        } catch (ParseException | RuntimeException e) {
            throw new InvalidSignature();
        }
        JWSHeader header = jws.getHeader();
        // Only our one algorithm: this is what defeats alg:none and HS256-with-the-public-key forgeries.
        if (!ALG.equals(header.getAlgorithm()) || header.getKeyID() == null
                || header.getType() == null || !type.equalsIgnoreCase(header.getType().getType())
                || header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw new InvalidSignature();
        }
        ECKey key = verifyingKey(header.getKeyID());
        try {
            if (key == null || !jws.verify(new ECDSAVerifier(key.toECPublicKey()))) {
                throw new InvalidSignature();
            }
        } catch (JOSEException e) {
            throw new InvalidSignature();
        }
        return jws.getPayload().toBytes();
    }

    @Override
    public Map<String, Object> jwks() {
        List<Object> keys = new ArrayList<>();
        for (ECKey k : current().verifying().values()) keys.add(k.toPublicJWK().toJSONObject());
        return Map.of("keys", keys);
    }

    @Override
    public List<SigningKey> list() {
        return tx.inTransaction(() -> {
            expireRetiring();
            List<SigningKey> out = new ArrayList<>();
            for (Row r : rows("SELECT " + COLUMNS + " FROM signing_keys "
                    + "ORDER BY CASE status WHEN 'active' THEN 0 WHEN 'retiring' THEN 1 ELSE 2 END, created_at DESC, kid")) out.add(r.key());
            return out;
        });
    }

    @Override
    public SigningKey rotate(String actor) {
        SigningKey created = tx.inTransaction(() -> {
            Locks.hold(tx, Locks.SIGNING_KEYS); // two rotations at once would leave two active keys
            Instant now = clock.instant();
            Instant activateAt = now.plus(activationDelay);
            // The old key signs until the new one activates; every token it signed expires within the longest lifetime after.
            Instant until = activateAt.plus(maxTokenLifetime.get()).plus(SKEW);
            for (Row r : rows("SELECT " + COLUMNS + " FROM signing_keys WHERE status = 'active'")) {
                Sql.update(tx.connection(), "UPDATE signing_keys SET status = 'retiring', rotated_at = ?, verify_until = ? WHERE kid = ?",
                        now, until, r.key().kid());
            }
            expireRetiring();
            SigningKey key = insertNew(actor, activateAt);
            feed.publish(CHANGE_TOPIC, key.kid());
            return key;
        });
        snapshot = load();
        return created;
    }

    private SigningKey insertNew(String actor, Instant activateAt) {
        ECKey key;
        try {
            key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(ALG).keyIDFromThumbprint(true)
                    .secureRandom(random).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an ES256 key", e);
        }
        Instant now = clock.instant();
        String sealed = kek.encrypt(key.toJSONString().getBytes(StandardCharsets.UTF_8), key.getKeyID());
        Sql.update(tx.connection(), "INSERT INTO signing_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, 'active', ?, ?, NULL, NULL, ?)",
                key.getKeyID(), ALG.getName(), key.toPublicJWK().toJSONString(), sealed, now, actor, activateAt);
        return new SigningKey(key.getKeyID(), ALG.getName(), activateAt.isAfter(now) ? "pending" : "active", now, actor, null, null,
                activateAt, key.toPublicJWK().toJSONObject());
    }

    private void expireRetiring() {
        Sql.update(tx.connection(), "UPDATE signing_keys SET status = 'retired' WHERE status = 'retiring' AND verify_until <= ?", clock.instant());
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        Instant now = clock.instant();
        if (s.loadedAt().plus(SNAPSHOT_MAX_AGE).isBefore(now) || expiredKeyIn(s, now)) {
            s = load();
            snapshot = s;
        }
        return s;
    }

    private static boolean expiredKeyIn(Snapshot s, Instant now) {
        for (SigningKey k : s.byKid().values()) {
            if (k.verifyUntil() != null && !k.verifyUntil().isAfter(now)) return true;
        }
        return false;
    }

    private ECKey verifyingKey(String kid) {
        Snapshot s = current();
        ECKey key = s.verifying().get(kid);
        if (key == null && s.loadedAt().plus(RELOAD_MIN).isBefore(clock.instant())) {
            s = load();
            snapshot = s;
            key = s.verifying().get(kid);
        }
        return key;
    }

    private Snapshot load() {
        Instant now = clock.instant();
        List<Row> rows = tx.inTransaction(() -> rows("SELECT " + COLUMNS + " FROM signing_keys WHERE status IN ('active', 'retiring') ORDER BY created_at DESC, CASE status WHEN 'active' THEN 0 WHEN 'retiring' THEN 1 ELSE 2 END, kid"));
        List<Signer> signers = new ArrayList<>();
        Map<String, ECKey> verifying = new LinkedHashMap<>();
        Map<String, SigningKey> byKid = new LinkedHashMap<>();
        for (Row r : rows) {
            SigningKey k = r.key();
            if (k.verifyUntil() != null && !k.verifyUntil().isAfter(now)) continue;
            ECKey full;
            try {
                full = ECKey.parse(new String(kek.decrypt(r.sealed(), k.kid()), StandardCharsets.UTF_8));
            } catch (ParseException e) {
                throw new IllegalStateException("signing key " + k.kid() + " is not a valid JWK");
            }
            // A retiring key keeps signing until its successor activates (then a newer activation comes first).
            signers.add(new Signer(full, r.activateAt()));
            verifying.put(k.kid(), full.toPublicJWK());
            byKid.put(k.kid(), k);
        }
        if (signers.isEmpty()) {
            throw new Problem.Conflict("no active signing key; run `gatehouse keys rotate`", null);
        }
        signers.sort(Comparator.comparing(Signer::activateAt).reversed());
        return new Snapshot(List.copyOf(signers), Map.copyOf(verifying), Map.copyOf(byKid), now);
    }

    private List<Row> rows(String sql, Object... params) {
        return Sql.query(tx.connection(), sql, this::row, params);
    }

    private Row row(Sql.Row r) throws SQLException {
        Map<String, Object> jwk;
        try {
            jwk = ECKey.parse(r.string("public_jwk")).toJSONObject();
        } catch (ParseException e) {
            throw new SQLException("stored public JWK does not parse");
        }
        Instant activateAt = r.instant("activate_at") == null ? r.instant("created_at") : r.instant("activate_at");
        String status = r.string("status");
        // Published but not yet signing: shown as pending until its activation time.
        if (status.equals("active") && activateAt.isAfter(clock.instant())) status = "pending";
        return new Row(new SigningKey(r.string("kid"), r.string("alg"), status, r.instant("created_at"),
                r.string("created_by"), r.instant("rotated_at"), r.instant("verify_until"), activateAt, jwk), r.string("private_sealed"), activateAt);
    }
}
