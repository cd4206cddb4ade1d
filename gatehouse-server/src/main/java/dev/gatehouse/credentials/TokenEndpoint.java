package dev.gatehouse.credentials;

import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.http.Authenticator;
import dev.gatehouse.http.Caller;
import dev.gatehouse.store.Budgets;
import java.text.ParseException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The OAuth endpoints' logic: {@code /oauth2/token} (client credentials, RFC 8693 exchange),
 * {@code /oauth2/introspect} (RFC 7662) and {@code /oauth2/revoke} (RFC 7009). Every refusal
 * is recorded with its precise reason, while the caller gets only the standard error code.
 */
public final class TokenEndpoint {
    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";

    private final ClientAuthenticator clients;
    private final TokenService tokens;
    private final Authenticator admins;
    private final AuditLog audit;
    private final ClientAuthThrottle throttle;

    /**
     * @param budgets where failed authentications are counted (cluster-wide on PostgreSQL)
     * @param failuresPerClient failed authentications per claimed client id per minute before 429 (0: none)
     * @param failuresPerAddress failed authentications per source address per minute before 429 (0: none)
     */
    public TokenEndpoint(ClientAuthenticator clients, TokenService tokens, Authenticator admins, AuditLog audit,
                         Budgets budgets, Clock clock, int failuresPerClient, int failuresPerAddress) {
        this.clients = clients;
        this.tokens = tokens;
        this.admins = admins;
        this.audit = audit;
        this.throttle = new ClientAuthThrottle(budgets, clock, audit, failuresPerClient, failuresPerAddress);
    }

    /** Client authentication behind the throttle: refused at once while throttled, and every failure counted. */
    private AuthenticatedClient authenticate(TokenRequest request) {
        String claimed = claimedClient(request);
        throttle.check(claimed, request.remoteAddress());
        try {
            return clients.authenticate(request);
        } catch (OAuthException e) {
            if (e.status() == 401) throttle.failed(claimed, request.remoteAddress());
            throw e;
        }
    }

    public IssuedToken token(TokenRequest request) {
        String grant = request.param("grant_type").orElse(null);
        AuthenticatedClient client = null;
        try {
            if (grant == null) throw OAuthException.invalidRequest("grant_type is required");
            if (!grant.equals("client_credentials") && !grant.equals(TOKEN_EXCHANGE)) {
                throw new OAuthException("unsupported_grant_type", "grant_type must be client_credentials or " + TOKEN_EXCHANGE,
                        "unsupported grant type");
            }
            client = authenticate(request);
            if (grant.equals("client_credentials")) {
                return tokens.clientCredentials(client, request.param("task_intent").orElse(null), request.param("scope").orElse(null),
                        request.param("ttl").orElse(null), request.param("use_case").orElse(null));
            }
            requireTokenType(request, "subject_token_type", true);
            if (request.param("actor_token").isPresent()) requireTokenType(request, "actor_token_type", true);
            else if (request.param("actor_token_type").isPresent()) throw OAuthException.invalidRequest("actor_token_type without actor_token");
            request.param("requested_token_type").ifPresent(t -> {
                if (!t.equals(TaskBroker.ACCESS_TOKEN_TYPE)) throw OAuthException.invalidRequest("requested_token_type must be " + TaskBroker.ACCESS_TOKEN_TYPE);
            });
            return tokens.exchange(client, request.required("subject_token"), request.param("actor_token").orElse(null),
                    request.param("scope").orElse(null), request.param("ttl").orElse(null));
        } catch (OAuthException e) {
            AuditEvent refused = AuditEvent.of("token.refused", AuditEvent.Category.PRIVILEGED, "failure",
                            client == null ? "anonymous" : "identity:" + client.identity().id())
                    .withAction(grant == null || grant.length() > 80 ? "unknown" : grant, null)
                    .withReason(e.error() + ": " + e.auditReason());
            if (client != null) {
                refused = refused.withSubject(client.identity().id(), client.identity().kind().wire(), client.identity().owner());
            } else {
                // Who it claimed to be (never the secret or assertion), to spot credential stuffing per client.
                refused = refused.withDetail(Map.of("claimedClient", claimedClient(request)));
            }
            audit.record(refused);
            throw e;
        }
    }

    /** RFC 7662: admin tokens see every token; a client sees only tokens it holds (others are "inactive"). */
    public Map<String, Object> introspect(TokenRequest request, Optional<String> bearer) {
        String holder = caller(request, bearer);
        String token = request.required("token");
        TokenStatus status = tokens.check(token);
        if (status instanceof TokenStatus.Active active && (holder == null || holder.equals(active.token().holder()))) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("active", true);
            out.put("token_type", "Bearer");
            out.putAll(active.token().claims());
            return out;
        }
        return Map.of("active", false);
    }

    /** RFC 7009: always 200 for unknown tokens; a client may revoke only what it holds. */
    public void revoke(TokenRequest request, Optional<String> bearer) {
        String holder = caller(request, bearer);
        String token = request.required("token");
        request.param("token_type_hint").ifPresent(h -> {
            if (!h.equals("access_token")) throw new OAuthException("unsupported_token_type", "only access tokens are revocable", "hint " + h);
        });
        tokens.revoke(token, holder, holder == null ? actorOf(bearer) : "identity:" + holder);
    }

    /** Null for an admin/PDP bearer token; else the authenticated client's identity id. */
    private String caller(TokenRequest request, Optional<String> bearer) {
        if (bearer.isPresent()) {
            Caller c = admins.authenticate(bearer.get()).orElseThrow(() -> OAuthException.invalidClient("unknown bearer token"));
            if (c.role() == Caller.Role.IDENTITY) throw OAuthException.invalidClient("task tokens cannot introspect");
            return null;
        }
        return authenticate(request).identity().id();
    }

    private String actorOf(Optional<String> bearer) {
        return bearer.flatMap(admins::authenticate).map(Caller::actor).orElse("anonymous");
    }

    private static void requireTokenType(TokenRequest request, String param, boolean required) {
        String type = required ? request.required(param) : request.param(param).orElse(null);
        if (type != null && !type.equals(TaskBroker.ACCESS_TOKEN_TYPE) && !type.equals(JWT_TOKEN_TYPE)) {
            throw OAuthException.invalidRequest(param + " must be " + TaskBroker.ACCESS_TOKEN_TYPE);
        }
    }

    private static String unverifiedIssuer(String assertion) {
        try {
            String iss = SignedJWT.parse(assertion).getJWTClaimsSet().getIssuer();
            return iss == null ? "" : iss;
        } catch (ParseException | RuntimeException e) {
            return "";
        }
    }

    /** The client id a failed request named (form or Basic user part), never anything after the colon. */
    private static String claimedClient(TokenRequest request) {
        String id = request.param("client_id").orElse("");
        String authorization = request.authorization();
        if (id.isEmpty() && authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(java.util.Base64.getDecoder().decode(authorization.substring(6).trim()), java.nio.charset.StandardCharsets.UTF_8);
                id = pair.contains(":") ? pair.substring(0, pair.indexOf(':')) : "";
            } catch (IllegalArgumentException e) {
                id = "";
            }
        }
        if (id.isEmpty()) {
            // An assertion names its client in iss (unverified here: it is only what the request claims).
            id = request.param("client_assertion").map(TokenEndpoint::unverifiedIssuer).orElse("");
        }
        return id.matches("[a-z0-9-]{1,64}") ? id : "(none)";
    }
}
