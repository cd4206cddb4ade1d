package dev.gatehouse.admin;

import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Caller.Role;
import dev.gatehouse.http.Router;
import java.util.Map;

/** {@code /v1/admin-tokens}: create (value shown once), list (never the value), revoke. */
public final class AdminRoutes {
    public record CreateRequest(String name, Role role) {}

    private final AdminTokenService tokens;

    public AdminRoutes(AdminTokenService tokens) { this.tokens = tokens; }

    public void register(Router router) {
        router.post("/v1/admin-tokens", Access.WRITE, "Create an admin token; its value is in this response only", req -> {
            CreateRequest body = req.body(CreateRequest.class);
            IssuedAdminToken issued = tokens.create(body.name(), body.role() == null ? Role.ADMIN : body.role(), req.caller().actor());
            return ApiResponse.created(Map.of("token", issued.token(), "secret", issued.secret()));
        });
        router.get("/v1/admin-tokens", Access.WRITE, "List admin tokens (without values)",
                req -> ApiResponse.ok(Map.of("items", tokens.list())));
        router.post("/v1/admin-tokens/{id}/revoke", Access.WRITE, "Revoke an admin token",
                req -> ApiResponse.ok(tokens.revoke(req.pathParam("id"), req.caller().actor())));
    }
}
