package dev.gatehouse.posture.discovery;

import dev.gatehouse.core.Problem;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Router;
import java.util.Map;

/** {@code /v1/discovery}: import real exports, list what was found, adopt it into the inventory. */
public final class DiscoveryRoutes {
    public record ImportRequest(String format, String content) {}

    private final DiscoveryService discovery;

    public DiscoveryRoutes(DiscoveryService discovery) { this.discovery = discovery; }

    public void register(Router r) {
        r.post("/v1/discovery/import", Access.SECURITY,
                "Import an export (aws-iam-credential-report, kubernetes-serviceaccounts, github-app-installations): each entry becomes an unmanaged discovered identity",
                req -> {
                    ImportRequest body = req.body(ImportRequest.class);
                    return ApiResponse.ok(discovery.importExport(body.format(), body.content(), req.caller().actor()));
                });
        r.get("/v1/discovery", Access.READ, "Discovered non-human identities (filters: status unmanaged|adopted, source; limit)", req -> {
            req.onlyQuery("status", "source", "limit");
            int limit = 1000;
            if (req.query("limit").isPresent()) {
                try {
                    limit = Integer.parseInt(req.query("limit").get());
                } catch (NumberFormatException e) {
                    throw new Problem.Invalid("limit", "limit must be between 1 and 1000");
                }
            }
            return ApiResponse.ok(Map.of("items", discovery.list(req.query("status").orElse(null), req.query("source").orElse(null), limit)));
        });
        r.get("/v1/discovery/{id}", Access.READ, "One discovered identity with the facts its source gave", req ->
                ApiResponse.ok(discovery.get(req.pathParam("id"))));
        r.post("/v1/discovery/{id}/adopt", Access.WRITE,
                "Adopt a discovered identity into the inventory: {owner, purpose, environment, scope, id?, kind?, displayName?}", req ->
                ApiResponse.created(discovery.adopt(req.pathParam("id"), req.body(Adoption.class), req.caller().actor())));
    }
}
