package dev.gatehouse.console.stepup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.io.BaseEncoding;
import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.credentials.KeyEncryption;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * A human's second factors for step-up: WebAuthn credentials (passkeys, security keys; webauthn4j verifies
 * the ceremonies) and, as the fallback, TOTP authenticator apps (RFC 6238, {@link Totp}).
 *
 * <p>What is kept: for WebAuthn the credential id, the attested credential data (the public key) and the
 * signature counter; for TOTP the seed sealed under the key-encryption key, and the last time step accepted
 * so a code works once. A seed is shown to its human once, at enrolment; nothing here returns it again.
 * Every enrolment, revocation and failed proof is audited (never with a code, seed or signature).
 */
public final class StepUpFactors {
    private static final String COLUMNS = "id, human_id, type, name, created_at, last_used, confirmed_at";
    private static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256),
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.EdDSA),
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.RS256));
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

    /** The one response that carries a TOTP seed: the factor (unconfirmed), the seed in base32 and as an otpauth URI. */
    public record TotpEnrolment(Factor factor, String secret, String otpauthUri) {
        @Override
        public String toString() { return "TotpEnrolment[factor=" + factor + "]"; } // never the seed
    }

    private final Transactions tx;
    private final KeyEncryption kek;
    private final AuditLog audit;
    private final Secrets secrets;
    private final SecureRandom random;
    private final Clock clock;
    private final Supplier<URI> origin;
    private final ObjectConverter converter = new ObjectConverter();
    private final WebAuthnManager webauthn = WebAuthnManager.createNonStrictWebAuthnManager(converter);
    private final AttestedCredentialDataConverter credentialData = new AttestedCredentialDataConverter(converter);

    /** {@code origin}: the console's public origin; its host is the WebAuthn relying party id. */
    public StepUpFactors(Transactions tx, KeyEncryption kek, AuditLog audit, Secrets secrets, SecureRandom random, Clock clock, Supplier<URI> origin) {
        this.tx = tx;
        this.kek = kek;
        this.audit = audit;
        this.secrets = secrets;
        this.random = random;
        this.clock = clock;
        this.origin = origin;
    }

    public List<Factor> list(String humanId) {
        return tx.inTransaction(() -> Sql.query(tx.connection(), "SELECT " + COLUMNS + " FROM console_factors WHERE human_id = ? AND revoked_at IS NULL"
                + " ORDER BY created_at, id", StepUpFactors::factor, humanId));
    }

    /** True when the human has a factor they can step up with. */
    public boolean hasFactor(String humanId) {
        return list(humanId).stream().anyMatch(Factor::confirmed);
    }

    public void revoke(String humanId, String factorId, String actor) {
        tx.inTransaction(() -> {
            Factor f = Sql.one(tx.connection(), "SELECT " + COLUMNS + " FROM console_factors WHERE id = ? AND human_id = ? AND revoked_at IS NULL FOR UPDATE",
                    StepUpFactors::factor, factorId, humanId).orElseThrow(() -> new StepUpFailed("No such factor."));
            Sql.update(tx.connection(), "UPDATE console_factors SET revoked_at = ? WHERE id = ?", clock.instant(), factorId);
            audit.record(event("console.factor.revoked", "success", actor, humanId, f.reference()));
            return null;
        });
    }

    // --- TOTP

    /** A new, unconfirmed TOTP factor; the seed is in this return value only. */
    public TotpEnrolment enrolTotp(String humanId, String name) {
        byte[] seed = new byte[20]; // 160 bits: the HMAC-SHA1 block the RFC recommends
        random.nextBytes(seed);
        String id = secrets.newId("fac_");
        String label = label(name, "authenticator app");
        Instant now = clock.instant();
        tx.inTransaction(() -> Sql.update(tx.connection(), "INSERT INTO console_factors (id, human_id, type, name, sign_count, sealed_secret, last_step,"
                + " created_at) VALUES (?, ?, 'totp', ?, 0, ?, ?, ?)", id, humanId, label, kek.encrypt(seed, context(id)), -1L, now));
        String secret = BaseEncoding.base32().omitPadding().encode(seed);
        String account = URLEncoder.encode("Gatehouse:" + humanId, StandardCharsets.UTF_8).replace("+", "%20");
        String uri = "otpauth://totp/" + account + "?secret=" + secret + "&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30";
        return new TotpEnrolment(new Factor(id, humanId, "totp", label, now, null, false), secret, uri);
    }

    /** The first code from the app confirms that it holds the seed; until then the factor cannot step up. */
    public Factor confirmTotp(String humanId, String factorId, String code) {
        return tx.inTransaction(() -> {
            Object[] row = Sql.one(tx.connection(), "SELECT sealed_secret, last_step, confirmed_at FROM console_factors WHERE id = ? AND human_id = ?"
                    + " AND type = 'totp' AND revoked_at IS NULL FOR UPDATE", r -> new Object[] {r.string("sealed_secret"), r.longValue("last_step"),
                    r.instant("confirmed_at")}, factorId, humanId).orElseThrow(() -> new StepUpFailed("No such authenticator app enrolment."));
            if (row[2] != null) throw new StepUpFailed("This authenticator app is already confirmed.");
            OptionalLong step = Totp.match(kek.decrypt((String) row[0], context(factorId)), code, clock.instant().getEpochSecond(), (Long) row[1]);
            if (step.isEmpty()) throw new StepUpFailed("That code is not right; check the app's clock and try the current code.");
            Instant now = clock.instant();
            Sql.update(tx.connection(), "UPDATE console_factors SET confirmed_at = ?, last_step = ?, last_used = ? WHERE id = ?",
                    now, step.getAsLong(), now, factorId);
            audit.record(event("console.factor.enrolled", "success", "human:" + humanId, humanId, "totp:" + factorId));
            return get(factorId);
        });
    }

    /** Proves a code against any of the human's confirmed TOTP factors; returns the factor that matched. */
    public Factor proveTotp(String humanId, String code) {
        Optional<Factor> proved = tx.inTransaction(() -> {
            List<Object[]> rows = Sql.query(tx.connection(), "SELECT id, sealed_secret, last_step FROM console_factors WHERE human_id = ? AND type = 'totp'"
                    + " AND confirmed_at IS NOT NULL AND revoked_at IS NULL ORDER BY id FOR UPDATE",
                    r -> new Object[] {r.string("id"), r.string("sealed_secret"), r.longValue("last_step")}, humanId);
            for (Object[] row : rows) {
                String id = (String) row[0];
                OptionalLong step = Totp.match(kek.decrypt((String) row[1], context(id)), code, clock.instant().getEpochSecond(), (Long) row[2]);
                if (step.isPresent()) {
                    Sql.update(tx.connection(), "UPDATE console_factors SET last_step = ?, last_used = ? WHERE id = ?", step.getAsLong(), clock.instant(), id);
                    return Optional.of(get(id));
                }
            }
            return Optional.<Factor>empty();
        });
        if (proved.isEmpty()) {
            audit.record(event("console.step_up", "failure", "human:" + humanId, humanId, "totp").withReason("code_not_accepted"));
            throw new StepUpFailed("That code is not right (or was already used).");
        }
        audit.record(event("console.step_up", "success", "human:" + humanId, humanId, proved.get().reference()));
        return proved.get();
    }

    // --- WebAuthn

    /** {@code PublicKeyCredentialCreationOptions} as JSON (for {@code PublicKeyCredential.parseCreationOptionsFromJSON}). */
    public ObjectNode registrationOptions(String humanId, String displayName, byte[] challenge) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.putObject("rp").put("id", rpId()).put("name", "Gatehouse");
        o.putObject("user").put("id", B64URL.encodeToString(userHandle(humanId))).put("name", humanId).put("displayName", displayName);
        o.put("challenge", B64URL.encodeToString(challenge));
        ArrayNode params = o.putArray("pubKeyCredParams");
        for (PublicKeyCredentialParameters p : ALGORITHMS) params.addObject().put("type", "public-key").put("alg", p.getAlg().getValue());
        o.put("timeout", 120_000).put("attestation", "none");
        o.putObject("authenticatorSelection").put("residentKey", "discouraged").put("userVerification", "preferred");
        ArrayNode exclude = o.putArray("excludeCredentials");
        credentialIds(humanId).forEach(id -> exclude.addObject().put("type", "public-key").put("id", id));
        return o;
    }

    /** Verifies a registration response ({@code PublicKeyCredential.toJSON()}) against the session's challenge and stores the key. */
    public Factor finishRegistration(String humanId, String name, String responseJson, byte[] challenge) {
        RegistrationData data;
        try {
            data = webauthn.verifyRegistrationResponseJSON(responseJson,
                    new RegistrationParameters(serverProperty(challenge), ALGORITHMS, false, true));
        } catch (RuntimeException e) {
            audit.record(event("console.factor.enrolled", "failure", "human:" + humanId, humanId, "webauthn").withReason(reason(e)));
            throw new StepUpFailed("The security key's answer did not verify: " + reason(e) + ".");
        }
        AttestedCredentialData attested = data.getAttestationObject().getAuthenticatorData().getAttestedCredentialData();
        String id = secrets.newId("fac_");
        String credentialId = B64URL.encodeToString(attested.getCredentialId());
        Instant now = clock.instant();
        tx.inTransaction(() -> {
            if (Sql.one(tx.connection(), "SELECT id FROM console_factors WHERE credential_id = ?", r -> r.string("id"), credentialId).isPresent()) {
                throw new StepUpFailed("This security key is already enrolled.");
            }
            Sql.update(tx.connection(), "INSERT INTO console_factors (id, human_id, type, name, credential_id, public_key, sign_count, created_at, confirmed_at)"
                    + " VALUES (?, ?, 'webauthn', ?, ?, ?, ?, ?, ?)", id, humanId, label(name, "security key"), credentialId,
                    B64URL.encodeToString(credentialData.convert(attested)), data.getAttestationObject().getAuthenticatorData().getSignCount(), now, now);
            audit.record(event("console.factor.enrolled", "success", "human:" + humanId, humanId, "webauthn:" + id));
            return null;
        });
        return get(id);
    }

    /** {@code PublicKeyCredentialRequestOptions} as JSON, allowing the human's enrolled credentials. */
    public ObjectNode assertionOptions(String humanId, byte[] challenge) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("challenge", B64URL.encodeToString(challenge)).put("rpId", rpId()).put("timeout", 120_000).put("userVerification", "preferred");
        ArrayNode allow = o.putArray("allowCredentials");
        credentialIds(humanId).forEach(id -> allow.addObject().put("type", "public-key").put("id", id));
        return o;
    }

    /** Verifies an assertion ({@code PublicKeyCredential.toJSON()}) by one of the human's credentials; returns that factor. */
    public Factor proveWebAuthn(String humanId, String responseJson, byte[] challenge) {
        String credentialId;
        try {
            JsonNode response = Json.MAPPER.readTree(responseJson);
            credentialId = response.path("id").asText("");
        } catch (Exception e) {
            throw new StepUpFailed("The security key's answer is not readable.");
        }
        Object[] row = tx.inTransaction(() -> Sql.one(tx.connection(), "SELECT id, public_key, sign_count FROM console_factors WHERE credential_id = ?"
                + " AND human_id = ? AND type = 'webauthn' AND revoked_at IS NULL", r -> new Object[] {r.string("id"), r.string("public_key"),
                r.longValue("sign_count")}, credentialId, humanId)).orElse(null);
        if (row == null) {
            audit.record(event("console.step_up", "failure", "human:" + humanId, humanId, "webauthn").withReason("unknown_credential"));
            throw new StepUpFailed("This security key is not enrolled for you.");
        }
        String factorId = (String) row[0];
        AttestedCredentialData attested = credentialData.convert(B64URL_DECODER.decode((String) row[1]));
        CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(), null, null, null, (Long) row[2], attested,
                null, null, null, null);
        AuthenticationData verified;
        try {
            verified = webauthn.verifyAuthenticationResponseJSON(responseJson, new AuthenticationParameters(serverProperty(challenge), record,
                    List.of(attested.getCredentialId()), false, true));
        } catch (RuntimeException e) {
            audit.record(event("console.step_up", "failure", "human:" + humanId, humanId, "webauthn:" + factorId).withReason(reason(e)));
            throw new StepUpFailed("The security key's answer did not verify: " + reason(e) + ".");
        }
        long count = verified.getAuthenticatorData().getSignCount();
        tx.inTransaction(() -> Sql.update(tx.connection(), "UPDATE console_factors SET sign_count = ?, last_used = ? WHERE id = ?",
                count, clock.instant(), factorId));
        audit.record(event("console.step_up", "success", "human:" + humanId, humanId, "webauthn:" + factorId));
        return get(factorId);
    }

    private ServerProperty serverProperty(byte[] challenge) {
        URI o = origin.get();
        return ServerProperty.builder().origin(Origin.create(o.getScheme() + "://" + o.getAuthority())).rpId(o.getHost())
                .challenge(new DefaultChallenge(challenge)).build();
    }

    private String rpId() { return origin.get().getHost(); }

    private List<String> credentialIds(String humanId) {
        return tx.inTransaction(() -> Sql.query(tx.connection(), "SELECT credential_id FROM console_factors WHERE human_id = ? AND type = 'webauthn'"
                + " AND revoked_at IS NULL ORDER BY created_at", r -> r.string("credential_id"), humanId));
    }

    /** A stable, opaque user handle: no personal data goes to the authenticator beyond the id the person already sees. */
    private static byte[] userHandle(String humanId) {
        return java.util.Arrays.copyOf(Secrets.sha256(("gatehouse-human:" + humanId).getBytes(StandardCharsets.UTF_8)), 32);
    }

    private Factor get(String id) {
        return tx.inTransaction(() -> Sql.one(tx.connection(), "SELECT " + COLUMNS + " FROM console_factors WHERE id = ?", StepUpFactors::factor, id)
                .orElseThrow());
    }

    private static String context(String factorId) { return "console-totp:" + factorId; }

    private static String label(String name, String fallback) {
        String l = name == null || name.isBlank() ? fallback : name.strip();
        if (l.length() > 100 || l.chars().anyMatch(Character::isISOControl)) throw new StepUpFailed("A factor's name is at most 100 plain characters.");
        return l;
    }

    /** The verifier's exception class names the failed check (bad origin, bad challenge, bad signature…) without any data. */
    private static String reason(RuntimeException e) {
        String n = e.getClass().getSimpleName().replace("Exception", "");
        return n.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }

    private static AuditEvent event(String type, String outcome, String actor, String humanId, String factor) {
        return AuditEvent.of(type, AuditEvent.Category.PRIVILEGED, outcome, actor).withSubject(humanId, "human", null)
                .withAction(type, "console").withDetail(Map.of("factor", factor));
    }

    private static Factor factor(Sql.Row r) throws SQLException {
        return new Factor(r.string("id"), r.string("human_id"), r.string("type"), r.string("name"), r.instant("created_at"), r.instant("last_used"),
                r.instant("confirmed_at") != null);
    }
}
