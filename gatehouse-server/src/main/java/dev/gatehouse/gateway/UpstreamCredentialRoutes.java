package dev.gatehouse.gateway;

import dev.gatehouse.core.Problem;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Router;

/** {@code /v1/tool-servers/{id}/upstream-credential}: set, show (never the secret) and remove a tool server's upstream credential. */
public final class UpstreamCredentialRoutes {
    private final UpstreamCredentials credentials;

    public UpstreamCredentialRoutes(UpstreamCredentials credentials) { this.credentials = credentials; }

    public void register(Router r) {
        String path = "/v1/tool-servers/{id}/upstream-credential";
        r.put(path, Access.WRITE, "Set the credential the gateway injects when forwarding to this tool server (stored encrypted)",
                req -> ApiResponse.ok(credentials.set(req.pathParam("id"), req.body(UpstreamCredentials.Spec.class), req.caller().actor())));
        r.get(path, Access.READ, "Describe a tool server's upstream credential (never the secret)",
                req -> ApiResponse.ok(credentials.describe(req.pathParam("id"))
                        .orElseThrow(() -> new Problem.NotFound("tool server '" + req.pathParam("id") + "' has no upstream credential"))));
        r.delete(path, Access.WRITE, "Remove a tool server's upstream credential", req -> {
            credentials.remove(req.pathParam("id"), req.caller().actor());
            return ApiResponse.noContent();
        });
    }
}
