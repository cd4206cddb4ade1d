package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.HeldCall;
import dev.gatehouse.core.Problem;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.credentials.CallTokens;
import dev.gatehouse.credentials.TaskService;
import dev.gatehouse.credentials.TokenService;
import dev.gatehouse.credentials.TokenStatus;
import dev.gatehouse.credentials.VerifiedToken;
import dev.gatehouse.inspection.Classification;
import dev.gatehouse.inspection.Finding;
import dev.gatehouse.inspection.InspectionResult;
import dev.gatehouse.inspection.Inspector;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.DecisionService;
import dev.gatehouse.registry.Feature;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.ObservedFeature;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.ScopePatterns;
import dev.gatehouse.registry.Suggestion;
import dev.gatehouse.registry.ToolServer;
import dev.gatehouse.registry.UriPatterns;
import dev.gatehouse.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The MCP enforcement point: a reference monitor every message between an agent and a tool server
 * passes, in both directions. Each message is classified once ({@link McpMessage}) and handled by
 * the rule of its kind; a kind without a rule is refused, never forwarded:
 * <ul>
 *   <li>{@code initialize}: the task's scope must reach this server; the gateway presents its own
 *       client information and capabilities;</li>
 *   <li>listings: forwarded, then filtered to what the task may use; what the upstream offers is
 *       recorded in the registry (unknown features quarantined, changed definitions too);</li>
 *   <li>governed actions ({@code tools/call}, {@code resources/read|subscribe}, {@code prompts/get},
 *       {@code completion/complete}): the object is resolved and must be classified and unchanged,
 *       in the task's scope, within limits; the payload is inspected as data sent to that server;
 *       every hop of the delegation chain is decided; holds wait for a human; the decision is
 *       recorded before anything is forwarded; the result is inspected, raises the taint, and is
 *       recorded;</li>
 *   <li>notifications: an allow-list; client responses: only to requests the upstream made;</li>
 *   <li>anything else: method not found.</li>
 * </ul>
 * Transport concerns (HTTP, SSE, session headers, bearer challenges) belong to {@link McpRoutes}.
 */
public final class McpGateway implements AutoCloseable {
    /** Protocol versions the gateway accepts in {@code MCP-Protocol-Version}, newest first. */
    public static final List<String> PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26");

    /** What the gateway tells upstreams it is; the agent's own client information is never passed on. */
    static final String CLIENT_NAME = "gatehouse-gateway";

    /** Builds the connection to a tool server's upstream for a new session. */
    @FunctionalInterface
    public interface UpstreamFactory {
        Upstream open(ToolServer server) throws Upstream.UpstreamException;

        /** How requests to {@code server} are authenticated, as their caller (for requests another proxy forwards). */
        default UpstreamAuthenticator authenticator(ToolServer server) { return UpstreamAuthenticator.NONE; }
    }

    /** How a message is answered. */
    sealed interface Answer permits Reply, Accepted, Rejected {}

    /** The response to a request, and the upstream's messages that preceded it (relayed in order). */
    record Reply(ObjectNode response, List<JsonNode> interim) implements Answer {
        static Reply of(ObjectNode response) { return new Reply(response, List.of()); }
    }

    /** A notification or response taken (202): forwarded, or dropped and recorded. */
    record Accepted() implements Answer {}

    /** A response or notification that cannot be taken, with the HTTP status to say so. */
    record Rejected(int status, ObjectNode error) implements Answer {}

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

    /**
     * @param identityTaintWindow how long data an identity read keeps tainting its other tasks
     *                            ({@code context.session.identityTaintLevel})
     */
    public record Settings(Duration upstreamTimeout, Duration sessionIdle, int maxSessions, Limits limits,
                           Set<String> redactServers, Duration identityTaintWindow) {}

    private final RegistryService registry;
    private final TokenService tokens;
    private final TaskService tasks;
    private final Inspector inspector;
    private final ApprovalService approvals;
    private final Clock clock;
    private final Secrets secrets;
    private final Settings settings;
    private final UpstreamFactory upstreams;
    private final Transactions tx;
    private final TaskSessionState state;
    private final GatewaySessions sessions;
    private final RateLimits rates;
    private final CallRate callRate;
    private final ChainAuthorizer authorizer;
    private final GatewayRecords records;
    private final ScheduledExecutorService sweeper;

    /** @param approvals null when no approval service is wired: held calls are then refused with {@code approval_required} */
    public McpGateway(RegistryService registry, TokenService tokens, TaskService tasks, DecisionService decisions, Inspector inspector,
                      ApprovalService approvals, dev.gatehouse.audit.AuditLog audit, Transactions tx, Clock clock, Secrets secrets,
                      Settings settings, UpstreamFactory upstreams) {
        this.registry = registry;
        this.tokens = tokens;
        this.tasks = tasks;
        this.inspector = inspector;
        this.approvals = approvals;
        this.clock = clock;
        this.secrets = secrets;
        this.settings = settings;
        this.upstreams = upstreams;
        this.tx = tx;
        this.state = new TaskSessionState(tx, clock, settings.identityTaintWindow());
        this.sessions = new GatewaySessions(clock, settings.sessionIdle(), settings.maxSessions());
        this.rates = new RateLimits(settings.limits(), clock);
        this.callRate = new CallRate(clock);
        this.authorizer = new ChainAuthorizer(decisions);
        this.records = new GatewayRecords(audit);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mcp-session-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 30, 30, TimeUnit.SECONDS);
    }

    /**
     * Closes idle sessions and those whose task ended (completed, expired, revoked), so a stdio process
     * does not outlive the authority it served (requests in them are refused by the token check anyway),
     * and forgets identity taint older than its window.
     */
    void sweep() {
        try {
            sessions.reap();
            sessions.closeIf(taskId -> {
                try {
                    return !tasks.get(taskId).isActive();
                } catch (Problem.NotFound e) {
                    return true;
                }
            });
            state.expire();
        } catch (RuntimeException e) {
            // the store may be briefly unavailable; the next sweep retries
        }
    }

    // --- admission

    /** The live check of a presented task token; refusals are audited (with the reason, never the token). */
    TokenStatus authenticate(String token, String server) {
        TokenStatus status = tokens.check(token);
        if (status instanceof TokenStatus.Inactive inactive) records.refusedToken(server, inactive.reason());
        // The holder is acting through the gateway: its lastSeen moves (throttled by the registry, in its own transaction).
        if (status instanceof TokenStatus.Active active) registry.touch(active.token().holder(), clock.instant());
        return status;
    }

    Optional<ToolServer> server(String id) {
        try {
            return Optional.of(registry.getToolServer(id));
        } catch (Problem.NotFound e) {
            return Optional.empty();
        }
    }

    Optional<GatewaySessions.Session> session(String id, String server, VerifiedToken token) {
        sessions.reap();
        return sessions.find(id, server, token.taskId(), token.holder());
    }

    void end(GatewaySessions.Session session) { sessions.close(session); }

    /** Closes a session whose bearer presented a token that is no longer live: its authority is gone. */
    void endRevoked(String sessionId) { sessions.close(sessionId); }

    int openSessions() { return sessions.size(); }

    /** The caller of one message: the token and its chain's identities, loaded once. */
    private Caller admit(VerifiedToken token) {
        Map<String, Identity> identities = new LinkedHashMap<>();
        for (String id : token.chain()) registry.find(id).ifPresent(i -> identities.put(id, i));
        Identity first = token.chain().isEmpty() ? null : identities.get(token.chain().get(0));
        String human = first == null ? null : first.actsOnBehalfOf();
        return new Caller(token, identities, human == null ? "" : human);
    }

    // --- initialize

    /** A new session: the session id when it opened, and the reply. */
    record Opened(String sessionId, Reply reply) {}

    Opened initialize(VerifiedToken token, ToolServer server, McpMessage.Request request) {
        Caller caller = admit(token);
        JsonNode id = request.id();
        if (!ScopePatterns.reaches(token.scope().tools(), server.id())) {
            records.message(caller, server.id(), McpMethod.INITIALIZE, "deny", "server_outside_task_scope", Map.of());
            return new Opened(null, Reply.of(refusal(id, "server_outside_task_scope")));
        }
        if (sessions.full()) return new Opened(null, Reply.of(RpcError.response(id, RpcError.UPSTREAM_FAILED, "too many open sessions", "gateway_busy")));
        String requested = request.params().path("protocolVersion").asText("");
        ObjectNode params = McpMessage.NODES.objectNode();
        params.put("protocolVersion", PROTOCOL_VERSIONS.contains(requested) ? requested : PROTOCOL_VERSIONS.get(0));
        // The gateway relays upstream requests only with the response they precede, so it cannot answer sampling,
        // elicitation or roots requests in time: it offers the upstream no client capability at all.
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", CLIENT_NAME).put("version", version());
        if (!recorded(() -> records.message(caller, server.id(), McpMethod.INITIALIZE, "allow", null,
                Map.of("protocolVersion", params.get("protocolVersion").asText())))) {
            return new Opened(null, Reply.of(auditUnavailable(id)));
        }
        Upstream upstream;
        try {
            upstream = upstreams.open(server);
        } catch (Upstream.UpstreamException e) {
            return new Opened(null, Reply.of(upstreamFailed(id, e)));
        }
        Upstream.Exchange exchange;
        try {
            exchange = upstream.request(McpMessage.request(id, McpMethod.INITIALIZE, params), Attribution.of(caller, McpMethod.INITIALIZE),
                    settings.upstreamTimeout());
        } catch (Upstream.UpstreamException e) {
            upstream.close();
            if (e.refused()) recorded(() -> records.message(caller, server.id(), McpMethod.INITIALIZE, "deny", e.reason(), Map.of()));
            return new Opened(null, Reply.of(upstreamFailed(id, e)));
        }
        JsonNode result = exchange.response().get("result");
        if (result == null || !result.isObject()) {
            upstream.close();
            return new Opened(null, new Reply((ObjectNode) exchange.response(), exchange.interim()));
        }
        String negotiated = result.path("protocolVersion").asText("");
        if (!PROTOCOL_VERSIONS.contains(negotiated)) {
            upstream.close();
            return new Opened(null, Reply.of(RpcError.response(id, RpcError.UPSTREAM_FAILED,
                    "the tool server speaks an unsupported protocol version", "upstream_protocol")));
        }
        upstream.protocolVersion(negotiated);
        GatewaySessions.Session session = new GatewaySessions.Session(secrets.newSecret("mcps_"), server.id(), token.taskId(),
                token.holder(), upstream, clock.instant());
        session.protocolVersion = negotiated;
        sessions.add(session);
        return new Opened(session.id, new Reply((ObjectNode) exchange.response(), relayed(session, exchange.interim())));
    }

    private static String version() {
        String v = McpGateway.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    // --- every other message

    Answer receive(GatewaySessions.Session session, VerifiedToken token, ToolServer server, McpMessage message) {
        Caller caller = admit(token);
        if (message instanceof McpMessage.Request request) return request(session, caller, server, request);
        if (message instanceof McpMessage.Notification notification) return notification(session, caller, server, notification);
        return response(session, caller, server, (McpMessage.Response) message);
    }

    private Reply request(GatewaySessions.Session session, Caller caller, ToolServer server, McpMessage.Request request) {
        String method = request.method();
        JsonNode id = request.id();
        if (McpMethod.GOVERNED.contains(method)) return governed(session, caller, server, request);
        if (McpMethod.LISTINGS.contains(method)) return listing(session, caller, server, request);
        ObjectNode params = McpMessage.NODES.objectNode();
        switch (method) {
            case McpMethod.PING -> { /* no params */ }
            case McpMethod.LOGGING_SET_LEVEL -> {
                String level = request.params().path("level").asText("");
                if (!McpMethod.LOG_LEVELS.contains(level)) return invalidParams(caller, server, request, "logging/setLevel needs a valid level");
                params.put("level", level);
            }
            case McpMethod.RESOURCES_UNSUBSCRIBE -> {
                String uri = request.params().path("uri").asText("");
                if (!session.subscriptions.contains(uri)) {
                    records.message(caller, server.id(), method, "deny", "not_subscribed", Map.of());
                    return Reply.of(refusal(id, "not_subscribed"));
                }
                params.put("uri", uri);
            }
            case McpMethod.INITIALIZE -> {
                records.message(caller, server.id(), method, "deny", "already_initialized", Map.of());
                return Reply.of(RpcError.response(id, RpcError.INVALID_REQUEST, "the session is already initialized", null));
            }
            default -> {
                // A method nobody wrote a rule for could be a side door around the governed ones: never forwarded.
                records.message(caller, server.id(), clip(method), "deny", "method_not_found", Map.of());
                return Reply.of(RpcError.response(id, RpcError.METHOD_NOT_FOUND, "method not found", null));
            }
        }
        if (!recorded(() -> records.message(caller, server.id(), method, "allow", null, Map.of()))) return Reply.of(auditUnavailable(id));
        Reply reply = forward(session, McpMessage.request(id, method, params), Attribution.of(caller, method));
        if (method.equals(McpMethod.RESOURCES_UNSUBSCRIBE) && reply.response().has("result")) session.subscriptions.remove(params.get("uri").asText());
        return reply;
    }

    private Reply invalidParams(Caller caller, ToolServer server, McpMessage.Request request, String problem) {
        records.message(caller, server.id(), request.method(), "deny", "invalid_params", Map.of());
        return Reply.of(RpcError.response(request.id(), RpcError.INVALID_PARAMS, problem, null));
    }

    /** Forwards a request already recorded; the upstream's failure becomes an error the agent can read. */
    private Reply forward(GatewaySessions.Session session, ObjectNode upstreamRequest, Attribution on) {
        try {
            return exchange(session, upstreamRequest, on);
        } catch (Upstream.UpstreamException e) {
            return Reply.of(upstreamFailed(upstreamRequest.get("id"), e));
        }
    }

    /** Sends a request already recorded, authenticated as {@code on}, and reads the answer. */
    private Reply exchange(GatewaySessions.Session session, ObjectNode upstreamRequest, Attribution on) throws Upstream.UpstreamException {
        String key = McpMessage.write(upstreamRequest.get("id"));
        session.inFlight.add(key);
        try {
            Upstream.Exchange ex = session.upstream.request(upstreamRequest, on, settings.upstreamTimeout());
            return new Reply((ObjectNode) ex.response(), relayed(session, ex.interim()));
        } finally {
            session.inFlight.remove(key);
        }
    }

    /**
     * What the upstream sent the client before its response, filtered in this direction too: its
     * notifications (progress, log messages, list changes, updates of resources this session
     * subscribed to) and its {@code ping}s, remembered so the client may answer them. The gateway
     * offered no client capability, so a request for sampling, elicitation or roots — a way to put
     * words in the agent's model — is not relayed, nor is anything else.
     */
    private static List<JsonNode> relayed(GatewaySessions.Session session, List<JsonNode> interim) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : interim) {
            String method = m.path("method").asText("");
            if (m.has("id")) {
                if (method.equals(McpMethod.PING)) {
                    session.upstreamRequests.put(McpMessage.write(m.get("id")), new GatewaySessions.UpstreamRequest(method));
                    out.add(m);
                }
            } else if (McpMethod.RELAYED_NOTIFICATIONS.contains(method)
                    || method.equals(McpMethod.RESOURCE_UPDATED) && session.subscriptions.contains(m.path("params").path("uri").asText())) {
                out.add(m);
            }
        }
        return out;
    }

    // --- listings

    private Reply listing(GatewaySessions.Session session, Caller caller, ToolServer server, McpMessage.Request request) {
        ObjectNode params = McpMessage.NODES.objectNode();
        JsonNode cursor = request.params().get("cursor");
        if (cursor != null && cursor.isTextual()) params.put("cursor", cursor.textValue());
        if (!recorded(() -> records.list(caller, server.id(), request.method()))) return Reply.of(auditUnavailable(request.id()));
        Reply reply = forward(session, McpMessage.request(request.id(), request.method(), params), Attribution.of(caller, request.method()));
        JsonNode result = reply.response().get("result");
        Listing listing = Listing.of(request.method());
        if (result == null || !result.path(listing.field).isArray()) return reply;
        ArrayNode items = (ArrayNode) result.get(listing.field);

        List<ObservedFeature> seen = new ArrayList<>();
        for (JsonNode item : items) {
            String key = item.path(listing.key).isTextual() ? item.get(listing.key).textValue() : null;
            if (key == null) continue;
            // A listed resource a registered pattern already governs needs no entry of its own.
            if (listing.kind == Feature.Kind.RESOURCE && request.method().equals(McpMethod.RESOURCES_LIST)
                    && server.resourceFor(key).filter(r -> !r.uri().equals(key)).isPresent()) continue;
            seen.add(Listing.observed(listing, key, item));
        }
        ToolServer known = seen.isEmpty() ? server : registry.observe(server.id(), seen, "system:gateway");
        TaskSessionState.State live = state.get(caller.token().taskId(), caller.chain(), "");
        ChainAuthorizer.Facts facts = new ChainAuthorizer.Facts(InspectionResult.clean(), live, callRate.lastMinute(caller.holder()), null, null);
        ArrayNode offered = McpMessage.NODES.arrayNode();
        for (JsonNode item : items) {
            String key = item.path(listing.key).isTextual() ? item.get(listing.key).textValue() : null;
            if (key == null) continue;
            Object resolved = resolve(known, listing.kind, key);
            if (!(resolved instanceof Governed object) || !inScope(caller, object)) continue;
            // Listing uses the caller's live session state: what the next call could not use is not offered (a held one is).
            if (!(authorizer.decide(caller, object, facts, false, Set.of()).decision() instanceof Decision.Deny)) {
                offered.add(item);
            }
        }
        ((ObjectNode) result).set(listing.field, offered);
        return reply;
    }

    /** Input schemas larger than this are not kept (arguments are then typed from their values). */
    private static final int MAX_SCHEMA_CHARS = 64 * 1024;

    /** Where a listing keeps its items and how an item names and defines its feature. */
    private record Listing(Feature.Kind kind, String field, String key, List<String> definition) {
        static Listing of(String method) {
            return switch (method) {
                case McpMethod.TOOLS_LIST -> new Listing(Feature.Kind.TOOL, "tools", "name",
                        List.of("name", "title", "description", "inputSchema", "outputSchema", "annotations"));
                case McpMethod.RESOURCES_LIST -> new Listing(Feature.Kind.RESOURCE, "resources", "uri",
                        List.of("uri", "name", "title", "description", "mimeType", "annotations"));
                case McpMethod.RESOURCES_TEMPLATES_LIST -> new Listing(Feature.Kind.RESOURCE, "resourceTemplates", "uriTemplate",
                        List.of("uriTemplate", "name", "title", "description", "mimeType", "annotations"));
                case McpMethod.PROMPTS_LIST -> new Listing(Feature.Kind.PROMPT, "prompts", "name",
                        List.of("name", "title", "description", "arguments"));
                default -> throw new IllegalArgumentException(method);
            };
        }

        /** The definition's digest (what a model reads and what shapes a call) and each field's, to name what changed. */
        static ObservedFeature observed(Listing listing, String key, JsonNode item) {
            ObjectNode definition = McpMessage.NODES.objectNode();
            Map<String, String> fields = new TreeMap<>();
            for (String f : listing.definition) {
                if (item.has(f)) {
                    definition.set(f, item.get(f));
                    fields.put(f, CanonicalDigest.of(item.get(f)));
                }
            }
            return new ObservedFeature(listing.kind, key, item.path("description").asText(null), CanonicalDigest.of(definition), fields,
                    inputSchema(listing.kind, item), listing.kind == Feature.Kind.TOOL ? Suggestion.of(item.get("annotations")) : null);
        }

        /** The schema of what a call sends: a tool's {@code inputSchema}; a prompt's arguments (strings); kept only when small. */
        private static JsonNode inputSchema(Feature.Kind kind, JsonNode item) {
            JsonNode schema = null;
            if (kind == Feature.Kind.TOOL && item.path("inputSchema").isObject()) {
                schema = item.get("inputSchema");
            } else if (kind == Feature.Kind.PROMPT && item.path("arguments").isArray()) {
                ObjectNode s = McpMessage.NODES.objectNode().put("type", "object");
                ObjectNode properties = s.putObject("properties");
                for (JsonNode a : item.get("arguments")) {
                    if (a.path("name").isTextual()) properties.putObject(a.get("name").asText()).put("type", "string");
                }
                schema = s;
            }
            return schema != null && McpMessage.write(schema).length() <= MAX_SCHEMA_CHARS ? schema : null;
        }
    }

    // --- governed actions

    /**
     * One governed call as it passes the stages: who sends it (with the chain's identities), the object it
     * uses, what it sends and what that carries, and the session state before it. Built once, read by
     * every stage (decide, hold, record, forward, inspect the result, record the outcome).
     */
    private record Call(String id, Caller caller, GovernedRequest request, Governed object, String scopeId, ToolServer server,
                        String payload, String digest, ChainAuthorizer.Facts facts) {
        InspectionResult data() { return facts.data(); }
    }

    private Reply governed(GatewaySessions.Session session, Caller caller, ToolServer server, McpMessage.Request request) {
        JsonNode id = request.id();
        GovernedRequest g;
        try {
            g = GovernedRequest.of(request);
        } catch (GovernedRequest.Invalid e) {
            return invalidParams(caller, server, request, e.getMessage());
        }
        String callId = secrets.newId("call_");
        String payload = McpMessage.write(g.payload());
        InspectionResult data = inspector.inspect(payload, Set.of());
        String scopeId = server.id() + "/" + g.kind().scopePrefix() + g.key();

        // Admission: the object must be one this task may use, within its limits.
        Object resolved = resolve(server, g.kind(), g.key());
        Governed object = resolved instanceof Governed o ? o : null;
        String refused = object == null ? (String) resolved : !inScope(caller, object) ? "outside_task_scope"
                : rates.admit(caller.holder(), caller.token().taskId(), payload.length()).orElse(null);
        if (refused != null) {
            Call call = new Call(callId, caller, g, object, scopeId, server, payload, null, new ChainAuthorizer.Facts(data, null, 0, null, null));
            return refuse(call, refused, null, Map.of(), id);
        }
        TaskSessionState.State before = state.get(caller.token().taskId(), caller.chain(), object.scopeId());
        Call call = new Call(callId, caller, g, object, scopeId, server, payload, CanonicalDigest.of(g.payload()),
                new ChainAuthorizer.Facts(data, before, callRate.lastMinute(caller.holder()), g.arguments(), null));

        ChainDecision.Combined combined = decide(call);
        Decision decision = combined.decision();
        if (decision instanceof Decision.Deny deny) return refuse(call, reasonOf(deny), combined, Map.of(), id);
        if (decision instanceof Decision.Hold hold) return hold(call, hold, combined, id);

        // The decision to let the call through is durable before the upstream sees anything.
        if (!recorded(() -> records.call(call.id(), caller, g.method(), object, scopeId, server.id(), data, payload.length(), before, "allow",
                null, combined, Map.of("argumentsDigest", call.digest())))) {
            return Reply.of(auditUnavailable(id));
        }
        callRate.count(caller.holder());
        Attribution on = new Attribution(caller, new CallTokens.Purpose(g.method(), g.kind().wire(), g.key(), call.digest()));
        Reply reply;
        try {
            reply = exchange(session, McpMessage.request(id, g.method(), g.forwardParams()), on);
        } catch (Upstream.UpstreamException e) {
            // Nothing came back (or nothing was sent: no credential for this caller): the allowed call's outcome says why.
            recorded(() -> records.result(call.id(), caller, g.method(), object, "failure", e.reason(), null, 0, null));
            return Reply.of(upstreamFailed(id, e));
        }
        return outcome(call, session, reply);
    }

    /**
     * What another enforcement point learns of a governed tool call it intercepted (an HTTP API behind a
     * proxy's ext_authz): {@code refused} (a reason) before any decision, or the combined decision of every hop.
     */
    public record ProxiedCall(String refused, ChainDecision.Combined combined, Map<String, String> upstreamHeaders) {}

    /**
     * Decides a tool call that reached its server through a proxy, exactly as a {@code tools/call} here: the
     * tool known and out of quarantine, inside the task's scope and effects, within the rate limits, then a
     * decision for every hop with the same context (session state, the holder's call rate, break-glass). An
     * allowed call is counted (session, call rate); its response is not seen here, so it taints nothing.
     * Approvals of held calls need the MCP retry flow: a held call is returned held, for the proxy to refuse.
     */
    public ProxiedCall decideProxied(VerifiedToken token, ToolServer server, String tool, InspectionResult data, long bytes) {
        Caller caller = admit(token);
        Object resolved = resolve(server, Feature.Kind.TOOL, tool);
        Governed object = resolved instanceof Governed o ? o : null;
        String refused = object == null ? (String) resolved : !inScope(caller, object) ? "outside_task_scope"
                : rates.admit(caller.holder(), token.taskId(), bytes).orElse(null);
        if (refused != null) return new ProxiedCall(refused, null, Map.of());
        TaskSessionState.State before = state.get(token.taskId(), caller.chain(), object.scopeId());
        ChainAuthorizer.Facts facts = new ChainAuthorizer.Facts(data, before, callRate.lastMinute(caller.holder()), null, null);
        ChainDecision.Combined combined = authorizer.decide(caller, object, facts, false, Set.of());
        if (combined.decision() instanceof Decision.Hold && approvals != null) {
            Set<String> glass = new HashSet<>();
            for (String hop : caller.chain()) if (approvals.breakGlassCovers(hop, object.scopeId())) glass.add(hop);
            if (!glass.isEmpty()) combined = authorizer.decide(caller, object, facts, false, glass);
        }
        if (!(combined.decision() instanceof Decision.Allow)) return new ProxiedCall(null, combined, Map.of());
        Map<String, String> upstreamHeaders;
        try {
            // The upstream sees this caller as at the MCP gateway: its own static credential, or a token minted for this call.
            upstreamHeaders = upstreams.authenticator(server).headers(new Attribution(caller,
                    new CallTokens.Purpose("tools/call", Feature.Kind.TOOL.wire(), tool, null)));
        } catch (Upstream.UpstreamException e) {
            return new ProxiedCall(e.refused() ? e.reason() : "upstream_credentials_unavailable", combined, Map.of());
        }
        callRate.count(caller.holder());
        state.record(token.taskId(), caller.chain(), 0, object.effect(), object.scopeId());
        return new ProxiedCall(null, combined, upstreamHeaders);
    }

    /**
     * Every hop's decision. Approval only ever lifts a hold: a call denied for another reason (guards, taint,
     * scope, limits) never uses up a human's grant or a break-glass. Break-glass first, so a standing emergency
     * grant spares approvals.
     */
    private ChainDecision.Combined decide(Call call) {
        ChainDecision.Combined combined = authorizer.decide(call.caller(), call.object(), call.facts(), false, Set.of());
        if (!(combined.decision() instanceof Decision.Hold) || approvals == null) return combined;
        Set<String> glass = new HashSet<>();
        for (String hop : call.caller().chain()) if (approvals.breakGlassCovers(hop, call.object().scopeId())) glass.add(hop);
        if (!glass.isEmpty()) return authorizer.decide(call.caller(), call.object(), call.facts(), false, glass);
        if (approvals.consumeGrant(call.caller().token().taskId(), call.object().scopeId(), call.digest())) {
            return authorizer.decide(call.caller(), call.object(), call.facts(), true, Set.of());
        }
        return combined;
    }

    /** A held call: recorded as a request for a human, answered with a result naming it (the call did not run). */
    private Reply hold(Call call, Decision.Hold hold, ChainDecision.Combined combined, JsonNode id) {
        if (approvals == null) return refuse(call, "approval_required", combined, Map.of(), id);
        Caller caller = call.caller();
        ApprovalRequest held = approvals.hold(new HeldCall(caller.holder(), caller.chain(),
                caller.onBehalfOf().isEmpty() ? null : caller.onBehalfOf(), caller.token().taskId(), caller.token().intent(),
                call.object().scopeId(), call.digest(), summary(call.object().scopeId(), call.payload()), call.object().risk().wire(),
                hold.policies(), hold.approvers()));
        records.call(call.id(), caller, call.request().method(), call.object(), call.scopeId(), call.server().id(), call.data(),
                call.payload().length(), call.facts().session(), "hold", "approval_required", combined, Map.of("approvalRequest", held.id()));
        ObjectNode result = McpMessage.NODES.objectNode();
        result.putArray("content").addObject().put("type", "text").put("text", "This call needs a human's approval and was not run. "
                + "Approval request " + held.id() + " is pending; call again with the same arguments once it is approved.");
        result.put("isError", true);
        result.putObject("_meta").putObject("dev.gatehouse/approval").put("requestId", held.id()).put("status", held.status());
        return Reply.of(McpMessage.result(id, result));
    }

    /**
     * What an allowed call returned: inspected, decided once more with the result's classification (a use
     * case's data ceiling), the taint raised and the outcome recorded. A result that may not be handed over,
     * or whose consequences cannot be recorded, is withheld.
     */
    private Reply outcome(Call call, GatewaySessions.Session session, Reply reply) {
        Caller caller = call.caller();
        GovernedRequest g = call.request();
        Governed object = call.object();
        JsonNode id = reply.response().get("id");
        if (isUpstreamFailure(reply.response())) {
            String reason = reply.response().path("error").path("data").path("reason").asText("upstream_failed");
            recorded(() -> records.result(call.id(), caller, g.method(), object, "failure", reason, null, 0, null));
            return reply;
        }
        ObjectNode response = reply.response();
        List<JsonNode> interim = reply.interim();
        String resultJson = McpMessage.write(response) + (interim.isEmpty() ? "" : interim.toString());
        InspectionResult inspected;
        if (settings.redactServers().contains(object.server().id())) {
            Redacted r = redact(response, interim);
            response = r.response;
            interim = r.interim;
            inspected = r.inspection;
        } else {
            inspected = inspector.inspect(resultJson, Set.of());
        }
        rates.addBytes(caller.holder(), caller.token().taskId(), resultJson.length());
        if (g.method().equals(McpMethod.RESOURCES_SUBSCRIBE) && response.has("result")) session.subscriptions.add(g.key());

        // May the result be handed over? (e.g. a use case's data ceiling). Withheld, the agent never sees it: it taints nothing.
        ChainDecision.Combined handover = inspected.classification().level() == 0 ? null
                : authorizer.decide(caller, object, call.facts().withResult(inspected), false, Set.of());
        Decision.Deny withheld = handover != null && handover.decision() instanceof Decision.Deny d ? d : null;
        String outcome = withheld == null ? "success" : "withheld";
        String reason = withheld == null ? null : reasonOf(withheld);
        try {
            // The raised taint and the result's record commit together (the record appended last, as every transaction does).
            tx.run(() -> {
                TaskSessionState.State after = state.record(caller.token().taskId(), caller.chain(),
                        withheld == null ? inspected.classification().level() : 0, object.effect(), object.scopeId());
                records.result(call.id(), caller, g.method(), object, outcome, reason, inspected, resultJson.length(), after);
            });
        } catch (RuntimeException e) {
            // The call ran but its consequences could not be kept: its outcome is still recorded on its own, and the
            // agent does not get data whose taint went unrecorded.
            recorded(() -> records.result(call.id(), caller, g.method(), object, "withheld", "session_state_unavailable", inspected,
                    resultJson.length(), null));
            return Reply.of(RpcError.response(id, RpcError.REFUSED, "Gatehouse withheld the result: it could not be recorded",
                    "session_state_unavailable"));
        }
        if (withheld != null) {
            drift(call, withheld, reason);
            return Reply.of(refusal(id, reason));
        }
        return new Reply(response, interim);
    }

    /** The reason an agent is told: a refusing policy's {@code @reason("…")}, else the decision point's code. */
    private static String reasonOf(Decision.Deny deny) {
        String annotated = deny.annotations().get("reason");
        return annotated == null || annotated.isBlank() ? deny.reason() : annotated;
    }

    /** A call refused by a use-case contract rule ({@code @contract}) is also a {@code contract.drift} event. */
    private void drift(Call call, Decision.Deny deny, String reason) {
        String contract = deny.annotations().get("contract");
        if (contract == null) return;
        recorded(() -> records.drift(call.caller(), call.scopeId(), call.request().method(), contract, reason));
    }

    private static boolean isUpstreamFailure(ObjectNode response) {
        return response.path("error").path("code").asInt() == RpcError.UPSTREAM_FAILED && response.path("error").path("data").has("reason");
    }

    /** The registered object {@code key} names on {@code server}, or the reason it may not be used. */
    private static Object resolve(ToolServer server, Feature.Kind kind, String key) {
        String word = kind.wire();
        // A URI that climbs out of where a pattern placed it (dot segments, encoded slashes) matches nothing.
        if (kind == Feature.Kind.RESOURCE && UriPatterns.escapes(key)) return "resource_uri_not_allowed";
        Optional<? extends Feature> feature = switch (kind) {
            case TOOL -> server.tool(key);
            case PROMPT -> server.prompt(key);
            case RESOURCE -> server.resourceFor(key);
        };
        if (feature.isEmpty()) return "unknown_" + word;
        return switch (feature.get().quarantine()) {
            case NONE -> new Governed(server, feature.get(), key);
            case UNCLASSIFIED -> "unclassified_" + word;
            case DEFINITION_CHANGED -> word + "_definition_changed";
        };
    }

    private static boolean inScope(Caller caller, Governed object) {
        return caller.token().scope().covers(object.scopeId()) && caller.token().scope().effects().contains(object.effect());
    }

    private Reply refuse(Call call, String reason, ChainDecision.Combined decision, Map<String, Object> extra, JsonNode id) {
        Map<String, Object> detail = new LinkedHashMap<>(extra);
        if (call.object() == null) detail.put("object", call.request().kind().wire());
        recorded(() -> records.call(call.id(), call.caller(), call.request().method(), call.object(), call.scopeId(), call.server().id(),
                call.data(), call.payload().length(), call.facts().session(), "deny", reason, decision, detail));
        if (decision != null && decision.decision() instanceof Decision.Deny deny) drift(call, deny, reason);
        return Reply.of(refusal(id, reason));
    }

    // --- notifications and responses from the client

    private Answer notification(GatewaySessions.Session session, Caller caller, ToolServer server, McpMessage.Notification n) {
        ObjectNode forward = null;
        String refused = "notification_not_allowed";
        switch (n.method()) {
            case McpMethod.INITIALIZED -> {
                if (session.initializedSent.compareAndSet(false, true)) forward = McpMessage.notification(McpMethod.INITIALIZED, null);
                else refused = "already_initialized";
            }
            case McpMethod.CANCELLED -> {
                JsonNode requestId = n.params().get("requestId");
                if (requestId != null && (requestId.isTextual() || requestId.isIntegralNumber())
                        && session.inFlight.contains(McpMessage.write(requestId))) {
                    // Only the id travels on: the free-text reason could carry data to the upstream.
                    ObjectNode params = McpMessage.NODES.objectNode();
                    params.set("requestId", requestId);
                    forward = McpMessage.notification(McpMethod.CANCELLED, params);
                } else {
                    refused = "not_in_flight";
                }
            }
            default -> { /* no other client notification is forwarded (roots are not offered upstream) */ }
        }
        if (forward == null) {
            // Not forwarded, recorded, and taken (202): the transport lets a server accept input it ignores.
            String reason = refused;
            recorded(() -> records.message(caller, server.id(), clip(n.method()), "deny", reason, Map.of()));
            return new Accepted();
        }
        if (!recorded(() -> records.message(caller, server.id(), n.method(), "allow", null, Map.of()))) {
            return new Rejected(503, auditUnavailable(null));
        }
        try {
            session.upstream.send(forward, Attribution.of(caller, n.method()));
        } catch (Upstream.UpstreamException e) {
            return new Rejected(502, upstreamFailed(null, e));
        }
        return new Accepted();
    }

    /** A client response: only to a request the upstream made on this session (a ping: the only one relayed), once. */
    private Answer response(GatewaySessions.Session session, Caller caller, ToolServer server, McpMessage.Response r) {
        GatewaySessions.UpstreamRequest asked = session.upstreamRequests.remove(McpMessage.write(r.id()));
        if (asked == null) {
            recorded(() -> records.message(caller, server.id(), null, "deny", "unsolicited_response", Map.of()));
            return new Rejected(400, RpcError.response(null, RpcError.INVALID_REQUEST, "no request of the server is waiting for this response", null));
        }
        // A ping's answer carries nothing: an empty result, whatever the client put in it.
        ObjectNode forward = McpMessage.result(r.id(), McpMessage.NODES.objectNode());
        if (!recorded(() -> records.message(caller, server.id(), asked.method(), "allow", null, Map.of("response", true)))) {
            return new Rejected(503, auditUnavailable(null));
        }
        try {
            session.upstream.send(forward, Attribution.of(caller, asked.method()));
        } catch (Upstream.UpstreamException e) {
            return new Rejected(502, upstreamFailed(null, e));
        }
        return new Accepted();
    }

    // --- results, errors

    private record Redacted(ObjectNode response, List<JsonNode> interim, InspectionResult inspection) {}

    /** Masks findings in every text the agent would see (result content and relayed messages). */
    private Redacted redact(ObjectNode response, List<JsonNode> interim) {
        Classification highest = Classification.PUBLIC;
        Map<String, Finding> findings = new TreeMap<>();
        Inspector.Redaction r = inspector.redact(McpMessage.write(response), Set.of());
        Inspector.Redaction ri = inspector.redact(interim.toString(), Set.of());
        for (Inspector.Redaction x : List.of(r, ri)) {
            highest = highest.max(x.result().classification());
            for (var f : x.result().findings()) {
                findings.merge(f.type(), f, (a, b) -> new Finding(a.type(), a.classification().max(b.classification()), a.count() + b.count()));
            }
        }
        try {
            ObjectNode masked = (ObjectNode) McpMessage.JSON.readTree(r.content());
            List<JsonNode> maskedInterim = new ArrayList<>();
            McpMessage.JSON.readTree(ri.content()).forEach(maskedInterim::add);
            return new Redacted(masked, maskedInterim, new InspectionResult(highest, new ArrayList<>(findings.values())));
        } catch (Exception e) {
            // A mask that broke the JSON must not let the unmasked result through: replace it with an error result.
            ObjectNode result = McpMessage.NODES.objectNode();
            result.putArray("content").addObject().put("type", "text").put("text", "[result withheld: it could not be redacted]");
            result.put("isError", true);
            return new Redacted(McpMessage.result(response.get("id"), result), List.of(),
                    new InspectionResult(highest, new ArrayList<>(findings.values())));
        }
    }

    private String summary(String objectId, String payload) {
        String masked = inspector.redact(payload, Set.of()).content();
        return objectId + " " + (masked.length() > 500 ? masked.substring(0, 500) + "…" : masked);
    }

    /** Runs an audit write; false when the record could not be made durable (the caller then does not proceed). */
    private static boolean recorded(Runnable write) {
        try {
            write.run();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String clip(String method) {
        return method.length() > 100 ? method.substring(0, 100) : method;
    }

    static ObjectNode refusal(JsonNode id, String reason) {
        return RpcError.response(id, RpcError.REFUSED, "Gatehouse refused the call: " + reason, reason);
    }

    private static ObjectNode auditUnavailable(JsonNode id) {
        return RpcError.response(id, RpcError.REFUSED, "Gatehouse refused the call: it could not be recorded", "audit_unavailable");
    }

    /** The upstream failed (-32003), or the gateway refused to reach it as this caller (-32001, e.g. {@code no_upstream_credential}). */
    private static ObjectNode upstreamFailed(JsonNode id, Upstream.UpstreamException e) {
        if (e.refused()) return refusal(id, e.reason());
        return RpcError.response(id, RpcError.UPSTREAM_FAILED, "the tool server failed", e.reason());
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        sessions.close();
    }
}
