package dev.gatehouse.policy;

import dev.gatehouse.core.Problem;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiRequest;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenID AuthZEN Authorization API 1.0: {@code POST /access/v1/evaluation},
 * {@code POST /access/v1/evaluations} and the PDP metadata document. A deny carries only a
 * reason code in its {@code context}: policy text and engine errors stay with operators.
 */
public final class AuthZenRoutes {
    private final DefaultDecisionService decisions;
    private final boolean tls;

    public AuthZenRoutes(DefaultDecisionService decisions, boolean tls) {
        this.decisions = decisions;
        this.tls = tls;
    }

    public void register(Router r) {
        r.post("/access/v1/evaluation", Access.DECIDE, "AuthZEN access evaluation: one decision", req -> {
            AuthZen.Evaluation body = req.body(AuthZen.Evaluation.class);
            return withRequestId(req, ApiResponse.ok(answer(decisions.explain(body.toDecisionRequest(null), req.caller().actor()))));
        });
        r.post("/access/v1/evaluations", Access.DECIDE, "AuthZEN access evaluations: a batch with top-level defaults", req -> {
            AuthZen.Batch body = req.body(AuthZen.Batch.class);
            String semantic = body.options() == null || body.options().evaluations_semantic() == null
                    ? "execute_all" : body.options().evaluations_semantic();
            if (!List.of("execute_all", "deny_on_first_deny", "permit_on_first_permit").contains(semantic)) {
                throw new Problem.Invalid("options.evaluations_semantic",
                        "evaluations_semantic must be one of execute_all, deny_on_first_deny, permit_on_first_permit");
            }
            AuthZen.Evaluation defaults = body.defaults();
            if (body.evaluations() == null || body.evaluations().isEmpty()) {
                // AuthZEN 1.0: without an evaluations array the request is a single evaluation.
                return withRequestId(req, ApiResponse.ok(answer(decisions.explain(defaults.toDecisionRequest(null), req.caller().actor()))));
            }
            if (body.evaluations().size() > 1000) throw new Problem.Invalid("evaluations", "at most 1000 evaluations per request");
            List<Map<String, Object>> results = new ArrayList<>();
            for (int i = 0; i < body.evaluations().size(); i++) {
                AuthZen.Evaluation item = body.evaluations().get(i);
                Map<String, Object> result;
                try {
                    if (item == null) throw new Problem.Invalid("evaluations[" + i + "]", "evaluation must be an object");
                    result = answer(decisions.explain(item.toDecisionRequest(defaults), req.caller().actor()));
                } catch (Problem.Invalid p) {
                    // One malformed item does not void its neighbours: it is a deny with the error in its context.
                    Map<String, Object> error = new LinkedHashMap<>();
                    error.put("status", 400);
                    error.put("message", p.getMessage());
                    if (p.field() != null) error.put("field", "evaluations[" + i + "]." + p.field());
                    result = Map.of("decision", false, "context", Map.of("reason", p.code(), "error", error));
                }
                results.add(result);
                boolean permitted = Boolean.TRUE.equals(result.get("decision"));
                if (semantic.equals("deny_on_first_deny") && !permitted) break;
                if (semantic.equals("permit_on_first_permit") && permitted) break;
            }
            return withRequestId(req, ApiResponse.ok(Map.of("evaluations", results)));
        });
        r.get("/.well-known/authzen-configuration", Access.PUBLIC, "AuthZEN PDP metadata", req -> {
            String base = baseUrl(req);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("policy_decision_point", base);
            meta.put("access_evaluation_endpoint", base + "/access/v1/evaluation");
            meta.put("access_evaluations_endpoint", base + "/access/v1/evaluations");
            return ApiResponse.ok(meta);
        });
    }

    /** AuthZEN 1.0: a PEP's X-Request-ID comes back on the response so it can correlate decisions. */
    private static ApiResponse withRequestId(ApiRequest req, ApiResponse response) {
        req.header("x-request-id").filter(id -> id.matches("[\\x21-\\x7e]{1,200}"))
                .ifPresent(id -> response.header("X-Request-ID", id));
        return response;
    }

    static Map<String, Object> answer(Explanation e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("decision", e.decision().allowed());
        if (e.decision() instanceof Decision.Deny d) {
            out.put("context", Map.of("reason", d.reason()));
        } else if (e.decision() instanceof Decision.Hold h) {
            out.put("context", Map.of("reason", "approval_required", "approvers", h.approvers()));
        }
        return out;
    }

    private String baseUrl(ApiRequest req) {
        String host = req.header("host").filter(h -> h.matches("[A-Za-z0-9.\\-\\[\\]:]{1,255}")).orElse("127.0.0.1");
        return (tls ? "https" : "http") + "://" + host;
    }
}
