package dev.gatehouse.credentials;

import dev.gatehouse.core.Problem;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiRequest;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Router;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /oauth2/token}, {@code /oauth2/introspect}, {@code /oauth2/revoke}: public routes that
 * authenticate on their own and answer errors in the RFC 6749 §5.2 shape {@code {error, error_description}}.
 */
public final class TokenRoutes {
    private final TokenEndpoint endpoint;

    public TokenRoutes(TokenEndpoint endpoint) { this.endpoint = endpoint; }

    public void register(Router r) {
        r.post("/oauth2/token", Access.PUBLIC, "Token endpoint: client_credentials (task tokens) and RFC 8693 token exchange (delegation)",
                req -> oauth(req, () -> ApiResponse.ok(endpoint.token(form(req)))));
        r.post("/oauth2/introspect", Access.PUBLIC, "Token introspection (RFC 7662): client credentials or an admin/PDP bearer token",
                req -> oauth(req, () -> ApiResponse.ok(endpoint.introspect(form(req), bearer(req)))));
        r.post("/oauth2/revoke", Access.PUBLIC, "Token revocation (RFC 7009): the holder's client credentials or an admin bearer token",
                req -> oauth(req, () -> {
                    endpoint.revoke(form(req), bearer(req));
                    return ApiResponse.ok(Map.of());
                }));
    }

    private static TokenRequest form(ApiRequest req) {
        String type = req.header("content-type").orElse("");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw OAuthException.invalidRequest("the body must be application/x-www-form-urlencoded");
        }
        String authorization = req.header("authorization").orElse(null);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) authorization = null;
        Map<String, List<String>> form;
        try {
            form = req.form();
        } catch (Problem.Invalid e) {
            throw OAuthException.invalidRequest(e.getMessage());
        }
        return new TokenRequest(form, authorization, req.header("user-agent").orElse(null), req.remoteAddress());
    }

    private static Optional<String> bearer(ApiRequest req) {
        return req.header("authorization").filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7)).map(a -> a.substring(7).trim());
    }

    private interface Call {
        ApiResponse run();
    }

    private static ApiResponse oauth(ApiRequest req, Call call) {
        try {
            return call.run().header("Pragma", "no-cache");
        } catch (OAuthException e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.error());
            body.put("error_description", e.getMessage());
            ApiResponse response = ApiResponse.json(e.status(), body).header("Pragma", "no-cache");
            if (e.retryAfterSeconds() > 0) response.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            if (e.status() == 401) {
                // RFC 6749 §5.2: answer 401 with the scheme the client tried.
                boolean basic = req.header("authorization").map(a -> a.regionMatches(true, 0, "Basic ", 0, 6)).orElse(false);
                response.header("WWW-Authenticate", basic ? "Basic realm=\"gatehouse\"" : "Bearer realm=\"gatehouse\"");
            }
            return response;
        }
    }
}
