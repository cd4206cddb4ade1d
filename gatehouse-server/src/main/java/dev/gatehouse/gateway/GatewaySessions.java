package dev.gatehouse.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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

        Session(String id, String server, String taskId, String holder, Upstream upstream, Instant now) {
            this.id = id;
            this.server = server;
            this.taskId = taskId;
            this.holder = holder;
            this.upstream = upstream;
            this.lastUsed = now;
        }
    }

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
