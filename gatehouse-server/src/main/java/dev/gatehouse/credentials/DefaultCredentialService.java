package dev.gatehouse.credentials;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Problem;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Vocabulary.IdentityStatus;
import dev.gatehouse.store.Transactions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Client credentials over the JDBC store; secrets exist in plaintext only in the response that creates them. */
public final class DefaultCredentialService implements CredentialService {
    static final String SECRET_PREFIX = "ghcs_";
    private static final Duration DEFAULT_SECRET_LIFETIME = Duration.ofDays(90);
    private static final Duration MAX_SECRET_LIFETIME = Duration.ofDays(365);

    private final Transactions tx;
    private final CredentialRepository repo;
    private final RegistryService registry;
    private final Secrets secrets;
    private final Clock clock;
    private final AuditLog audit;
    private final Duration defaultOverlap;
    private final Set<String> trustedIssuers;

    public DefaultCredentialService(Transactions tx, RegistryService registry, Secrets secrets, Clock clock, AuditLog audit,
                                    Duration defaultOverlap, Set<String> trustedIssuers) {
        this.tx = tx;
        this.repo = new CredentialRepository(tx);
        this.registry = registry;
        this.secrets = secrets;
        this.clock = clock;
        this.audit = audit;
        this.defaultOverlap = defaultOverlap;
        this.trustedIssuers = Set.copyOf(trustedIssuers);
    }

    /** Runs {@code then} in the transaction of every rotation or revocation (wired to the live token check). */
    public void onCredentialsChanged(Runnable then) { repo.onChanged(then); }

    @Override
    public IssuedCredential add(String identityId, CredentialSpec spec, String actor) {
        if (spec == null || spec.type() == null) {
            throw new Problem.Invalid("type", "type is required (client_secret, private_key_jwt or federated)");
        }
        return tx.inTransaction(() -> {
            Identity identity = credentialHolder(identityId);
            Instant now = clock.instant();
            String id = secrets.newId("cred_");
            String secret = null;
            switch (spec.type()) {
                case CLIENT_SECRET -> {
                    if (spec.jwk() != null || spec.issuer() != null || spec.subject() != null) {
                        throw new Problem.Invalid("type", "a client_secret credential takes no jwk, issuer or subject");
                    }
                    Instant expires = expiry(spec.expiresAt(), now);
                    secret = SECRET_PREFIX + secrets.newSecret("");
                    repo.insert(id, identity.id(), spec.type(), Secrets.sha256Hex(secret), null, null, null, null, expires, now, actor);
                }
                case PRIVATE_KEY_JWT -> {
                    if (spec.issuer() != null || spec.subject() != null) {
                        throw new Problem.Invalid("type", "a private_key_jwt credential takes a jwk only");
                    }
                    JWK jwk = publicJwk(spec.jwk());
                    repo.insert(id, identity.id(), spec.type(), null, jwk.toJSONString(), thumbprint(jwk), null, null,
                            optionalExpiry(spec.expiresAt(), now), now, actor);
                }
                case FEDERATED -> {
                    if (spec.jwk() != null) throw new Problem.Invalid("jwk", "a federated credential takes issuer and subject, no jwk");
                    if (spec.issuer() == null || !trustedIssuers.contains(spec.issuer())) {
                        throw new Problem.Invalid("issuer", "issuer must be one of the trusted issuers configured under credentials.federation");
                    }
                    if (spec.subject() == null || spec.subject().isBlank() || spec.subject().length() > 500) {
                        throw new Problem.Invalid("subject", "subject is required (the external token's identifying claim value, at most 500 characters)");
                    }
                    if (!repo.federated(spec.issuer(), spec.subject(), now).isEmpty()) {
                        throw new Problem.Conflict("this issuer and subject are already bound to an identity", "subject");
                    }
                    repo.insert(id, identity.id(), spec.type(), null, null, null, spec.issuer(), spec.subject(),
                            optionalExpiry(spec.expiresAt(), now), now, actor);
                }
                default -> throw new IllegalStateException();
            }
            ClientCredential created = repo.find(identity.id(), id, false, now).orElseThrow();
            audit.record(event("credential.created", actor, identity, created));
            return new IssuedCredential(created, secret);
        });
    }

    @Override
    public List<ClientCredential> list(String identityId) {
        return tx.inTransaction(() -> {
            registry.get(identityId);
            return repo.list(identityId, clock.instant());
        });
    }

    @Override
    public IssuedCredential rotate(String identityId, String credentialId, RotateSpec spec, String actor) {
        RotateSpec s = spec == null ? new RotateSpec(null, null) : spec;
        return tx.inTransaction(() -> {
            Identity identity = credentialHolder(identityId);
            Instant now = clock.instant();
            ClientCredential current = repo.find(identityId, credentialId, true, now)
                    .orElseThrow(() -> new Problem.NotFound("credential '" + credentialId + "' not found"));
            if (!current.status().equals("active")) {
                throw new Problem.Conflict("credential '" + credentialId + "' is " + current.status() + " and cannot be rotated", "id");
            }
            String secret = null;
            switch (current.type()) {
                case CLIENT_SECRET -> {
                    if (s.jwk() != null) throw new Problem.Invalid("jwk", "a client secret rotation takes no jwk");
                    Duration overlap = defaultOverlap;
                    if (s.overlapSeconds() != null) {
                        if (s.overlapSeconds() < 0 || s.overlapSeconds() > 7 * 86400) {
                            throw new Problem.Invalid("overlapSeconds", "overlapSeconds must be between 0 and 604800 (7 days)");
                        }
                        overlap = Duration.ofSeconds(s.overlapSeconds());
                    }
                    Duration lifetime = current.expiresAt() == null ? DEFAULT_SECRET_LIFETIME
                            : Duration.between(current.rotatedAt() == null ? current.createdAt() : current.rotatedAt(), current.expiresAt());
                    secret = SECRET_PREFIX + secrets.newSecret("");
                    repo.rotateSecret(current.id(), Secrets.sha256Hex(secret), now, now.plus(overlap), now.plus(lifetime));
                }
                case PRIVATE_KEY_JWT -> {
                    if (s.overlapSeconds() != null) throw new Problem.Invalid("overlapSeconds", "key rotation replaces the key at once; add a second credential for an overlap");
                    JWK jwk = publicJwk(s.jwk());
                    repo.rotateKey(current.id(), jwk.toJSONString(), thumbprint(jwk), now);
                }
                case FEDERATED -> throw new Problem.Conflict("federated credentials have nothing to rotate; revoke and add another", "type");
                default -> throw new IllegalStateException();
            }
            ClientCredential rotated = repo.find(identityId, credentialId, false, now).orElseThrow();
            audit.record(event("credential.rotated", actor, identity, rotated));
            return new IssuedCredential(rotated, secret);
        });
    }

    @Override
    public ClientCredential revoke(String identityId, String credentialId, String actor) {
        return tx.inTransaction(() -> {
            Identity identity = registry.get(identityId);
            Instant now = clock.instant();
            ClientCredential current = repo.find(identityId, credentialId, true, now)
                    .orElseThrow(() -> new Problem.NotFound("credential '" + credentialId + "' not found"));
            if (current.revokedAt() != null) {
                throw new Problem.Conflict("credential '" + credentialId + "' is already revoked", "id");
            }
            repo.revoke(current.id(), now, actor);
            ClientCredential revoked = repo.find(identityId, credentialId, false, now).orElseThrow();
            audit.record(event("credential.revoked", actor, identity, revoked));
            return revoked;
        });
    }

    /** Revokes every credential of a retired identity (called from the registry listener, inside its transaction). */
    int revokeAll(Identity identity, String actor) {
        return revokeAll(identity, actor, "all credentials of " + identity.id() + " (" + identity.status().wire() + ")");
    }

    /** Revokes every credential of {@code identity} inside the caller's transaction, recording {@code reason}. */
    int revokeAll(Identity identity, String actor, String reason) {
        int n = repo.revokeAllOf(identity.id(), clock.instant(), actor);
        if (n > 0) {
            audit.record(AuditEvent.of("credential.revoked", AuditEvent.Category.PRIVILEGED, "success", actor)
                    .withSubject(identity.id(), identity.kind().wire(), identity.owner())
                    .withReason(reason).withDetail(Map.of("count", n)));
        }
        return n;
    }

    private Identity credentialHolder(String identityId) {
        Identity identity = registry.get(identityId);
        if (!identity.kind().isNonHuman()) {
            throw new Problem.Invalid("id", "only workloads and agents have client credentials; humans sign in through their identity provider");
        }
        if (identity.status() == IdentityStatus.RETIRED) {
            throw new Problem.Conflict("identity '" + identityId + "' is retired", "status");
        }
        return identity;
    }

    private Instant expiry(Instant requested, Instant now) {
        if (requested == null) return now.plus(DEFAULT_SECRET_LIFETIME);
        return optionalExpiry(requested, now);
    }

    private static Instant optionalExpiry(Instant requested, Instant now) {
        if (requested == null) return null;
        if (!requested.isAfter(now)) throw new Problem.Invalid("expiresAt", "expiresAt must be in the future");
        if (requested.isAfter(now.plus(MAX_SECRET_LIFETIME))) throw new Problem.Invalid("expiresAt", "expiresAt must be within 365 days");
        return requested;
    }

    /** A public signing key we can verify: EC P-256/384/521 or RSA of at least 2048 bits, and never a private key. */
    static JWK publicJwk(Map<String, Object> raw) {
        if (raw == null) throw new Problem.Invalid("jwk", "jwk is required (the client's public key as a JWK)");
        JWK jwk;
        try {
            jwk = JWK.parse(raw);
        } catch (ParseException | RuntimeException e) {
            throw new Problem.Invalid("jwk", "jwk is not a valid JSON Web Key");
        }
        if (jwk.isPrivate()) {
            // The private half must never leave the client; refusing it also keeps it out of our store.
            throw new Problem.Invalid("jwk", "jwk contains private key material; register the public key only");
        }
        if (jwk instanceof ECKey ec) {
            if (!Set.of(Curve.P_256, Curve.P_384, Curve.P_521).contains(ec.getCurve())) {
                throw new Problem.Invalid("jwk", "EC keys must use P-256, P-384 or P-521");
            }
        } else if (jwk instanceof RSAKey rsa) {
            if (rsa.size() < 2048) throw new Problem.Invalid("jwk", "RSA keys must have at least 2048 bits");
        } else {
            throw new Problem.Invalid("jwk", "jwk must be an EC or RSA public key");
        }
        return jwk.toPublicJWK();
    }

    private static String thumbprint(JWK jwk) {
        try {
            return jwk.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new Problem.Invalid("jwk", "jwk thumbprint cannot be computed");
        }
    }

    private static AuditEvent event(String type, String actor, Identity identity, ClientCredential c) {
        return AuditEvent.of(type, AuditEvent.Category.PRIVILEGED, "success", actor)
                .withSubject(identity.id(), identity.kind().wire(), identity.owner())
                .withAction(type, c.id())
                .withDetail(Map.of("credentialType", c.type().wire()));
    }
}
