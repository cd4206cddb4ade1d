package dev.gatehouse.posture;

import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Router;

/** {@code GET /v1/posture}: findings and the OWASP NHI and Agentic Top 10 views. */
public final class PostureRoutes {
    private final PostureService posture;

    public PostureRoutes(PostureService posture) { this.posture = posture; }

    public void register(Router r) {
        r.get("/v1/posture", Access.READ,
                "Posture report: live findings (orphaned, dormant, over-privileged, long-lived secrets, shared and human-used identities, "
                        + "unmanaged discovered identities, unclassified tools …) by OWASP NHI Top 10 (2025) and Agentic Top 10 (2026) item",
                req -> {
                    req.onlyQuery();
                    return ApiResponse.ok(posture.report());
                });
    }
}
