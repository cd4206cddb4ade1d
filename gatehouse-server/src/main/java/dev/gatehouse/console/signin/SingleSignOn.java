package dev.gatehouse.console.signin;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * OpenID Connect sign-in with the authorization code flow and PKCE (RFC 7636, S256), on the Nimbus OAuth 2.0
 * SDK: the provider's metadata comes from its discovery document, the ID token is validated by Nimbus
 * ({@link IDTokenValidator}: signature against the provider's JWKS, issuer, audience, expiry, nonce).
 *
 * <p>The PKCE verifier and nonce of a sign-in in flight stay in the store under the SHA-256 of its
 * {@code state}; the callback is accepted once, within ten minutes, and only from the browser that started
 * it (its pre-sign-in cookie), so a link crafted by someone else cannot sign a victim in as the attacker.
 */
public final class SingleSignOn {
    static final Duration IN_FLIGHT = Duration.ofMinutes(10);

    /** What the console's configuration says about the provider. */
    public record Provider(String issuer, String clientId, String clientSecret, List<String> scopes, String groupsClaim) {
        public boolean configured() { return issuer != null && !issuer.isBlank(); }
    }

    private final Provider provider;
    private final Supplier<URI> redirectUri;
    private final Transactions tx;
    private final Clock clock;
    private volatile OIDCProviderMetadata metadata;

    public SingleSignOn(Provider provider, Supplier<URI> redirectUri, Transactions tx, Clock clock) {
        if (provider.configured() && (provider.clientId() == null || provider.clientId().isBlank())) {
            throw new IllegalArgumentException("console.oidc.clientId is required when console.oidc.issuer is set");
        }
        this.provider = provider;
        this.redirectUri = redirectUri;
        this.tx = tx;
        this.clock = clock;
    }

    public boolean configured() { return provider.configured(); }

    /**
     * Starts a sign-in for the browser identified by {@code browser} (its pre-sign-in cookie value): returns
     * where to send it at the provider.
     */
    public URI start(String browser) {
        OIDCProviderMetadata meta = metadata();
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        Instant now = clock.instant();
        tx.inTransaction(() -> Sql.update(tx.connection(), "INSERT INTO console_sign_ins (state_hash, browser_hash, code_verifier, nonce,"
                + " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)", Secrets.sha256Hex(state.getValue()), Secrets.sha256Hex(browser),
                verifier.getValue(), nonce.getValue(), now, now.plus(IN_FLIGHT)));
        return new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new Scope(provider.scopes().toArray(String[]::new)),
                new ClientID(provider.clientId()), redirectUri.get())
                .endpointURI(meta.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build().toURI();
    }

    /**
     * Finishes a sign-in from the provider's redirect: {@code code} and {@code state} as received, {@code browser}
     * the pre-sign-in cookie. Returns the person the validated ID token names.
     */
    public IdpPerson finish(String code, String state, String browser) {
        if (state == null || state.isBlank() || state.length() > 500) throw new SignInRefused("state_missing", "The sign-in response has no valid state.");
        if (code == null || code.isBlank() || code.length() > 4000) throw new SignInRefused("code_missing", "The sign-in response has no code.");
        String[] inFlight = tx.inTransaction(() -> {
            String hash = Secrets.sha256Hex(state);
            String[] row = Sql.one(tx.connection(), "SELECT browser_hash, code_verifier, nonce, expires_at FROM console_sign_ins WHERE state_hash = ? FOR UPDATE",
                    r -> new String[] {r.string("browser_hash"), r.string("code_verifier"), r.string("nonce"), r.instant("expires_at").toString()}, hash)
                    .orElse(null);
            // Used once: a replayed callback finds nothing.
            Sql.update(tx.connection(), "DELETE FROM console_sign_ins WHERE state_hash = ?", hash);
            return row;
        });
        if (inFlight == null) throw new SignInRefused("state_unknown", "This sign-in is unknown or was already used; start again.");
        if (!Instant.parse(inFlight[3]).isAfter(clock.instant())) throw new SignInRefused("state_expired", "This sign-in took too long; start again.");
        if (browser == null || !Secrets.sameHash(inFlight[0], Secrets.sha256Hex(browser))) {
            throw new SignInRefused("browser_mismatch", "This sign-in was started in another browser; start again here.");
        }
        OIDCProviderMetadata meta = metadata();
        ClientID clientId = new ClientID(provider.clientId());
        ClientAuthentication auth = provider.clientSecret() == null || provider.clientSecret().isBlank() ? null
                : new ClientSecretBasic(clientId, new Secret(provider.clientSecret()));
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri.get(), new CodeVerifier(inFlight[1]));
        TokenRequest request = auth == null ? new TokenRequest.Builder(meta.getTokenEndpointURI(), clientId, grant).build()
                : new TokenRequest.Builder(meta.getTokenEndpointURI(), auth, grant).build();
        TokenResponse response;
        try {
            HTTPRequest http = request.toHTTPRequest();
            http.setConnectTimeout(5_000);
            http.setReadTimeout(10_000);
            response = OIDCTokenResponseParser.parse(http.send());
        } catch (Exception e) {
            throw new SignInRefused("token_exchange_failed", "The identity provider could not be reached to finish the sign-in.", e);
        }
        if (!response.indicatesSuccess()) {
            TokenErrorResponse error = response.toErrorResponse();
            // The provider's error code only: its description could echo request material.
            throw new SignInRefused("token_exchange_refused", "The identity provider refused the sign-in ("
                    + (error.getErrorObject() == null ? "no error code" : error.getErrorObject().getCode()) + ").");
        }
        JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
        IDTokenClaimsSet claims;
        try {
            IDTokenValidator validator = new IDTokenValidator(meta.getIssuer(), clientId, JWSAlgorithm.RS256, meta.getJWKSetURI().toURL());
            claims = validator.validate(idToken, new Nonce(inFlight[2]));
        } catch (Exception e) {
            throw new SignInRefused("id_token_invalid", "The identity provider's ID token did not validate.", e);
        }
        Boolean verified = claims.getBooleanClaim("email_verified");
        String email = Boolean.FALSE.equals(verified) ? null : claims.getStringClaim("email");
        List<String> groups = new ArrayList<>();
        Object raw = claims.getClaim(provider.groupsClaim());
        if (raw instanceof List<?> list) {
            list.forEach(g -> { if (g != null) groups.add(g.toString()); });
        } else if (raw instanceof String single) {
            groups.add(single);
        }
        String name = claims.getStringClaim("name");
        return new IdpPerson(claims.getIssuer().getValue(), claims.getSubject().getValue(), email, name, List.copyOf(groups));
    }

    /** The provider's discovery document, read on first use (the provider may start after Gatehouse). */
    private OIDCProviderMetadata metadata() {
        OIDCProviderMetadata m = metadata;
        if (m != null) return m;
        try {
            m = OIDCProviderMetadata.resolve(new Issuer(provider.issuer()), 5_000, 10_000);
        } catch (Exception e) {
            throw new SignInRefused("provider_unavailable", "The identity provider's discovery document could not be read.", e);
        }
        metadata = m;
        return m;
    }
}
