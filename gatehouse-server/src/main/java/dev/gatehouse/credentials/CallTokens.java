package dev.gatehouse.credentials;

import dev.gatehouse.core.Json;
import dev.gatehouse.core.Secrets;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Tokens Gatehouse mints for the servers behind its gateway: one per upstream request, so a tool server learns
 * who each call is for without the gateway holding a standing secret for it. Signed with Gatehouse's signing keys
 * (verifiable against {@code /.well-known/jwks.json}), audience-bound to one upstream (RFC 8707 resource), living
 * at most {@link #LIFETIME}. The identity claims are copied from the verified task token — {@code sub} (the task's
 * identity), {@code act} (the delegates, RFC 8693 §4.1 nesting), {@code owner} — so they say exactly what the token
 * the agent presented said. Nothing is stored: minting is a signature, replay protection is the upstream's ({@code jti}
 * is unique).
 */
public final class CallTokens {
    /** The JOSE {@code typ} of a call token: distinct from task tokens ({@code at+jwt}), so neither passes for the other. */
    public static final String TYPE = "gatehouse-call+jwt";
    public static final Duration LIFETIME = Duration.ofSeconds(60);

    /**
     * What one upstream request is for: the MCP method, and for a governed action the kind of object ({@code tool},
     * {@code resource}, {@code prompt}), its name or URI, and the digest of the payload (the audit record's
     * {@code argumentsDigest}). A request that uses no object (initialize, listings, ping) names only its method.
     */
    public record Purpose(String method, String kind, String object, String argumentsDigest) {
        public static Purpose of(String method) { return new Purpose(method, null, null, null); }
    }

    private final Signer signer;
    private final Supplier<String> issuer;
    private final Clock clock;
    private final Secrets secrets;

    public CallTokens(Signer signer, Supplier<String> issuer, Clock clock, Secrets secrets) {
        this.signer = signer;
        this.issuer = issuer;
        this.clock = clock;
        this.secrets = secrets;
    }

    /**
     * A token for one request to {@code audience}. {@code onBehalfOf}: the human the task's identity acts for, or "";
     * {@code purpose}: null for a token that names no request (a subject token for token exchange).
     */
    public String mint(VerifiedToken token, String onBehalfOf, String audience, Purpose purpose) {
        Instant now = clock.instant();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer.get());
        claims.put("sub", token.claims().get("sub"));
        claims.put("aud", audience);
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.plus(LIFETIME).getEpochSecond());
        claims.put("jti", secrets.newSecret(""));
        claims.put("client_id", token.holder());
        if (token.claims().get("act") != null) claims.put("act", token.claims().get("act"));
        claims.put("task_id", token.taskId());
        if (token.claims().get("kind") != null) claims.put("kind", token.claims().get("kind"));
        if (token.claims().get("owner") != null) claims.put("owner", token.claims().get("owner"));
        if (onBehalfOf != null && !onBehalfOf.isEmpty()) claims.put("on_behalf_of", onBehalfOf);
        if (purpose != null) {
            Map<String, Object> mcp = new LinkedHashMap<>();
            mcp.put("method", purpose.method());
            if (purpose.kind() != null) mcp.put(purpose.kind(), purpose.object());
            if (purpose.argumentsDigest() != null) mcp.put("arguments_digest", purpose.argumentsDigest());
            claims.put("mcp", mcp);
        }
        return signer.sign(TYPE, Json.write(claims).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An RFC 7523 client assertion ({@code private_key_jwt}) by which Gatehouse authenticates as OAuth client
     * {@code clientId} to an authorization server whose issuer is {@code audience}; signed with the same keys, so the
     * server verifies it against Gatehouse's JWKS URL, registered as the client's {@code jwks_uri}.
     */
    public String clientAssertion(String clientId, String audience) {
        Instant now = clock.instant();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", clientId);
        claims.put("sub", clientId);
        claims.put("aud", audience);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(LIFETIME).getEpochSecond());
        claims.put("jti", secrets.newSecret(""));
        // RFC 7523bis: an explicit type keeps the assertion from being taken for any other JWT.
        return signer.sign("client-authentication+jwt", Json.write(claims).getBytes(StandardCharsets.UTF_8));
    }
}
