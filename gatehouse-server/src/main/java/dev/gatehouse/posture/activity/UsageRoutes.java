package dev.gatehouse.posture.activity;

import dev.gatehouse.core.Problem;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Router;

/** {@code GET /v1/identities/{id}/usage}: granted, used and unused, from the audit of real calls. */
public final class UsageRoutes {
    private final UsageService usage;

    public UsageRoutes(UsageService usage) { this.usage = usage; }

    public void register(Router r) {
        r.get("/v1/identities/{id}/usage", Access.READ,
                "What a workload or agent was granted, used and left unused over the last days (days=1..365, default 30), and the scope that would suffice",
                req -> {
                    req.onlyQuery("days");
                    int days = 30;
                    if (req.query("days").isPresent()) {
                        try {
                            days = Integer.parseInt(req.query("days").get());
                        } catch (NumberFormatException e) {
                            throw new Problem.Invalid("days", "days must be a whole number between 1 and " + UsageService.MAX_DAYS);
                        }
                    }
                    return ApiResponse.ok(usage.usage(req.pathParam("id"), days));
                });
    }
}
