package dev.gatehouse.httpapi;

import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiRequest;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Router;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Envoy's {@code ext_authz} HTTP-service contract at {@code /ext-authz/{server}/…}: Envoy (or any proxy
 * speaking it) sends the original request's method, its path after the configured {@code path_prefix},
 * its headers (Authorization among them) and, with {@code with_request_body}, its body. 200 lets the
 * request through, and the answer's headers go upstream when Envoy's {@code allowed_upstream_headers}
 * name them; any other status is returned to the client with its body. The routes are public to
 * Gatehouse's own authentication: the agent's task token in {@code Authorization} is what is checked.
 * Tool servers' routes are managed at {@code /v1/tool-servers/{id}/http-routes}.
 */
public final class ExtAuthzRoutes {
    /** Every method an API request may have; HEAD is answered by the GET routes. */
    static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final String PREFIX = "/ext-authz/";

    public record RoutesRequest(List<HttpRoute> routes) {}

    private final HttpApiAuthorizer authorizer;
    private final HttpApis apis;

    public ExtAuthzRoutes(HttpApiAuthorizer authorizer, HttpApis apis) {
        this.authorizer = authorizer;
        this.apis = apis;
    }

    public void register(Router router) {
        for (String method : METHODS) {
            router.add(method, "/ext-authz/{server}", Access.PUBLIC, "Envoy ext_authz check of a request to the API's root", this::check);
            router.add(method, "/ext-authz/{server}/{rest...}", Access.PUBLIC, "Envoy ext_authz check of one request to a governed HTTP API",
                    this::check);
        }
        router.get("/v1/tool-servers/{id}/http-routes", Access.READ, "The HTTP routes of a governed API and the tools they map to",
                req -> ApiResponse.ok(Map.of("routes", apis.routes(req.pathParam("id")))));
        router.put("/v1/tool-servers/{id}/http-routes", Access.WRITE, "Replace the HTTP routes of a governed API (each maps to one of its tools)",
                req -> ApiResponse.ok(Map.of("routes", apis.replaceRoutes(req.pathParam("id"), req.body(RoutesRequest.class).routes(),
                        req.caller().actor()))));
    }

    private ApiResponse check(ApiRequest req) {
        String server = req.pathParam("server");
        // The original path: what follows /ext-authz/<server> (Envoy appends the request's path to path_prefix).
        String path = req.path().substring(Math.min(req.path().length(), PREFIX.length() + server.length()));
        if (path.isEmpty()) path = "/";
        boolean partial = req.header("x-envoy-auth-partial-body").map("true"::equalsIgnoreCase).orElse(false);
        HttpApiAuthorizer.Verdict verdict = authorizer.authorize(server,
                new HttpApiAuthorizer.HttpCall(req.method(), path, req.header("authorization").orElse(null), req.body(), partial));
        if (verdict instanceof HttpApiAuthorizer.Allowed allowed) {
            ApiResponse ok = ApiResponse.bytes(200, "text/plain", new byte[0]);
            allowed.upstreamHeaders().forEach(ok::header);
            return ok;
        }
        HttpApiAuthorizer.Refused refused = (HttpApiAuthorizer.Refused) verdict;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", refused.status() == 401 ? "unauthenticated" : refused.status() == 404 ? "not_found" : "forbidden");
        body.put("reason", refused.reason());
        body.put("message", refused.status() == 401 ? "a live Gatehouse task token is required (Authorization: Bearer …)"
                : "Gatehouse refused the request: " + refused.reason());
        ApiResponse answer = ApiResponse.json(refused.status(), body);
        if (refused.invalidToken()) answer.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        return answer;
    }
}
