package dev.gatehouse.policy;

import dev.gatehouse.core.Problem;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Router;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP adapter of the policy lifecycle ({@code /v1/policies…}), application entities
 * ({@code /v1/entities}) and the native explained decision ({@code POST /v1/decide}).
 */
public final class PolicyRoutes {
    /**
     * A policy directory upload; {@code mode} is activate (default), shadow or store; {@code add}: on top of the
     * active version's files; {@code replace}: activation may drop rules that are active now.
     */
    public record PushRequest(Map<String, String> files, String message, String mode, Boolean add, Boolean replace) {}

    public record FilesRequest(Map<String, String> files) {}

    public record EntitiesRequest(com.fasterxml.jackson.databind.JsonNode entities, Boolean replace) {}

    private final PolicyVersions versions;
    private final ApplicationEntities entities;
    private final DefaultDecisionService decisions;

    public PolicyRoutes(PolicyVersions versions, ApplicationEntities entities, DefaultDecisionService decisions) {
        this.versions = versions;
        this.entities = entities;
        this.decisions = decisions;
    }

    public void register(Router r) {
        r.get("/v1/policies/schema", Access.READ, "The Cedar schema: generated vocabulary plus the active version's fragments",
                req -> ApiResponse.ok(Map.of("schema", versions.schema())));
        r.post("/v1/policies/validate", Access.READ, "Validate a policy directory against the schema without storing it", req -> {
            List<PolicyError> errors = versions.validate(new PolicyBundle(req.body(FilesRequest.class).files()));
            return ApiResponse.ok(Map.of("valid", errors.isEmpty(), "errors", errors));
        });
        r.post("/v1/policies", Access.SECURITY, "Push a policy directory as a new immutable version (validated first)", req -> {
            PushRequest body = req.body(PushRequest.class);
            PolicyVersions.PushMode mode = switch (body.mode() == null ? "activate" : body.mode()) {
                case "activate" -> PolicyVersions.PushMode.ACTIVATE;
                case "shadow" -> PolicyVersions.PushMode.SHADOW;
                case "store" -> PolicyVersions.PushMode.STORE_ONLY;
                default -> throw new Problem.Invalid("mode", "mode must be one of activate, shadow, store");
            };
            return ApiResponse.created(versions.push(new PolicyBundle(body.files()), body.message(), mode, req.caller().actor(),
                    new PolicyVersions.Composition(Boolean.TRUE.equals(body.add()), Boolean.TRUE.equals(body.replace()))));
        });
        r.get("/v1/policies/versions", Access.READ, "List policy versions, newest first",
                req -> ApiResponse.ok(Map.of("items", versions.versions())));
        r.get("/v1/policies/versions/{version}", Access.READ, "One version with its files and policy ids",
                req -> ApiResponse.ok(versions.show(number(req.pathParam("version"), "version"))));
        r.post("/v1/policies/versions/{version}/activate", Access.SECURITY, "Make a version the active one",
                req -> ApiResponse.ok(versions.activate(number(req.pathParam("version"), "version"), req.caller().actor())));
        r.post("/v1/policies/versions/{version}/shadow", Access.SECURITY, "Evaluate a candidate version beside the active one",
                req -> ApiResponse.ok(versions.startShadow(number(req.pathParam("version"), "version"), req.caller().actor())));
        r.delete("/v1/policies/shadow", Access.SECURITY, "Stop the shadow evaluation", req -> {
            versions.stopShadow(req.caller().actor());
            return ApiResponse.noContent();
        });
        r.get("/v1/policies/shadow/disagreements", Access.READ, "Requests on which the shadow candidate disagreed (filters: version, limit)", req -> {
            Long version = req.query("version").map(v -> number(v, "version")).orElse(null);
            int limit = req.query("limit").map(v -> (int) number(v, "limit")).orElse(100);
            List<ShadowDisagreement> items = versions.disagreements(version, limit);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("items", items);
            if (version != null) out.put("total", versions.disagreementCount(version));
            return ApiResponse.ok(out);
        });
        r.post("/v1/policies/rollback", Access.SECURITY, "Re-activate the version that was active before the current one",
                req -> ApiResponse.ok(versions.rollback(req.caller().actor())));
        r.get("/v1/policies/diff", Access.READ, "Line diff between two versions (from, to)", req -> {
            long from = number(req.query("from").orElseThrow(() -> new Problem.Invalid("from", "from is required")), "from");
            long to = number(req.query("to").orElseThrow(() -> new Problem.Invalid("to", "to is required")), "to");
            return ApiResponse.ok(Map.of("from", from, "to", to, "diff", versions.diff(from, to)));
        });

        r.post("/v1/entities", Access.SECURITY, "Upsert application entities (Cedar JSON entity format) of schema-declared types", req -> {
            EntitiesRequest body = req.body(EntitiesRequest.class);
            int written = entities.apply(body.entities(), Boolean.TRUE.equals(body.replace()), req.caller().actor());
            return ApiResponse.ok(Map.of("applied", written));
        });
        r.get("/v1/entities", Access.READ, "List application entities", req -> ApiResponse.ok(Map.of("items", entities.list())));

        r.post("/v1/decide", Access.DECIDE, "Decide one request and explain it (determining policies, errors, version, time)", req -> {
            AuthZen.Evaluation body = req.body(AuthZen.Evaluation.class);
            Explanation e = decisions.explain(body.toDecisionRequest(null), req.caller().actor());
            return ApiResponse.ok(explained(e));
        });
    }

    static Map<String, Object> explained(Explanation e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("decision", e.outcome());
        if (e.decision() instanceof Decision.Deny d) out.put("reason", d.reason());
        if (e.decision() instanceof Decision.Hold h) out.put("approvers", h.approvers());
        out.put("policies", e.determining());
        out.put("errors", e.errors());
        if (e.policyVersion() != null) out.put("policyVersion", e.policyVersion());
        out.put("evaluationMicros", e.evaluationMicros());
        if (e.shadow() != null) out.put("shadow", e.shadow());
        return out;
    }

    private static long number(String value, String field) {
        try {
            long n = Long.parseLong(value.startsWith("v") ? value.substring(1) : value);
            if (n < 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new Problem.Invalid(field, field + " must be a positive number");
        }
    }
}
