package dev.gatehouse.httpapi;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Problem;
import dev.gatehouse.credentials.TokenService;
import dev.gatehouse.credentials.TokenStatus;
import dev.gatehouse.credentials.VerifiedToken;
import dev.gatehouse.gateway.ChainDecision;
import dev.gatehouse.gateway.McpGateway;
import dev.gatehouse.inspection.Classification;
import dev.gatehouse.inspection.DefaultInspector;
import dev.gatehouse.inspection.Finding;
import dev.gatehouse.inspection.InspectionResult;
import dev.gatehouse.inspection.Inspector;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Tool;
import dev.gatehouse.registry.ToolServer;
import dev.gatehouse.registry.Vocabulary.Effect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The enforcement point for plain HTTP APIs behind a proxy: one request an agent sends to a governed API
 * is decided as a tool call at the MCP gateway ({@link McpGateway#decideProxied}) — the task token checked
 * live, the route mapped to a tool, the tool known, out of quarantine and inside the task's scope and rate
 * limits, the request body inspected, a Cedar decision for every identity of the delegation chain with the
 * gateway's context — and recorded as one {@code http.call}
 * audit record (the route template, never the path's values, the query or the body).
 */
public final class HttpApiAuthorizer {
    /** What the proxy forwarded of the original request; {@code partialBody}: the proxy cut the body at its buffer limit. */
    public record HttpCall(String method, String path, String authorization, byte[] body, boolean partialBody) {}

    /** The outcome for the proxy: let the request through (with headers for the upstream), or answer the client. */
    public sealed interface Verdict permits Allowed, Refused {}

    /** Forward the request; {@code upstreamHeaders} replace or add headers on the way upstream. */
    public record Allowed(String toolId, Map<String, String> upstreamHeaders) implements Verdict {}

    /** Answer the client with {@code status}; {@code reason} is a short code, never policy text. */
    public record Refused(int status, String reason, boolean invalidToken) implements Verdict {}

    private final HttpApis apis;
    private final RegistryService registry;
    private final TokenService tokens;
    private final McpGateway gateway;
    private final Inspector inspector;
    private final AuditLog audit;

    public HttpApiAuthorizer(HttpApis apis, RegistryService registry, TokenService tokens, McpGateway gateway, Inspector inspector,
                             AuditLog audit) {
        this.apis = apis;
        this.registry = registry;
        this.tokens = tokens;
        this.gateway = gateway;
        this.inspector = inspector;
        this.audit = audit;
    }

    public Verdict authorize(String serverId, HttpCall call) {
        String bearer = call.authorization() != null && call.authorization().regionMatches(true, 0, "Bearer ", 0, 7)
                ? call.authorization().substring(7).trim() : null;
        TokenStatus status = bearer == null || bearer.isEmpty() ? new TokenStatus.Inactive("missing_token") : tokens.check(bearer);
        if (status instanceof TokenStatus.Inactive inactive) {
            audit.record(AuditEvent.of("http.refused", AuditEvent.Category.ACCESS, "deny", "anonymous")
                    .withAction(call.method(), serverId).withReason(inactive.reason()));
            return new Refused(401, "invalid_token", true);
        }
        VerifiedToken token = ((TokenStatus.Active) status).token();
        ToolServer server;
        try {
            server = registry.getToolServer(serverId);
        } catch (Problem.NotFound e) {
            return refuse(token, call, serverId, null, null, 404, "unknown_api", null, null);
        }
        Optional<HttpRoute> route = apis.match(serverId, call.method(), call.path());
        if (route.isEmpty()) return refuse(token, call, serverId, null, null, 403, "no_route", null, null);
        Tool tool = server.tools().stream().filter(t -> t.name().equals(route.get().tool())).findFirst().orElse(null);
        if (tool == null) return refuse(token, call, serverId, route.get(), null, 403, "unknown_tool", null, null);
        String toolId = Tool.id(serverId, tool.name());
        InspectionResult body = inspect(call);
        // Admission and every hop's decision are the MCP gateway's own, so both enforcement points decide alike.
        McpGateway.ProxiedCall decided = gateway.decideProxied(token, server, tool.name(), body, call.body().length);
        if (decided.refused() != null) {
            int refusal = decided.refused().equals("upstream_credentials_unavailable") ? 503 : 403;
            return refuse(token, call, serverId, route.get(), tool, refusal, decided.refused(), decided.combined(), body);
        }
        ChainDecision.Combined combined = decided.combined();
        if (combined.decision() instanceof Decision.Deny deny) {
            return refuse(token, call, serverId, route.get(), tool, 403, deny.reason(), combined, body);
        }
        if (combined.decision() instanceof Decision.Hold) {
            // Approvals of held calls are an MCP flow (the agent retries the same call); over a proxy the request is refused.
            return refuse(token, call, serverId, route.get(), tool, 403, "approval_required", combined, body);
        }
        Map<String, String> upstream = new LinkedHashMap<>(decided.upstreamHeaders());
        upstream.put("x-gatehouse-task", token.taskId());
        upstream.put("x-gatehouse-identity", token.holder());
        record(token, call, serverId, route.get(), tool, "allow", null, combined, body);
        return new Allowed(toolId, upstream);
    }

    /** What the body holds; a body the proxy cut off counts as restricted: what was not seen cannot be vouched for. */
    private InspectionResult inspect(HttpCall call) {
        InspectionResult seen = call.body().length == 0 ? InspectionResult.clean()
                : inspector.inspect(new String(call.body(), StandardCharsets.UTF_8), Set.of());
        if (!call.partialBody()) return seen;
        List<Finding> findings = new ArrayList<>(seen.findings());
        findings.add(new Finding(DefaultInspector.INCOMPLETE, Classification.RESTRICTED, 1));
        return new InspectionResult(Classification.RESTRICTED, findings);
    }

    private Refused refuse(VerifiedToken token, HttpCall call, String serverId, HttpRoute route, Tool tool, int status, String reason,
                           ChainDecision.Combined combined, InspectionResult body) {
        record(token, call, serverId, route, tool, "deny", reason, combined, body);
        return new Refused(status, reason, false);
    }

    private void record(VerifiedToken token, HttpCall call, String serverId, HttpRoute route, Tool tool, String outcome, String reason,
                        ChainDecision.Combined combined, InspectionResult body) {
        Identity holder = registry.find(token.holder()).orElse(null);
        Effect effect = tool == null ? null : tool.effect();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("server", serverId);
        detail.put("method", call.method());
        // The route template, not the request path: a path can carry identifiers or personal data.
        if (route != null) detail.put("route", route.path());
        detail.put("bodyBytes", call.body().length);
        if (call.partialBody()) detail.put("partialBody", true);
        if (body != null) {
            detail.put("classification", body.classification().wire());
            detail.put("findings", List.copyOf(body.findingTypes()));
        }
        if (combined != null && combined.decided() != null && !"allow".equals(outcome)) detail.put("refusedFor", combined.decided());
        Decision decision = combined == null ? null : combined.decision();
        audit.record(AuditEvent.of("http.call", effect == null || effect == Effect.READ ? AuditEvent.Category.ACCESS : AuditEvent.Category.PRIVILEGED,
                        outcome, "identity:" + token.holder())
                .withSubject(token.holder(), holder == null ? null : holder.kind().wire(), holder == null ? null : holder.owner())
                .withDelegation(null, token.chain())
                .withTask(token.taskId(), token.jti())
                .withAction(effect == null ? call.method() : effect.wire(), tool == null ? serverId : Tool.id(serverId, tool.name()))
                .withPolicy(decision == null ? List.of() : decision.policies(), decision == null ? null : decision.policyVersion())
                .withReason(reason)
                .withDetail(detail));
    }
}
