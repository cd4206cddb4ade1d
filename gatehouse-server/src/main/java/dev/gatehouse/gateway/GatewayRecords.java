package dev.gatehouse.gateway;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.inspection.InspectionResult;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.Vocabulary.Effect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gateway's audit records: one per message in each direction. A message to an upstream is
 * recorded, durably, before it is forwarded (the record is the decision to let it through); the
 * upstream's answer to a governed call is recorded after it arrives. Records carry classifications,
 * finding types, sizes and digests — never payloads.
 *
 * <ul>
 *   <li>{@code gateway.call}: a governed action (tool, resource, prompt): allow / deny / hold, with every hop's decision;</li>
 *   <li>{@code gateway.result}: what came back from an allowed call: success / failure / withheld, and the taint after it;</li>
 *   <li>{@code gateway.list}: a listing forwarded;</li>
 *   <li>{@code gateway.message}: any other message (initialize, notifications, responses, ping, unknown methods): allow / deny.</li>
 * </ul>
 * Each is appended through the audit log's group commit, outside any store transaction of the gateway.
 */
final class GatewayRecords {
    private final AuditLog audit;

    GatewayRecords(AuditLog audit) { this.audit = audit; }

    /** The record of a governed call's decision; {@code decision} null when the call was refused before policy. */
    void call(String callId, Caller caller, String method, Governed object, String scopeId, String serverId, InspectionResult data,
              long payloadBytes, TaskSessionState.State state, String outcome, String reason, ChainDecision.Combined decision,
              Map<String, Object> extra) {
        Map<String, Object> detail = new TreeMap<>(extra);
        detail.put("callId", callId);
        detail.put("method", method);
        detail.put("server", serverId);
        detail.put("classification", data.classification().wire());
        detail.put("findings", List.copyOf(data.findingTypes()));
        detail.put("argumentBytes", payloadBytes);
        if (object != null) {
            detail.put("object", object.kind().wire());
            detail.put("risk", object.risk().wire());
            detail.put("destination", object.destination().wire());
        }
        if (state != null) {
            detail.put("taintLevel", state.taintLevel());
            detail.put("identityTaintLevel", state.identityTaintLevel());
        }
        if (decision != null) {
            detail.put("hops", hops(decision));
            if (decision.decided() != null && !"allow".equals(outcome)) detail.put("decidedBy", decision.decided());
        }
        Effect effect = object == null ? Effect.EXECUTE : object.effect();
        Decision d = decision == null ? null : decision.decision();
        audit.record(base("gateway.call", effect == Effect.READ ? AuditEvent.Category.ACCESS : AuditEvent.Category.PRIVILEGED, outcome, caller)
                .withAction(effect.wire(), scopeId)
                .withPolicy(d == null ? List.of() : d.policies(), d == null ? null : d.policyVersion())
                .withReason(reason)
                .withDetail(detail));
    }

    /** The record of what an allowed call's upstream returned. */
    void result(String callId, Caller caller, String method, Governed object, String outcome, String reason,
                InspectionResult result, long resultBytes, TaskSessionState.State after) {
        Map<String, Object> detail = new TreeMap<>();
        detail.put("callId", callId);
        detail.put("method", method);
        detail.put("server", object.server().id());
        if (result != null) {
            detail.put("resultClassification", result.classification().wire());
            detail.put("resultFindings", List.copyOf(result.findingTypes()));
            detail.put("resultBytes", resultBytes);
        }
        if (after != null) {
            detail.put("taintLevel", after.taintLevel());
            detail.put("identityTaintLevel", after.identityTaintLevel());
        }
        audit.record(base("gateway.result", object.effect() == Effect.READ ? AuditEvent.Category.ACCESS : AuditEvent.Category.PRIVILEGED,
                outcome, caller).withAction(object.effect().wire(), object.scopeId()).withReason(reason).withDetail(detail));
    }

    /** The record of a listing forwarded to the upstream. */
    void list(Caller caller, String serverId, String method) {
        audit.record(base("gateway.list", AuditEvent.Category.ACCESS, "allow", caller).withAction(method, serverId)
                .withDetail(Map.of("method", method, "server", serverId)));
    }

    /** The record of any other message: let through ({@code allow}) or not ({@code deny}, with the reason). */
    void message(Caller caller, String serverId, String method, String outcome, String reason, Map<String, Object> extra) {
        Map<String, Object> detail = new TreeMap<>(extra);
        detail.put("server", serverId);
        if (method != null) detail.put("method", method);
        audit.record(base("gateway.message", AuditEvent.Category.ACCESS, outcome, caller).withAction("mcp", serverId).withReason(reason)
                .withDetail(detail));
    }

    /** A use of the gateway outside its task's use-case contract (a {@code @contract} rule refused it). */
    void drift(Caller caller, String scopeId, String method, String contract, String reason) {
        audit.record(base("contract.drift", AuditEvent.Category.PRIVILEGED, "deny", caller).withAction(method, scopeId).withReason(reason)
                .withDetail(Map.of("contract", contract, "useCase", caller.token().useCase() == null ? "" : caller.token().useCase())));
    }

    /** A presented token that is not live (never the token itself). */
    void refusedToken(String serverId, String reason) {
        audit.record(AuditEvent.of("gateway.refused", AuditEvent.Category.ACCESS, "deny", "anonymous")
                .withAction("mcp", serverId).withReason(reason));
    }

    private static AuditEvent base(String type, AuditEvent.Category category, String outcome, Caller caller) {
        var t = caller.token();
        Identity holder = caller.holderIdentity();
        return AuditEvent.of(type, category, outcome, "identity:" + t.holder())
                .withSubject(t.holder(), holder == null ? null : holder.kind().wire(), holder == null ? null : holder.owner())
                .withDelegation(caller.onBehalfOf().isEmpty() ? null : caller.onBehalfOf(), t.chain())
                .withTask(t.taskId(), t.jti());
    }

    private static List<Map<String, Object>> hops(ChainDecision.Combined combined) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ChainDecision.Hop hop : combined.hops()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("identity", hop.identity());
            h.put("kind", hop.kind());
            h.put("outcome", hop.decision() instanceof Decision.Allow ? "allow" : hop.decision() instanceof Decision.Hold ? "hold" : "deny");
            if (hop.decision() instanceof Decision.Deny deny) h.put("reason", deny.reason());
            h.put("policies", hop.decision().policies());
            out.add(h);
        }
        return out;
    }
}
