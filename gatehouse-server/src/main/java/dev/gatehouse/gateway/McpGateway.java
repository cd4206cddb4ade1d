package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.HeldCall;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.credentials.TaskService;
import dev.gatehouse.credentials.TokenService;
import dev.gatehouse.credentials.TokenStatus;
import dev.gatehouse.credentials.VerifiedToken;
import dev.gatehouse.inspection.Classification;
import dev.gatehouse.inspection.InspectionResult;
import dev.gatehouse.inspection.Inspector;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.DecisionRequest;
import dev.gatehouse.policy.DecisionRequest.EntityRef;
import dev.gatehouse.policy.DecisionService;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Tool;
import dev.gatehouse.registry.ToolServer;
import dev.gatehouse.registry.Vocabulary.Effect;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The MCP enforcement point. For each tool call: the task's scope, rate limits, inspection of the
 * arguments, the task's session state, and a policy decision for every identity of the delegation
 * chain; then forwarding, inspection of the result and a raised taint. Every call is audited as
 * {@code gateway.call}, with classifications and finding types only, never payloads.
 * Transport concerns (HTTP, SSE, session headers) belong to {@link McpRoutes}.
 */
public final class McpGateway implements AutoCloseable {
    /** Protocol versions the gateway accepts in {@code MCP-Protocol-Version}, newest first. */
    public static final List<String> PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26");

    /**
     * Client-to-server methods of the MCP spec that pass through unchanged. Anything else is refused
     * (method not found) rather than forwarded: an unknown method could be a side door around tools/call.
     * {@code resources/read} results are inspected and raise the task's taint like tool results.
     */
    private static final Set<String> PASS_THROUGH = Set.of("ping", "resources/list", "resources/templates/list",
            "resources/read", "resources/subscribe", "resources/unsubscribe", "prompts/list", "prompts/get",
            "completion/complete", "logging/setLevel");

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    /** Gatehouse refused the call (policy, scope, limits); {@code error.data.reason} says why. */
    static final int REFUSED = -32001;
    /** The upstream tool server failed or timed out. */
    static final int UPSTREAM_FAILED = -32002;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Builds the connection to a tool server's upstream for a new session. */
    @FunctionalInterface
    public interface UpstreamFactory {
        Upstream open(ToolServer server) throws Upstream.UpstreamException;
    }

    /** What a request is answered with: the response, and the upstream's messages that preceded it. */
    record Reply(ObjectNode response, List<JsonNode> interim) {
        static Reply of(ObjectNode response) { return new Reply(response, List.of()); }
    }

    /**
     * Calls and bytes per minute, per identity and per task; 0 = unlimited. {@code budgets} is where they are
     * counted: in this process, or shared by the nodes of a cluster through the store (see {@link RateLimits}).
     */
    public record Limits(int callsPerIdentity, int callsPerTask, long bytesPerIdentity, long bytesPerTask,
                         dev.gatehouse.store.Budgets budgets) {
        public Limits(int callsPerIdentity, int callsPerTask, long bytesPerIdentity, long bytesPerTask) {
            this(callsPerIdentity, callsPerTask, bytesPerIdentity, bytesPerTask, new dev.gatehouse.store.LocalBudgets());
        }
    }

    public record Settings(Duration upstreamTimeout, Duration sessionIdle, int maxSessions, Limits limits,
                           Set<String> redactServers) {}

    private final RegistryService registry;
    private final TokenService tokens;
    private final TaskService tasks;
    private final java.util.concurrent.ScheduledExecutorService sweeper;
    private final DecisionService decisions;
    private final Inspector inspector;
    private final ApprovalService approvals;
    private final AuditLog audit;
    private final Clock clock;
    private final Secrets secrets;
    private final Settings settings;
    private final UpstreamFactory upstreams;
    private final dev.gatehouse.store.Transactions tx;
    private final TaskSessionState state;
    private final GatewaySessions sessions;
    private final RateLimits rates;

    /** @param approvals null when no approval service is wired: held calls are then refused with {@code approval_required} */
    public McpGateway(RegistryService registry, TokenService tokens, TaskService tasks, DecisionService decisions, Inspector inspector,
                      ApprovalService approvals, AuditLog audit, dev.gatehouse.store.Transactions tx, Clock clock, Secrets secrets,
                      Settings settings, UpstreamFactory upstreams) {
        this.registry = registry;
        this.tokens = tokens;
        this.tasks = tasks;
        this.decisions = decisions;
        this.inspector = inspector;
        this.approvals = approvals;
        this.audit = audit;
        this.clock = clock;
        this.secrets = secrets;
        this.settings = settings;
        this.upstreams = upstreams;
        this.tx = tx;
        this.state = new TaskSessionState(tx, clock);
        this.sessions = new GatewaySessions(clock, settings.sessionIdle(), settings.maxSessions());
        this.rates = new RateLimits(settings.limits(), clock);
        this.sweeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mcp-session-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 30, 30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * Closes idle sessions and those whose task ended (completed, expired, revoked), so a stdio process
     * does not outlive the authority it served; requests in them are refused by the token check anyway.
     */
    void sweep() {
        try {
            sessions.reap();
            sessions.closeIf(taskId -> {
                try {
                    return !tasks.get(taskId).isActive();
                } catch (dev.gatehouse.core.Problem.NotFound e) {
                    return true;
                }
            });
        } catch (RuntimeException e) {
            // the store may be briefly unavailable; the next sweep retries
        }
    }

    // --- authentication and sessions

    /** The live check of a presented task token; refusals are audited (with the reason, never the token). */
    TokenStatus authenticate(String token, String server) {
        TokenStatus status = tokens.check(token);
        if (status instanceof TokenStatus.Inactive inactive) {
            audit.record(AuditEvent.of("gateway.refused", AuditEvent.Category.ACCESS, "deny", "anonymous")
                    .withAction("mcp", server).withReason(inactive.reason()));
        }
        return status;
    }

    Optional<ToolServer> server(String id) {
        try {
            return Optional.of(registry.getToolServer(id));
        } catch (dev.gatehouse.core.Problem.NotFound e) {
            return Optional.empty();
        }
    }

    Optional<GatewaySessions.Session> session(String id, String server, VerifiedToken token) {
        sessions.reap();
        return sessions.find(id, server, token.taskId(), token.holder());
    }

    void end(GatewaySessions.Session session) { sessions.close(session); }

    int openSessions() { return sessions.size(); }

    /** A new session: opens the upstream, forwards {@code initialize}; the session id when it succeeded. */
    record Opened(String sessionId, Reply reply) {}

    Opened initialize(VerifiedToken token, ToolServer server, ObjectNode request) {
        JsonNode id = request.get("id");
        if (sessions.full()) return new Opened(null, Reply.of(error(id, UPSTREAM_FAILED, "too many open sessions", "gateway_busy")));
        Upstream upstream;
        try {
            upstream = upstreams.open(server);
        } catch (Upstream.UpstreamException e) {
            return new Opened(null, Reply.of(error(id, UPSTREAM_FAILED, "the tool server is not available", e.reason())));
        }
        Upstream.Exchange exchange;
        try {
            exchange = upstream.request(request, settings.upstreamTimeout());
        } catch (Upstream.UpstreamException e) {
            upstream.close();
            return new Opened(null, Reply.of(error(id, UPSTREAM_FAILED, "the tool server is not available", e.reason())));
        }
        JsonNode result = exchange.response().get("result");
        if (result == null || !result.isObject()) {
            upstream.close();
            return new Opened(null, new Reply((ObjectNode) exchange.response(), exchange.interim()));
        }
        String version = result.path("protocolVersion").asText("");
        if (!PROTOCOL_VERSIONS.contains(version)) {
            upstream.close();
            return new Opened(null, Reply.of(error(id, UPSTREAM_FAILED, "the tool server speaks an unsupported protocol version",
                    "upstream_protocol")));
        }
        upstream.protocolVersion(version);
        GatewaySessions.Session session = new GatewaySessions.Session(secrets.newSecret("mcps_"), server.id(), token.taskId(),
                token.holder(), upstream, clock.instant());
        session.protocolVersion = version;
        sessions.add(session);
        return new Opened(session.id, new Reply((ObjectNode) exchange.response(), exchange.interim()));
    }

    /** A notification or a response to an upstream request: forwarded as is. */
    void forward(GatewaySessions.Session session, ObjectNode message) throws Upstream.UpstreamException {
        session.upstream.send(message);
    }

    // --- requests

    Reply request(GatewaySessions.Session session, VerifiedToken token, ToolServer server, ObjectNode request) {
        String method = request.get("method").asText();
        JsonNode id = request.get("id");
        switch (method) {
            case "initialize":
                return Reply.of(error(id, INVALID_REQUEST, "the session is already initialized", null));
            case "tools/list":
                return listTools(session, token, server, request);
            case "tools/call":
                return callTool(session, token, server, request);
            default:
                if (!PASS_THROUGH.contains(method)) {
                    return Reply.of(error(id, METHOD_NOT_FOUND, "method not found", null));
                }
                try {
                    Upstream.Exchange ex = session.upstream.request(request, settings.upstreamTimeout());
                    if (method.equals("resources/read")) {
                        InspectionResult read = inspector.inspect(Json.write(ex.response()) + Json.write(ex.interim()), Set.of());
                        state.recordCall(token.taskId(), read.classification().level(), false);
                    }
                    return new Reply((ObjectNode) ex.response(), ex.interim());
                } catch (Upstream.UpstreamException e) {
                    return Reply.of(error(id, UPSTREAM_FAILED, "the tool server failed", e.reason()));
                }
        }
    }

    private Reply listTools(GatewaySessions.Session session, VerifiedToken token, ToolServer server, ObjectNode request) {
        Upstream.Exchange ex;
        try {
            ex = session.upstream.request(request, settings.upstreamTimeout());
        } catch (Upstream.UpstreamException e) {
            return Reply.of(error(request.get("id"), UPSTREAM_FAILED, "the tool server failed", e.reason()));
        }
        ObjectNode response = (ObjectNode) ex.response();
        JsonNode listed = response.path("result").path("tools");
        if (!listed.isArray()) return new Reply(response, ex.interim());
        List<Tool> discovered = new ArrayList<>();
        for (JsonNode t : listed) {
            if (t.path("name").isTextual()) {
                discovered.add(new Tool(t.get("name").asText(), t.path("description").asText(null), null, null, null, false));
            }
        }
        ToolServer known = registry.recordDiscoveredTools(server.id(), discovered, "system:gateway");
        Map<String, Identity> chain = chain(token);
        TaskSessionState.State taint = state.get(token.taskId());
        ArrayNode permitted = NODES.arrayNode();
        for (JsonNode t : listed) {
            Tool tool = t.path("name").isTextual() ? find(known, t.get("name").asText()) : null;
            if (tool == null || !inTaskScope(token, known.id(), tool)) continue;
            // Listing uses the caller's live session state: a tool the next call could not use is not offered.
            Decision d = decide(token, chain, known.id(), tool, InspectionResult.clean(), taint, false, Set.of()).decision();
            if (!(d instanceof Decision.Deny)) permitted.add(t);
        }
        ((ObjectNode) response.get("result")).set("tools", permitted);
        return new Reply(response, ex.interim());
    }

    private Reply callTool(GatewaySessions.Session session, VerifiedToken token, ToolServer server, ObjectNode request) {
        JsonNode id = request.get("id");
        JsonNode params = request.get("params");
        if (params == null || !params.isObject() || !params.path("name").isTextual()) {
            return Reply.of(error(id, INVALID_PARAMS, "tools/call needs params.name", null));
        }
        if (params.has("task")) {
            // A task-augmented call would deliver its result later through tasks/result, past result inspection.
            return Reply.of(error(id, INVALID_PARAMS, "task-augmented tool calls are not supported through the gateway", null));
        }
        JsonNode arguments = params.has("arguments") ? params.get("arguments") : NODES.objectNode();
        String name = params.get("name").asText();
        String toolId = Tool.id(server.id(), name);
        String argumentsJson = Json.write(arguments);
        InspectionResult argumentsInspection = inspector.inspect(argumentsJson, Set.of());
        Call call = new Call(token, server.id(), name, argumentsInspection, argumentsJson.length());

        Tool tool = find(server, name);
        if (tool == null) return refuse(call, id, "unknown_tool", null, null);
        call.tool = tool;
        if (!inTaskScope(token, server.id(), tool)) return refuse(call, id, "outside_task_scope", null, null);
        Optional<String> limited = rates.admit(token.holder(), token.taskId(), call.argumentBytes);
        if (limited.isPresent()) return refuse(call, id, limited.get(), null, null);

        Map<String, Identity> chain = chain(token);
        TaskSessionState.State before = state.get(token.taskId());
        call.taintBefore = before.taintLevel();
        String digest = digest(arguments);
        ChainDecision.Combined combined = decide(token, chain, server.id(), tool, argumentsInspection, before, false, Set.of());
        // Approval only ever lifts a hold: a call denied for another reason (guards, taint, scope, limits) never
        // uses up a human's grant or a break-glass. Break-glass first, so a standing emergency grant spares approvals.
        if (combined.decision() instanceof Decision.Hold && approvals != null) {
            Set<String> glass = new java.util.HashSet<>();
            for (String hop : token.chain()) if (approvals.breakGlassCovers(hop, toolId)) glass.add(hop);
            if (!glass.isEmpty()) {
                combined = decide(token, chain, server.id(), tool, argumentsInspection, before, false, glass);
            } else if (approvals.consumeGrant(token.taskId(), toolId, digest)) {
                combined = decide(token, chain, server.id(), tool, argumentsInspection, before, true, Set.of());
            }
        }
        Decision decision = combined.decision();
        if (decision instanceof Decision.Deny deny) {
            return refuse(call, id, deny.reason(), deny, combined.decided());
        }
        if (decision instanceof Decision.Hold hold) {
            if (approvals == null) return refuse(call, id, "approval_required", hold, combined.decided());
            String onBehalfOf = onBehalfOf(token);
            ApprovalRequest held = approvals.hold(new HeldCall(token.holder(), token.chain(), onBehalfOf.isEmpty() ? null : onBehalfOf,
                    token.taskId(), token.intent(), toolId, digest, summary(toolId, argumentsJson), tool.risk().wire(),
                    hold.policies(), hold.approvers()));
            record(call, "hold", "approval_required", hold, Map.of("approvalRequest", held.id()));
            ObjectNode result = NODES.objectNode();
            result.putArray("content").addObject().put("type", "text").put("text", "This call needs a human's approval and was not run. "
                    + "Approval request " + held.id() + " is pending; call the tool again with the same arguments once it is approved.");
            result.put("isError", true);
            result.putObject("_meta").putObject("dev.gatehouse/approval").put("requestId", held.id()).put("status", held.status());
            return Reply.of(response(id, result));
        }

        Upstream.Exchange ex;
        try {
            ex = session.upstream.request(request, settings.upstreamTimeout());
        } catch (Upstream.UpstreamException e) {
            state.recordCall(token.taskId(), 0, true);
            record(call, "failure", e.reason(), decision, Map.of());
            return Reply.of(error(id, UPSTREAM_FAILED, "the tool server failed", e.reason()));
        }
        ObjectNode response = (ObjectNode) ex.response();
        List<JsonNode> interim = ex.interim();
        String resultJson = Json.write(response) + (interim.isEmpty() ? "" : Json.write(interim));
        InspectionResult resultInspection;
        if (settings.redactServers().contains(server.id())) {
            Redacted r = redact(response, interim);
            response = r.response;
            interim = r.interim;
            resultInspection = r.inspection;
        } else {
            resultInspection = inspector.inspect(resultJson, Set.of());
        }
        rates.addBytes(token.holder(), token.taskId(), resultJson.length());
        call.result = resultInspection;
        call.resultBytes = resultJson.length();
        InspectionResult inspected = resultInspection;
        // The raised taint and its audit record commit together (the audit append last, as JdbcAuditLog requires).
        tx.run(() -> {
            call.taintAfter = state.recordCall(token.taskId(), inspected.classification().level(), true).taintLevel();
            record(call, "allow", null, decision, Map.of());
        });
        return new Reply(response, interim);
    }

    // --- decisions

    private boolean inTaskScope(VerifiedToken token, String serverId, Tool tool) {
        return token.scope().coversTool(Tool.id(serverId, tool.name())) && token.scope().effects().contains(tool.effect());
    }

    private Map<String, Identity> chain(VerifiedToken token) {
        Map<String, Identity> out = new LinkedHashMap<>();
        for (String id : token.chain()) registry.find(id).ifPresent(i -> out.put(id, i));
        return out;
    }

    /** Evaluates the call for every identity of the token's chain; an identity that vanished is denied by the PDP's guards. */
    private ChainDecision.Combined decide(VerifiedToken token, Map<String, Identity> identities, String serverId, Tool tool,
                                          InspectionResult data, TaskSessionState.State session, boolean granted,
                                          Set<String> breakGlass) {
        String toolId = Tool.id(serverId, tool.name());
        List<Decision> out = new ArrayList<>();
        for (String id : token.chain()) {
            Identity who = identities.get(id);
            String kind = who == null ? "agent" : who.kind().wire();
            boolean approved = granted || breakGlass.contains(id);
            out.add(decisions.decide(new DecisionRequest(EntityRef.of(kind, id), tool.effect().wire(), EntityRef.of("tool", toolId),
                    context(token, data, session, approved))));
            if (out.get(out.size() - 1) instanceof Decision.Deny) break;
        }
        return ChainDecision.combine(token.chain(), out);
    }

    private Map<String, Object> context(VerifiedToken token, InspectionResult data, TaskSessionState.State session, boolean granted) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("task", Map.of("id", token.taskId(), "intent", token.intent() == null ? "" : token.intent(),
                "scope", token.scope().tools()));
        ctx.put("delegation", Map.of("depth", (long) token.depth(), "chain", token.chain(), "onBehalfOf", onBehalfOf(token)));
        ctx.put("data", Map.of("classification", data.classification().wire(), "level", (long) data.classification().level(),
                "findings", List.copyOf(data.findingTypes())));
        ctx.put("session", Map.of("taintLevel", (long) session.taintLevel(), "calls", session.calls()));
        ctx.put("approval", Map.of("granted", granted));
        return ctx;
    }

    /** The human the task's identity acts for: its owner (as the credential broker records it). */
    /** The human the task's identity (first of the chain) acts for, or "" (see {@link Identity#actsOnBehalfOf()}). */
    private String onBehalfOf(VerifiedToken token) {
        if (token.chain().isEmpty()) return "";
        String human = registry.find(token.chain().get(0)).map(Identity::actsOnBehalfOf).orElse(null);
        return human == null ? "" : human;
    }

    // --- results, refusals, audit

    private static final class Call {
        final VerifiedToken token;
        final String server;
        final String name;
        final InspectionResult arguments;
        final long argumentBytes;
        Tool tool;
        InspectionResult result;
        int taintBefore;
        int taintAfter;
        long resultBytes;

        Call(VerifiedToken token, String server, String name, InspectionResult arguments, long argumentBytes) {
            this.token = token;
            this.server = server;
            this.name = name;
            this.arguments = arguments;
            this.argumentBytes = argumentBytes;
        }
    }

    private Reply refuse(Call call, JsonNode id, String reason, Decision decision, String decidedBy) {
        record(call, "deny", reason, decision, decidedBy == null ? Map.of() : Map.of("refusedFor", decidedBy));
        return Reply.of(error(id, REFUSED, "Gatehouse refused the call: " + reason, reason));
    }

    private void record(Call call, String outcome, String reason, Decision decision, Map<String, Object> extra) {
        VerifiedToken t = call.token;
        Effect effect = call.tool == null ? Effect.EXECUTE : call.tool.effect();
        Map<String, Object> detail = new TreeMap<>(extra);
        detail.put("server", call.server);
        detail.put("tool", call.name);
        detail.put("classification", call.arguments.classification().wire());
        detail.put("findings", List.copyOf(call.arguments.findingTypes()));
        detail.put("argumentBytes", call.argumentBytes);
        if (call.tool != null) {
            detail.put("risk", call.tool.risk().wire());
            detail.put("destination", call.tool.destination().wire());
        }
        if (call.result != null) {
            detail.put("resultClassification", call.result.classification().wire());
            detail.put("resultFindings", List.copyOf(call.result.findingTypes()));
            detail.put("resultBytes", call.resultBytes);
            detail.put("taintLevel", call.taintAfter);
        } else {
            detail.put("taintLevel", call.taintBefore);
        }
        Identity holder = registry.find(t.holder()).orElse(null);
        String onBehalfOf = onBehalfOf(t);
        AuditEvent.Category category = effect == Effect.READ ? AuditEvent.Category.ACCESS : AuditEvent.Category.PRIVILEGED;
        audit.record(AuditEvent.of("gateway.call", category, outcome, "identity:" + t.holder())
                .withSubject(t.holder(), holder == null ? null : holder.kind().wire(), holder == null ? null : holder.owner())
                .withDelegation(onBehalfOf.isEmpty() ? null : onBehalfOf, t.chain())
                .withTask(t.taskId(), t.jti())
                .withAction(effect.wire(), Tool.id(call.server, call.name))
                .withPolicy(decision == null ? List.of() : decision.policies(), decision == null ? null : decision.policyVersion())
                .withReason(reason)
                .withDetail(detail));
    }

    private record Redacted(ObjectNode response, List<JsonNode> interim, InspectionResult inspection) {}

    /** Masks findings in every text the agent would see (result content and relayed messages). */
    private Redacted redact(ObjectNode response, List<JsonNode> interim) {
        Classification highest = Classification.PUBLIC;
        Map<String, dev.gatehouse.inspection.Finding> findings = new TreeMap<>();
        Inspector.Redaction r = inspector.redact(Json.write(response), Set.of());
        Inspector.Redaction ri = inspector.redact(Json.write(interim), Set.of());
        for (Inspector.Redaction x : List.of(r, ri)) {
            highest = highest.max(x.result().classification());
            for (var f : x.result().findings()) findings.merge(f.type(), f,
                    (a, b) -> new dev.gatehouse.inspection.Finding(a.type(), a.classification().max(b.classification()), a.count() + b.count()));
        }
        try {
            ObjectNode masked = (ObjectNode) Json.MAPPER.readTree(r.content());
            List<JsonNode> maskedInterim = new ArrayList<>();
            Json.MAPPER.readTree(ri.content()).forEach(maskedInterim::add);
            return new Redacted(masked, maskedInterim, new InspectionResult(highest, new ArrayList<>(findings.values())));
        } catch (Exception e) {
            // A mask that broke the JSON must not let the unmasked result through: replace it with an error result.
            ObjectNode result = NODES.objectNode();
            result.putArray("content").addObject().put("type", "text").put("text", "[result withheld: it could not be redacted]");
            result.put("isError", true);
            return new Redacted(response(response.get("id"), result), List.of(),
                    new InspectionResult(highest, new ArrayList<>(findings.values())));
        }
    }

    private String summary(String toolId, String argumentsJson) {
        String masked = inspector.redact(argumentsJson, Set.of()).content();
        return toolId + " " + (masked.length() > 500 ? masked.substring(0, 500) + "…" : masked);
    }

    private static String digest(JsonNode arguments) {
        return Secrets.sha256Hex(Json.canonical(arguments));
    }

    private static Tool find(ToolServer server, String name) {
        for (Tool t : server.tools()) if (t.name().equals(name)) return t;
        return null;
    }

    static ObjectNode response(JsonNode id, JsonNode result) {
        ObjectNode out = NODES.objectNode();
        out.put("jsonrpc", "2.0");
        out.set("id", id);
        out.set("result", result);
        return out;
    }

    /** A JSON-RPC error; {@code reason} (a short code) goes to {@code error.data.reason}. Never policy text. */
    static ObjectNode error(JsonNode id, int code, String message, String reason) {
        ObjectNode out = NODES.objectNode();
        out.put("jsonrpc", "2.0");
        out.set("id", id == null ? NODES.nullNode() : id);
        ObjectNode err = out.putObject("error");
        err.put("code", code);
        err.put("message", message);
        if (reason != null) err.putObject("data").put("reason", reason);
        return out;
    }

    Instant now() { return clock.instant(); }

    @Override
    public void close() {
        sweeper.shutdownNow();
        sessions.close();
    }
}
