package dev.gatehouse.registry;

import dev.gatehouse.core.Problem;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiRequest;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Router;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.registry.Vocabulary.IdentityStatus;
import java.util.List;
import java.util.Map;

/** HTTP adapter of the inventory: {@code /v1/identities}, {@code /v1/groups}, {@code /v1/tool-servers}. */
public final class RegistryRoutes {
    public record ReasonRequest(String reason) {}
    public record ReassignRequest(String owner, String reason) {}

    private final RegistryService registry;
    private final InventoryService inventory;

    public RegistryRoutes(RegistryService registry, InventoryService inventory) {
        this.registry = registry;
        this.inventory = inventory;
    }

    public void register(Router r) {
        r.post("/v1/identities", Access.WRITE, "Register a human, workload or agent",
                req -> ApiResponse.created(registry.register(req.body(IdentitySpec.class), req.caller().actor())));
        r.get("/v1/identities", Access.READ, "List identities (filters: kind, owner, status, tag, group, environment; cursor: after, limit)",
                req -> ApiResponse.ok(registry.list(query(req))));
        r.get("/v1/identities/{id}", Access.READ, "Get one identity",
                req -> ApiResponse.ok(registry.get(req.pathParam("id"))));
        r.patch("/v1/identities/{id}", Access.WRITE, "Change mutable fields (optional version for optimistic concurrency)",
                req -> ApiResponse.ok(registry.update(req.pathParam("id"), req.body(IdentityUpdate.class), req.caller().actor())));
        r.get("/v1/identities/{id}/history", Access.READ, "Lifecycle history: who changed what, when and why",
                req -> ApiResponse.ok(Map.of("items", registry.history(req.pathParam("id")))));
        r.post("/v1/identities/{id}/suspend", Access.WRITE, "Suspend an identity (reason required)",
                req -> ApiResponse.ok(registry.suspend(req.pathParam("id"), req.body(ReasonRequest.class).reason(), req.caller().actor())));
        r.post("/v1/identities/{id}/reactivate", Access.WRITE, "Reactivate a suspended identity (reason required)",
                req -> ApiResponse.ok(registry.reactivate(req.pathParam("id"), req.body(ReasonRequest.class).reason(), req.caller().actor())));
        r.post("/v1/identities/{id}/retire", Access.WRITE, "Retire an identity for good (reason required)",
                req -> ApiResponse.ok(registry.retire(req.pathParam("id"), req.body(ReasonRequest.class).reason(), req.caller().actor())));
        r.post("/v1/identities/{id}/reassign", Access.WRITE, "Give a workload or agent a new owner (reason required)", req -> {
            ReassignRequest body = req.body(ReassignRequest.class);
            return ApiResponse.ok(registry.reassign(req.pathParam("id"), body.owner(), body.reason(), req.caller().actor()));
        });

        r.post("/v1/groups", Access.WRITE, "Create a group (parents for nesting)",
                req -> ApiResponse.created(registry.createGroup(req.body(GroupSpec.class), req.caller().actor())));
        r.get("/v1/groups", Access.READ, "List groups", req -> ApiResponse.ok(Map.of("items", registry.listGroups())));
        r.get("/v1/groups/{id}", Access.READ, "Get one group with its members", req -> ApiResponse.ok(registry.getGroup(req.pathParam("id"))));
        r.patch("/v1/groups/{id}", Access.WRITE, "Change a group's name or parents",
                req -> ApiResponse.ok(registry.updateGroup(req.pathParam("id"), req.body(GroupSpec.class), req.caller().actor())));
        r.delete("/v1/groups/{id}", Access.WRITE, "Delete an empty group", req -> {
            registry.deleteGroup(req.pathParam("id"), req.caller().actor());
            return ApiResponse.noContent();
        });

        r.post("/v1/tool-servers", Access.WRITE, "Register a tool server and its tools",
                req -> ApiResponse.created(registry.createToolServer(req.body(ToolServerSpec.class), req.caller().actor())));
        r.get("/v1/tool-servers", Access.READ, "List tool servers", req -> ApiResponse.ok(Map.of("items", registry.listToolServers())));
        r.get("/v1/tool-servers/{id}", Access.READ, "Get one tool server", req -> ApiResponse.ok(registry.getToolServer(req.pathParam("id"))));
        r.put("/v1/tool-servers/{id}", Access.WRITE, "Replace a tool server's declaration",
                req -> ApiResponse.ok(registry.replaceToolServer(req.pathParam("id"), req.body(ToolServerSpec.class), req.caller().actor())));
        r.post("/v1/tool-servers/{id}/tools/{tool}/classify", Access.WRITE,
                "Classify a tool (effect, risk, destination): it leaves quarantine and its current definition is pinned",
                req -> ApiResponse.ok(registry.classify(req.pathParam("id"), Feature.Kind.TOOL, req.pathParam("tool"), req.body(Tool.class),
                        req.caller().actor())));
        r.post("/v1/tool-servers/{id}/prompts/{prompt}/classify", Access.WRITE,
                "Classify a prompt (effect, risk, destination): it leaves quarantine and its current definition is pinned",
                req -> ApiResponse.ok(registry.classify(req.pathParam("id"), Feature.Kind.PROMPT, req.pathParam("prompt"), req.body(Prompt.class),
                        req.caller().actor())));
        r.post("/v1/tool-servers/{id}/resources/classify", Access.WRITE,
                "Classify a resource entry named by its uri (exact, URI template or prefix*): it leaves quarantine",
                req -> {
                    Resource c = req.body(Resource.class);
                    if (c == null || c.uri() == null) throw new Problem.Invalid("uri", "uri is required (the resource entry as registered)");
                    return ApiResponse.ok(registry.classify(req.pathParam("id"), Feature.Kind.RESOURCE, c.uri(), c, req.caller().actor()));
                });
        r.delete("/v1/tool-servers/{id}", Access.WRITE, "Delete a tool server", req -> {
            registry.deleteToolServer(req.pathParam("id"), req.caller().actor());
            return ApiResponse.noContent();
        });
        registerInventory(r);
    }

    private void registerInventory(Router r) {
        r.get("/v1/inventory", Access.READ, "Export the inventory in the declarative format apply accepts",
                req -> ApiResponse.ok(inventory.export()));
        r.post("/v1/inventory/apply", Access.WRITE, "Apply a declared inventory idempotently in one transaction (dryRun=true: plan only)", req -> {
            req.onlyQuery("dryRun");
            String dryRun = req.query("dryRun").orElse("false");
            if (!dryRun.equals("true") && !dryRun.equals("false")) throw new Problem.Invalid("dryRun", "dryRun must be true or false");
            return ApiResponse.ok(inventory.apply(req.body(InventoryDocument.class), dryRun.equals("true"), req.caller().actor()));
        });
    }

    private static IdentityQuery query(ApiRequest req) {
        req.onlyQuery("kind", "owner", "status", "tag", "group", "environment", "after", "limit");
        int limit = 100;
        if (req.query("limit").isPresent()) {
            try {
                limit = Integer.parseInt(req.query("limit").get());
            } catch (NumberFormatException e) {
                throw new Problem.Invalid("limit", "limit must be a number");
            }
            if (limit < 1) throw new Problem.Invalid("limit", "limit must be between 1 and 1000");
        }
        return new IdentityQuery(req.query("kind").map(IdentityKind::parse).orElse(null), req.query("owner").orElse(null),
                req.query("status").map(IdentityStatus::parse).orElse(null), req.query("tag").orElse(null),
                req.query("group").orElse(null), req.query("environment").orElse(null), req.query("after").orElse(null), limit);
    }
}
