package dev.gatehouse.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Open gateway sessions of this node (MCP {@code Mcp-Session-Id}), each bound to one tool server,
 * one task and the identity holding the token, and owning its upstream connection. Sessions live in
 * memory: behind a load balancer, route by {@code Mcp-Session-Id} (sticky sessions). What must be
 * shared across nodes (taint, call counts) is in the store.
 */
final class GatewaySessions implements AutoCloseable {
    static final class Session {
        final String id;
        final String server;
        final String taskId;
        final String holder;
        final Upstream upstream;
        volatile String protocolVersion;
        volatile Instant lastUsed;
        /** Ids (as JSON text) of the client's requests forwarded and not yet answered: what a cancellation may name. */
        final Set<String> inFlight = ConcurrentHashMap.newKeySet();
        /** Requests the upstream sent the client (relayed), by id as JSON text: the only responses the client may send. */
        final Map<String, UpstreamRequest> upstreamRequests = new ConcurrentHashMap<>();
        /** Resource URIs this session subscribed to: the only ones it may unsubscribe from. */
        final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
        final AtomicBoolean initializedSent = new AtomicBoolean();

        Session(String id, String server, String taskId, String holder, Upstream upstream, Instant now) {
            this.id = id;
            this.server = server;
            this.taskId = taskId;
            this.holder = holder;
            this.upstream = upstream;
            this.lastUsed = now;
        }
    }

    /** A request the upstream made of the client, relayed and not answered yet. */
    record UpstreamRequest(String method) {}

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idle;
    private final int max;

    GatewaySessions(Clock clock, Duration idle, int max) {
        this.clock = clock;
        this.idle = idle;
        this.max = max;
    }

    boolean full() {
        reap();
        return sessions.size() >= max;
    }

    void add(Session s) { sessions.put(s.id, s); }

    /** The session, only for the task and holder it was opened by and on its own server (else: not found). */
    Optional<Session> find(String id, String server, String taskId, String holder) {
        Session s = id == null ? null : sessions.get(id);
        if (s == null || !s.server.equals(server) || !s.taskId.equals(taskId) || !s.holder.equals(holder)) return Optional.empty();
        s.lastUsed = clock.instant();
        return Optional.of(s);
    }

    void close(Session s) {
        if (sessions.remove(s.id, s)) s.upstream.close();
    }

    /** Closes the session with this id, whoever holds it (its token was found no longer live). */
    void close(String id) {
        Session s = id == null ? null : sessions.get(id);
        if (s != null) close(s);
    }

    int size() { return sessions.size(); }

    /** Closes sessions idle longer than the limit (and so their stdio processes). */
    void reap() {
        Instant cutoff = clock.instant().minus(idle);
        List<Session> stale = new ArrayList<>();
        for (Session s : sessions.values()) if (s.lastUsed.isBefore(cutoff)) stale.add(s);
        stale.forEach(this::close);
    }

    /** Closes every session whose task {@code ended} says has ended (asked once per task). */
    void closeIf(java.util.function.Predicate<String> ended) {
        Map<String, Boolean> answers = new java.util.HashMap<>();
        for (Session s : new ArrayList<>(sessions.values())) {
            if (answers.computeIfAbsent(s.taskId, ended::test)) close(s);
        }
    }

    @Override
    public void close() {
        new ArrayList<>(sessions.values()).forEach(this::close);
    }
}
