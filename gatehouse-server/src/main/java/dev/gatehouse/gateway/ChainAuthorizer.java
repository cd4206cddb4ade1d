package dev.gatehouse.gateway;

import dev.gatehouse.inspection.InspectionResult;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.DecisionRequest;
import dev.gatehouse.policy.DecisionRequest.EntityRef;
import dev.gatehouse.policy.DecisionService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Authorises the use of a governed object for every identity of the caller's delegation chain, each
 * as its own principal with the same context: the task, the delegation, the data the message carries,
 * and the live session state. Decisions are evaluated without their own records: the gateway's one
 * record of the message carries every hop.
 */
final class ChainAuthorizer {
    private final DecisionService decisions;

    ChainAuthorizer(DecisionService decisions) { this.decisions = decisions; }

    /**
     * @param granted    a one-time approval grant of exactly this call was consumed
     * @param breakGlass hops with an active break-glass grant covering the object (they count as approved)
     */
    ChainDecision.Combined decide(Caller caller, Governed object, InspectionResult data, TaskSessionState.State session,
                                  boolean granted, Set<String> breakGlass) {
        List<ChainDecision.Hop> hops = new ArrayList<>();
        for (String id : caller.chain()) {
            String kind = caller.kindOf(id);
            Decision d = decisions.evaluate(new DecisionRequest(EntityRef.of(kind, id), object.effect().wire(),
                    EntityRef.of(object.kind().wire(), object.cedarId()), context(caller, data, session, granted || breakGlass.contains(id))));
            hops.add(new ChainDecision.Hop(id, kind, d));
            if (d instanceof Decision.Deny) break; // any deny refuses: later hops need not be asked
        }
        return ChainDecision.combine(hops);
    }

    private static Map<String, Object> context(Caller caller, InspectionResult data, TaskSessionState.State session, boolean granted) {
        var token = caller.token();
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("task", Map.of("id", token.taskId(), "intent", token.intent() == null ? "" : token.intent(), "scope", token.scope().tools()));
        ctx.put("delegation", Map.of("depth", (long) token.depth(), "chain", token.chain(), "onBehalfOf", caller.onBehalfOf()));
        ctx.put("data", Map.of("classification", data.classification().wire(), "level", (long) data.classification().level(),
                "findings", List.copyOf(data.findingTypes())));
        ctx.put("session", Map.of("taintLevel", (long) session.taintLevel(), "identityTaintLevel", (long) session.identityTaintLevel(),
                "calls", session.calls()));
        ctx.put("approval", Map.of("granted", granted));
        return ctx;
    }
}
