package dev.gatehouse.posture.reviews;

import dev.gatehouse.core.Problem;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Caller;
import dev.gatehouse.http.Router;
import java.util.Map;

/**
 * {@code /v1/reviews}: access reviews. Admins open and close them; an owner answers for their own
 * identities with their approver token (the human's own credential until the console's sign-in exists);
 * an admin token may answer for anyone, and the audit trail says which it was.
 */
public final class ReviewRoutes {
    private final ReviewService reviews;

    public ReviewRoutes(ReviewService reviews) { this.reviews = reviews; }

    public void register(Router r) {
        r.post("/v1/reviews", Access.SECURITY, "Open an access review: an item per workload and agent in scope, each assigned to its owner",
                req -> ApiResponse.created(reviews.create(req.body(ReviewSpec.class), req.caller().actor())));
        r.get("/v1/reviews", Access.READ, "Access reviews, newest first, with their counts (filter: status open|closed; limit)", req -> {
            req.onlyQuery("status", "limit");
            int limit = 100;
            if (req.query("limit").isPresent()) {
                try {
                    limit = Integer.parseInt(req.query("limit").get());
                } catch (NumberFormatException e) {
                    throw new Problem.Invalid("limit", "limit must be between 1 and 1000");
                }
            }
            return ApiResponse.ok(Map.of("items", reviews.list(req.query("status").orElse(null), limit)));
        });
        r.get("/v1/reviews/{id}", Access.REVIEW,
                "One review: every item with the identity's declared scope, credentials, last seen, usage in 30 days and the decision so far "
                        + "(an approver token sees the items its human owns)", req -> {
            Caller caller = req.caller();
            if (caller.role() == Caller.Role.IDENTITY) throw new Problem.Forbidden("task tokens cannot read access reviews");
            return ApiResponse.ok(reviews.get(req.pathParam("id"), caller.role() == Caller.Role.APPROVER ? caller.id() : null));
        });
        r.post("/v1/reviews/{id}/items/{identity}", Access.OWNER,
                "Answer for one identity as its owner (approver token) or as an admin: keep, reduce (with the new scope) or revoke (retires it)",
                req -> {
                    Caller caller = req.caller();
                    return ApiResponse.ok(reviews.decide(req.pathParam("id"), req.pathParam("identity"), req.body(ItemAnswer.class),
                            caller.role() == Caller.Role.APPROVER ? caller.id() : null, caller.actor()));
                });
        r.post("/v1/reviews/{id}/close", Access.SECURITY, "Close a review now: unanswered items are missed and get its onMissed",
                req -> ApiResponse.ok(reviews.close(req.pathParam("id"), req.caller().actor())));
    }
}
