package dev.gatehouse.credentials;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.config.GatehouseConfig.FederatedIssuer;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.core.Slug;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.store.Transactions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Client authentication at the token endpoint (RFC 6749 §2.3, RFC 7523 §2.2, OIDC Core §9):
 * {@code client_secret_basic}, {@code client_secret_post}, {@code private_key_jwt}, and JWTs
 * from trusted external issuers (federated workload identity). Every failure is the same
 * {@code invalid_client}; the precise reason goes to the audit log only. The identity's
 * standing (active, owner active) is checked by the token service, not here.
 */
public final class ClientAuthenticator {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClientAuthenticator.class);
    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** Client assertions are meant to be minted per request; a long-lived one is a stolen-token risk and bloats the replay cache. */
    private static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(10);

    private final Transactions tx;
    private final CredentialRepository repo;
    private final RegistryService registry;
    private final FederatedIssuers federation;
    private final Clock clock;
    private final Supplier<String> issuer;
    private final UnmappedSubjects unmapped;

    public ClientAuthenticator(Transactions tx, RegistryService registry, FederatedIssuers federation, Clock clock, Supplier<String> issuer) {
        this(tx, registry, federation, clock, issuer, UnmappedSubjects.NONE);
    }

    /** {@code unmapped} hears of verified federated subjects that no identity is bound to (discovery). */
    public ClientAuthenticator(Transactions tx, RegistryService registry, FederatedIssuers federation, Clock clock, Supplier<String> issuer,
                               UnmappedSubjects unmapped) {
        this.unmapped = unmapped;
        this.tx = tx;
        this.repo = new CredentialRepository(tx);
        this.registry = registry;
        this.federation = federation;
        this.clock = clock;
        this.issuer = issuer;
    }

    public AuthenticatedClient authenticate(TokenRequest request) {
        AuthenticatedClient client = authenticated(request);
        // Authentication is being seen: lastSeen moves even when the grant that follows fails.
        registry.touch(client.identity().id(), clock.instant());
        String product = AuthenticatedClient.product(request.userAgent());
        return product == null ? client : new AuthenticatedClient(client.identity(), client.credentialId(), client.method(), client.attested(),
                client.binding(), product);
    }

    private AuthenticatedClient authenticated(TokenRequest request) {
        String authorization = request.authorization();
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        Optional<String> postSecret = request.param("client_secret");
        Optional<String> assertion = request.param("client_assertion");
        int methods = (basic ? 1 : 0) + (postSecret.isPresent() ? 1 : 0) + (assertion.isPresent() ? 1 : 0);
        if (methods > 1) {
            // RFC 6749 §2.3: a client must not use more than one authentication method per request.
            throw OAuthException.invalidRequest("use exactly one client authentication method");
        }
        if (basic) {
            String[] pair = basicPair(authorization.substring(6).trim());
            if (request.param("client_id").isPresent() && !request.param("client_id").get().equals(pair[0])) {
                throw OAuthException.invalidRequest("client_id does not match the Basic credentials");
            }
            return secret(pair[0], pair[1], "client_secret_basic");
        }
        if (postSecret.isPresent()) {
            return secret(request.param("client_id").orElseThrow(() -> OAuthException.invalidClient("client_id missing")),
                    postSecret.get(), "client_secret_post");
        }
        if (assertion.isPresent()) {
            if (!JWT_BEARER.equals(request.param("client_assertion_type").orElse(null))) {
                throw OAuthException.invalidRequest("client_assertion_type must be " + JWT_BEARER);
            }
            return assertion(assertion.get(), request.param("client_id").orElse(null));
        }
        throw OAuthException.invalidClient("no client authentication");
    }

    private AuthenticatedClient secret(String clientId, String secret, String method) {
        if (!Slug.isValid(clientId) || secret.isEmpty() || secret.length() > 256) throw OAuthException.invalidClient(method + ": malformed");
        String hash = Secrets.sha256Hex(secret);
        return tx.inTransaction(() -> {
            Instant now = clock.instant();
            ClientCredential c = repo.bySecretHash(clientId, hash, now)
                    .orElseThrow(() -> OAuthException.invalidClient(method + ": unknown client or wrong secret"));
            repo.touch(c.id(), now);
            return new AuthenticatedClient(identity(clientId), c.id(), method, false,
                    new CredentialBinding(c.id(), hash, clientId, CredentialBinding.CLIENT_SECRET, null));
        });
    }

    private AuthenticatedClient assertion(String value, String clientId) {
        SignedJWT jwt = JwtAssertions.parse(value, "client assertion");
        JWTClaimsSet claims = JwtAssertions.claims(jwt);
        Optional<FederatedIssuer> external = federation.find(claims.getIssuer());
        return external.isPresent() ? federated(jwt, claims, external.get(), clientId) : privateKeyJwt(jwt, claims, clientId);
    }

    /** RFC 7523 §3: iss = sub = client_id, aud = this server, exp required, jti single-use. */
    private AuthenticatedClient privateKeyJwt(SignedJWT jwt, JWTClaimsSet claims, String clientId) {
        String client = claims.getIssuer();
        if (client == null || !Slug.isValid(client) || !client.equals(claims.getSubject())
                || (clientId != null && !clientId.equals(client))) {
            throw OAuthException.invalidClient("private_key_jwt: iss/sub/client_id mismatch");
        }
        Instant now = clock.instant();
        String base = issuer.get();
        String problem = JwtAssertions.timeAndAudience(claims, now, List.of(base, base + "/oauth2/token"));
        if (problem != null) throw OAuthException.invalidClient("private_key_jwt: " + problem);
        Instant exp = claims.getExpirationTime().toInstant();
        if (exp.isAfter(now.plus(MAX_ASSERTION_LIFETIME).plus(JwtAssertions.SKEW))) {
            throw OAuthException.invalidClient("private_key_jwt: lifetime too long");
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isEmpty() || jti.length() > 256) throw OAuthException.invalidClient("private_key_jwt: jti missing");
        ClientCredential matched = tx.inTransaction(() -> {
            for (ClientCredential c : repo.usable(client, CredentialType.PRIVATE_KEY_JWT, now)) {
                JWK key = parse(c);
                String kid = jwt.getHeader().getKeyID();
                if (kid != null && key.getKeyID() != null && !kid.equals(key.getKeyID())) continue;
                if (JwtAssertions.verifiedBy(jwt, key)) return c;
            }
            return null;
        });
        if (matched == null) throw OAuthException.invalidClient("private_key_jwt: no registered key verifies the assertion");
        // Recorded in its own transaction, after the signature holds (so nobody can burn another client's jtis),
        // and committed even when the grant then fails: a seen assertion is spent.
        boolean first = tx.inTransaction(() -> {
            boolean fresh = repo.firstUse(client, jti, exp.plus(JwtAssertions.SKEW), now);
            if (fresh) repo.touch(matched.id(), now);
            return fresh;
        });
        if (!first) throw OAuthException.invalidClient("private_key_jwt: replayed assertion (jti seen before)");
        return new AuthenticatedClient(identity(client), matched.id(), "private_key_jwt", false,
                new CredentialBinding(matched.id(), matched.jwkThumbprint(), client, CredentialBinding.PRIVATE_KEY_JWT, null));
    }

    /** A JWT from a trusted external issuer: signature by its JWKS, its audience, then the claim → identity mapping. */
    private AuthenticatedClient federated(SignedJWT jwt, JWTClaimsSet claims, FederatedIssuer trusted, String clientId) {
        Instant now = clock.instant();
        String problem = JwtAssertions.timeAndAudience(claims, now, List.of(trusted.audience()));
        if (problem != null) throw OAuthException.invalidClient("federated: " + problem);
        JWK key = federation.key(trusted, jwt.getHeader().getKeyID())
                .orElseThrow(() -> OAuthException.invalidClient("federated: signing key not in the issuer's JWKS"));
        if (!JwtAssertions.verifiedBy(jwt, key)) throw OAuthException.invalidClient("federated: signature does not verify");
        String claim = trusted.identityClaim() == null || trusted.identityClaim().isBlank() ? "sub" : trusted.identityClaim();
        Object value = claims.getClaim(claim);
        if (!(value instanceof String external) || external.isEmpty()) throw OAuthException.invalidClient("federated: claim " + claim + " missing");
        String identityId = null;
        String credentialId = null;
        if (trusted.mapping() != null && trusted.mapping().containsKey(external)) {
            identityId = trusted.mapping().get(external);
        } else {
            List<ClientCredential> bound = tx.inTransaction(() -> repo.federated(trusted.issuer(), external, now));
            if (bound.size() == 1) {
                identityId = bound.get(0).identity();
                credentialId = bound.get(0).id();
                String id = credentialId;
                tx.run(() -> repo.touch(id, now));
            }
        }
        if (identityId == null) {
            try {
                unmapped.presented(trusted.issuer(), claim, external);
            } catch (RuntimeException e) {
                log.warn("could not record the unmapped federated subject of {}: {}", trusted.issuer(), e.getMessage());
            }
            throw OAuthException.invalidClient("federated: no identity mapped for this subject");
        }
        if (clientId != null && !clientId.equals(identityId)) throw OAuthException.invalidClient("federated: client_id mismatch");
        return new AuthenticatedClient(identity(identityId), credentialId, "federated", true,
                new CredentialBinding(credentialId, null, identityId, CredentialBinding.FEDERATED, trusted.issuer()));
    }

    private Identity identity(String id) {
        return registry.find(id).filter(i -> i.kind().isNonHuman())
                .orElseThrow(() -> OAuthException.invalidClient("client is not a registered workload or agent"));
    }

    private static JWK parse(ClientCredential c) {
        try {
            return JWK.parse(c.jwk());
        } catch (ParseException e) {
            throw new IllegalStateException("stored JWK of credential " + c.id() + " does not parse");
        }
    }

    /** RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding. */
    private static String[] basicPair(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient("client_secret_basic: malformed header");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) throw OAuthException.invalidClient("client_secret_basic: malformed header");
        try {
            return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient("client_secret_basic: malformed encoding");
        }
    }
}
