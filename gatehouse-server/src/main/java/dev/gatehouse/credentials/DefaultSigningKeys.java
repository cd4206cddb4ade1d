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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * ES256 signing keys in the store, private JWKs sealed by {@link KeyEncryption}. The decrypted
 * keys live in an immutable in-memory snapshot, reloaded after a rotation here, when a token
 * names a key this node has not seen (another node rotated; at most once per {@link #RELOAD_MIN}),
 * and at least every {@link #SNAPSHOT_MAX_AGE}, so every node of a cluster follows a rotation.
 */
public final class DefaultSigningKeys implements SigningKeys {
    static final JWSAlgorithm ALG = JWSAlgorithm.ES256;
    private static final Duration RELOAD_MIN = Duration.ofSeconds(5);
    private static final Duration SNAPSHOT_MAX_AGE = Duration.ofSeconds(60);
    /** Verification grace after the longest token lifetime, for clocks of relying parties that lag. */
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final String COLUMNS = "kid, alg, public_jwk, private_sealed, status, created_at, created_by, rotated_at, verify_until";

    private record Row(SigningKey key, String sealed) {}

    private record Snapshot(ECKey active, Map<String, ECKey> verifying, Map<String, SigningKey> byKid, Instant loadedAt) {}

    private final Transactions tx;
    private final KeyEncryption kek;
    private final Clock clock;
    private final SecureRandom random;
    private final Supplier<Duration> maxTokenLifetime;
    private volatile Snapshot snapshot;

    public DefaultSigningKeys(Transactions tx, KeyEncryption kek, Clock clock, SecureRandom random, Supplier<Duration> maxTokenLifetime) {
        this.tx = tx;
        this.kek = kek;
        this.clock = clock;
        this.random = random;
        this.maxTokenLifetime = maxTokenLifetime;
        tx.run(() -> {
            if (Sql.one(tx.connection(), "SELECT kid FROM signing_keys WHERE status = 'active'", r -> r.string("kid")).isEmpty()) {
                insertNew("system:bootstrap");
            }
        });
        this.snapshot = load();
    }

    @Override
    public String sign(String type, byte[] payload) {
        ECKey key = current().active();
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
            Instant now = clock.instant();
            // Every token signed by the old key expires within the longest lifetime from now.
            Instant until = now.plus(maxTokenLifetime.get()).plus(SKEW);
            for (Row r : rows("SELECT " + COLUMNS + " FROM signing_keys WHERE status = 'active' FOR UPDATE")) {
                Sql.update(tx.connection(), "UPDATE signing_keys SET status = 'retiring', rotated_at = ?, verify_until = ? WHERE kid = ?",
                        now, until, r.key().kid());
            }
            expireRetiring();
            return insertNew(actor);
        });
        snapshot = load();
        return created;
    }

    private SigningKey insertNew(String actor) {
        ECKey key;
        try {
            key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(ALG).keyIDFromThumbprint(true)
                    .secureRandom(random).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an ES256 key", e);
        }
        Instant now = clock.instant();
        String sealed = kek.encrypt(key.toJSONString().getBytes(StandardCharsets.UTF_8), key.getKeyID());
        Sql.update(tx.connection(), "INSERT INTO signing_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, 'active', ?, ?, NULL, NULL)",
                key.getKeyID(), ALG.getName(), key.toPublicJWK().toJSONString(), sealed, now, actor);
        return new SigningKey(key.getKeyID(), ALG.getName(), "active", now, actor, null, null, key.toPublicJWK().toJSONObject());
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
        ECKey active = null;
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
            if (k.status().equals("active") && active == null) {
                active = full; // newest active key signs (two only after a concurrent first start)
            }
            verifying.put(k.kid(), full.toPublicJWK());
            byKid.put(k.kid(), k);
        }
        if (active == null) {
            throw new Problem.Conflict("no active signing key; run `gatehouse keys rotate`", null);
        }
        return new Snapshot(active, Map.copyOf(verifying), Map.copyOf(byKid), now);
    }

    private List<Row> rows(String sql, Object... params) {
        return Sql.query(tx.connection(), sql, DefaultSigningKeys::row, params);
    }

    private static Row row(Sql.Row r) throws SQLException {
        Map<String, Object> jwk;
        try {
            jwk = ECKey.parse(r.string("public_jwk")).toJSONObject();
        } catch (ParseException e) {
            throw new SQLException("stored public JWK does not parse");
        }
        return new Row(new SigningKey(r.string("kid"), r.string("alg"), r.string("status"), r.instant("created_at"),
                r.string("created_by"), r.instant("rotated_at"), r.instant("verify_until"), jwk), r.string("private_sealed"));
    }
}
