package dev.gatehouse.credentials;

import dev.gatehouse.core.Problem;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiRequest;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Caller;
import dev.gatehouse.http.Router;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/tasks}: list and inspect tasks; complete one (an admin, or the identity itself with that
 * task's token). {@code /v1/identities/{id}/revoke-all}: admin revocation of everything an identity holds.
 */
public final class TaskRoutes {
    public record CompleteRequest(String reason) {}
    public record RevokeAllRequest(String reason) {}

    private final TaskService tasks;
    private final Revocations revocations;

    public TaskRoutes(TaskService tasks, Revocations revocations) {
        this.tasks = tasks;
        this.revocations = revocations;
    }

    public void register(Router r) {
        r.get("/v1/tasks", Access.READ, "List tasks (filters: identity, status; limit)", req -> {
            req.onlyQuery("identity", "status", "limit");
            int limit = 100;
            if (req.query("limit").isPresent()) {
                try {
                    limit = Integer.parseInt(req.query("limit").get());
                } catch (NumberFormatException e) {
                    throw new Problem.Invalid("limit", "limit must be a number");
                }
                if (limit < 1) throw new Problem.Invalid("limit", "limit must be between 1 and 1000");
            }
            return ApiResponse.ok(Map.of("items", tasks.list(new TaskQuery(req.query("identity").orElse(null), req.query("status").orElse(null), limit))));
        });
        r.post("/v1/identities/{id}/revoke-all", Access.WRITE,
                "Revoke every task, token and client credential of an identity; for a human, of everything they own (offboarding)",
                req -> ApiResponse.ok(revocations.revokeAll(req.pathParam("id"), req.body(RevokeAllRequest.class).reason(), req.caller().actor())));
        r.get("/v1/tasks/{id}", Access.READ, "Get one task", req -> ApiResponse.ok(tasks.get(req.pathParam("id"))));
        r.post("/v1/tasks/{id}/complete", Access.SELF,
                "Complete a task and revoke all its tokens (admin token, or the task's own identity with its task token)", req -> {
            String id = req.pathParam("id");
            Caller caller = req.caller();
            if (caller.role() == Caller.Role.IDENTITY) {
                // A task token completes only its own task, and only the task's own identity (not a delegate) may end it.
                if (!id.equals(caller.name()) || !tasks.get(id).identity().equals(caller.id())) {
                    throw new Problem.Forbidden("a task token may complete only its own task");
                }
            }
            String reason = body(req);
            return ApiResponse.ok(tasks.complete(id, reason, caller.actor()));
        });
    }

    private static String body(ApiRequest req) {
        return req.body().length == 0 ? null : req.body(CompleteRequest.class).reason();
    }
}
