package dev.gatehouse.gateway;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls per identity over the last 60 seconds, as policies see them
 * ({@code context.session.identityCallsLastMinute}): sixty one-second buckets per identity, so the
 * count slides with time instead of resetting each minute. Counted on this node (MCP sessions are
 * sticky to a node; an identity spreading calls over several nodes is counted per node).
 */
final class CallRate {
    private static final int SECONDS = 60;

    private static final class Buckets {
        final long[] second = new long[SECONDS];
        final long[] calls = new long[SECONDS];
    }

    private final Clock clock;
    private final Map<String, Buckets> identities = new ConcurrentHashMap<>();

    CallRate(Clock clock) { this.clock = clock; }

    /** Calls of {@code identity} in the last 60 seconds, this one not included. */
    long lastMinute(String identity) {
        Buckets b = identities.get(identity);
        if (b == null) return 0;
        long now = clock.millis() / 1000;
        long total = 0;
        synchronized (b) {
            for (int i = 0; i < SECONDS; i++) if (now - b.second[i] < SECONDS) total += b.calls[i];
        }
        return total;
    }

    /** Counts one call of {@code identity} now. */
    void count(String identity) {
        long now = clock.millis() / 1000;
        if (identities.size() > 100_000) identities.clear(); // a flood of identities: forget rather than grow
        Buckets b = identities.computeIfAbsent(identity, k -> new Buckets());
        int i = (int) (now % SECONDS);
        synchronized (b) {
            if (b.second[i] != now) {
                b.second[i] = now;
                b.calls[i] = 0;
            }
            b.calls[i]++;
        }
    }
}
