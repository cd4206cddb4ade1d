package dev.gatehouse.gateway;

import dev.gatehouse.core.Problem;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiRequest;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Router;
import java.util.Map;

/**
 * {@code /v1/tool-servers/{id}/upstream-credential}: set, show (never the secret) and remove a tool server's static
 * upstream credential — server-wide, or with {@code ?identity=} / {@code ?owner=} the one bound to a caller;
 * {@code /v1/tool-servers/{id}/upstream-credentials} lists them all.
 */
public final class UpstreamCredentialRoutes {
    private final UpstreamCredentials credentials;

    public UpstreamCredentialRoutes(UpstreamCredentials credentials) { this.credentials = credentials; }

    public void register(Router r) {
        String path = "/v1/tool-servers/{id}/upstream-credential";
        r.put(path, Access.WRITE, "Set the credential the gateway injects when forwarding to this tool server (stored encrypted), "
                        + "server-wide or bound to an identity or an owner",
                req -> ApiResponse.ok(credentials.set(req.pathParam("id"), req.body(UpstreamCredentials.Spec.class), req.caller().actor())));
        r.get(path, Access.READ, "Describe a tool server's upstream credential (never the secret); ?identity= or ?owner= for a bound one",
                req -> ApiResponse.ok(credentials.describe(req.pathParam("id"), binding(req)).orElseThrow(() ->
                        new Problem.NotFound("tool server '" + req.pathParam("id") + "' has no upstream credential for " + binding(req).label()))));
        r.delete(path, Access.WRITE, "Remove a tool server's upstream credential; ?identity= or ?owner= for a bound one", req -> {
            credentials.remove(req.pathParam("id"), binding(req), req.caller().actor());
            return ApiResponse.noContent();
        });
        r.get("/v1/tool-servers/{id}/upstream-credentials", Access.READ, "List a tool server's upstream credentials, bound and "
                + "server-wide (never the secrets)", req -> ApiResponse.ok(Map.of("items", credentials.list(req.pathParam("id")))));
    }

    private static UpstreamCredentials.Binding binding(ApiRequest req) {
        req.onlyQuery("identity", "owner");
        return UpstreamCredentials.Binding.of(req.query("identity").orElse(null), req.query("owner").orElse(null));
    }
}
