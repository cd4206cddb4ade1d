package dev.gatehouse.approvals;

import dev.gatehouse.core.Page;
import dev.gatehouse.core.Problem;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiRequest;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Caller;
import dev.gatehouse.http.Router;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/approvals} (held calls and their decisions), {@code /v1/breakglass}, and the admin routes
 * that issue and revoke a human's approver token. Deciding and breaking glass demand the human's own
 * approver token ({@link Access#APPROVER}): the decision is attributed to that person.
 */
public final class ApprovalRoutes {
    public record DecisionRequest(String reason) {}
    public record TokenRequest(String name, Integer ttlSeconds) {}
    public record BreakGlassRequest(String identity, List<String> scope, Integer ttlSeconds, String justification) {}
    public record ReviewRequest(String outcome, String note) {}

    private static final Set<String> LIST_PARAMS = Set.of("status", "identity", "task", "tool", "limit", "before", "decidableBy");

    private final ApprovalService approvals;
    private final ApproverTokens tokens;
    private final BreakGlassReviews reviews;
    private final java.time.Clock clock;

    public ApprovalRoutes(ApprovalService approvals, ApproverTokens tokens, BreakGlassReviews reviews, java.time.Clock clock) {
        this.reviews = reviews;
        this.approvals = approvals;
        this.tokens = tokens;
        this.clock = clock;
    }

    public void register(Router r) {
        r.get("/v1/approvals", Access.REVIEW,
                "List approval requests, newest first (filters: status, identity, task, tool; limit, before); a task token sees its own", req -> {
            req.onlyQuery(LIST_PARAMS.toArray(String[]::new));
            String identity = req.query("identity").orElse(null);
            Caller caller = req.caller();
            if (req.query("decidableBy").isPresent()) {
                // "What may I decide?": an approver asks for itself (me); admins and readers may ask for anyone.
                String human = req.query("decidableBy").get();
                if (caller.role() == Caller.Role.APPROVER) {
                    if (!human.equals("me") && !human.equals(caller.id())) {
                        throw new Problem.Forbidden("an approver token may ask only what its own human may decide (decidableBy=me)");
                    }
                    human = caller.id();
                } else if (caller.role() == Caller.Role.IDENTITY || human.equals("me")) {
                    throw new Problem.Invalid("decidableBy", "decidableBy=me needs an approver token; name a human instead");
                }
                if (req.queryParams().size() > 1) {
                    throw new Problem.Invalid("decidableBy", "decidableBy cannot be combined with other filters");
                }
                return ApiResponse.ok(new Page<>(approvals.decidableBy(human), null));
            }
            if (caller.role() == Caller.Role.IDENTITY) {
                if (identity != null && !identity.equals(caller.id())) throw new Problem.Forbidden("a task token sees only its own identity's requests");
                identity = caller.id();
            }
            int limit = 100;
            if (req.query("limit").isPresent()) {
                try {
                    limit = Integer.parseInt(req.query("limit").get());
                } catch (NumberFormatException e) {
                    throw new Problem.Invalid("limit", "limit must be a number");
                }
            }
            Page<ApprovalRequest> page = approvals.list(new ApprovalQuery(req.query("status").orElse(null), identity,
                    req.query("task").orElse(null), req.query("tool").orElse(null), limit, req.query("before").orElse(null)));
            return ApiResponse.ok(page);
        });
        r.get("/v1/approvals/{id}", Access.REVIEW, "Get one approval request (how an agent waits for its held call)", req -> {
            ApprovalRequest request = approvals.get(req.pathParam("id"));
            Caller caller = req.caller();
            if (caller.role() == Caller.Role.IDENTITY && !request.call().identity().equals(caller.id())
                    && !request.call().chain().contains(caller.id())) {
                // Same answer as a missing request: a task token learns nothing about other identities' calls.
                throw new Problem.NotFound("approval request '" + request.id() + "' not found");
            }
            return ApiResponse.ok(request);
        });
        r.post("/v1/approvals/{id}/approve", Access.APPROVER,
                "Approve a held call as yourself (approver token): a one-time grant for that exact call", req ->
                ApiResponse.ok(approvals.approve(req.pathParam("id"), req.caller().id(), proof(req), reason(req))));
        r.post("/v1/approvals/{id}/deny", Access.APPROVER, "Deny a held call as yourself (approver token), with a reason the agent receives", req ->
                ApiResponse.ok(approvals.deny(req.pathParam("id"), req.caller().id(), proof(req), reason(req))));

        r.post("/v1/breakglass", Access.APPROVER,
                "Break glass as yourself (approver token): time-boxed emergency access that bypasses approval holds, never hard guards", req -> {
            BreakGlassRequest body = req.body(BreakGlassRequest.class);
            return ApiResponse.created(approvals.breakGlass(
                    new BreakGlassSpec(body.identity(), body.scope(), body.ttlSeconds(), body.justification()), req.caller().id(),
                    proof(req)));
        });
        r.get("/v1/breakglass", Access.REVIEW, "List break-glass grants, newest first (filters: identity, active=true)", req -> {
            req.onlyQuery("identity", "active");
            String active = req.query("active").orElse("false");
            if (!active.equals("true") && !active.equals("false")) throw new Problem.Invalid("active", "active must be true or false");
            String identity = req.query("identity").orElse(null);
            if (req.caller().role() == Caller.Role.IDENTITY) identity = req.caller().id();
            return ApiResponse.ok(Map.of("items", approvals.breakGlassGrants(identity, active.equals("true"))));
        });
        r.get("/v1/breakglass/reviews", Access.REVIEW, "Review items of break-glass grants, earliest deadline first (filter: status open|overdue|closed)",
                req -> ApiResponse.ok(Map.of("items", reviews.list(req.onlyQuery("status").query("status").orElse(null)))));
        r.post("/v1/breakglass/reviews/{id}/close", Access.APPROVER,
                "Close a break-glass review as yourself (approver token; not the human who broke glass): appropriate or inappropriate", req -> {
            ReviewRequest body = req.body(ReviewRequest.class);
            return ApiResponse.ok(reviews.close(req.pathParam("id"), req.caller().id(), req.caller().name(), body.outcome(), body.note()));
        });
        r.post("/v1/breakglass/{id}/revoke", Access.WRITE, "End a break-glass grant before its deadline (admin)", req ->
                ApiResponse.ok(approvals.revokeBreakGlass(req.pathParam("id"), req.caller().actor())));

        r.post("/v1/identities/{id}/approver-tokens", Access.WRITE,
                "Issue a human's approver token (shown once; stored hashed) so the person can approve, deny and break glass as themself", req -> {
            TokenRequest body = req.body().length == 0 ? new TokenRequest(null, null) : req.body(TokenRequest.class);
            return ApiResponse.created(tokens.issue(req.pathParam("id"), body.name(), body.ttlSeconds(), req.caller().actor()));
        });
        r.get("/v1/identities/{id}/approver-tokens", Access.READ, "List a human's approver tokens (never their values)", req ->
                ApiResponse.ok(Map.of("items", tokens.list(req.pathParam("id")))));
        r.post("/v1/identities/{id}/approver-tokens/{token}/revoke", Access.WRITE, "Revoke a human's approver token", req ->
                ApiResponse.ok(tokens.revoke(req.pathParam("id"), req.pathParam("token"), req.caller().actor())));
    }

    /**
     * On the API the human's approver token is the factor: it was issued to that person alone, travels apart
     * from any single sign-on session, and is proved on this very request (the caller's name is the token id).
     */
    private ApproverProof proof(ApiRequest req) {
        return ApproverProof.approverToken(req.caller().name(), clock.instant());
    }

    private static String reason(ApiRequest req) {
        return req.body().length == 0 ? null : req.body(DecisionRequest.class).reason();
    }
}
