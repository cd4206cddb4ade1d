package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.credentials.CredentialBinding;
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
     * What a message brings to its decisions, besides who sends it and what it uses.
     *
     * @param data     inspection of what the message sends
     * @param session  the session state before the call
     * @param callsLastMinute the holder's calls in the last 60 s
     * @param input    the call's arguments (tool arguments, prompt arguments), or null
     * @param result   inspection of what the call returned, for the decision on handing it over; null before the call
     */
    record Facts(InspectionResult data, TaskSessionState.State session, long callsLastMinute, JsonNode input, InspectionResult result) {
        Facts withResult(InspectionResult r) { return new Facts(data, session, callsLastMinute, input, r); }
    }

    /**
     * @param granted    a one-time approval grant of exactly this call was consumed
     * @param breakGlass hops with an active break-glass grant covering the object (they count as approved)
     */
    ChainDecision.Combined decide(Caller caller, Governed object, Facts facts, boolean granted, Set<String> breakGlass) {
        List<ChainDecision.Hop> hops = new ArrayList<>();
        for (String id : caller.chain()) {
            String kind = caller.kindOf(id);
            Decision d = decisions.evaluate(new DecisionRequest(EntityRef.of(kind, id), object.effect().wire(),
                    EntityRef.of(object.kind().wire(), object.cedarId()), context(caller, id, facts, granted || breakGlass.contains(id))));
            hops.add(new ChainDecision.Hop(id, kind, d));
            if (d instanceof Decision.Deny) break; // any deny refuses: later hops need not be asked
        }
        return ChainDecision.combine(hops);
    }

    /** The context of {@code hop}'s decision: the same facts for every hop, but its own authentication. */
    private static Map<String, Object> context(Caller caller, String hop, Facts facts, boolean granted) {
        var token = caller.token();
        var session = facts.session();
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("task", Map.of("id", token.taskId(), "intent", token.intent() == null ? "" : token.intent(), "scope", token.scope().tools(),
                "useCase", token.useCase() == null ? "" : token.useCase(), "dataCeiling", (long) token.dataCeiling(),
                "destinations", token.destinations()));
        ctx.put("delegation", Map.of("depth", (long) token.depth(), "chain", token.chain(), "onBehalfOf", caller.onBehalfOf()));
        ctx.put("data", facts(facts.data()));
        ctx.put("result", facts(facts.result() == null ? InspectionResult.clean() : facts.result()));
        ctx.put("session", Map.of("taintLevel", (long) session.taintLevel(), "identityTaintLevel", (long) session.identityTaintLevel(),
                "calls", session.calls(), "effectCounts", Map.of("read", session.reads(), "write", session.writes(), "execute", session.executes()),
                "toolCalls", session.objectCalls(), "identityCallsLastMinute", facts.callsLastMinute()));
        ctx.put("approval", Map.of("granted", granted));
        CredentialBinding auth = token.authentication(hop).orElse(null);
        ctx.put("authentication", Map.of("method", auth == null || auth.method() == null ? "" : auth.method(),
                "issuer", auth == null || auth.issuer() == null ? "" : auth.issuer()));
        if (facts.input() != null) ctx.put("input", facts.input());
        return ctx;
    }

    private static Map<String, Object> facts(InspectionResult r) {
        return Map.of("classification", r.classification().wire(), "level", (long) r.classification().level(),
                "findings", List.copyOf(r.findingTypes()));
    }
}
