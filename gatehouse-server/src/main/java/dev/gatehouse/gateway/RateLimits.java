package dev.gatehouse.gateway;

import dev.gatehouse.store.Budgets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Calls and bytes per minute, per identity (token holder) and per task. A limit of 0 is no limit. Counting
 * happens before the call is forwarded (calls, argument bytes) and after (result bytes), so a task that pulled
 * too much data is refused on its next call.
 *
 * <p>The counts live in {@link Budgets}: exact in this process on one node, or leased in slices from a count in
 * the store that every node of a cluster shares, so N nodes together admit the limit, not N times it, without a
 * store round trip per call.
 */
final class RateLimits {
    private final McpGateway.Limits limits;
    private final Clock clock;
    private final Budgets budgets;

    RateLimits(McpGateway.Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.budgets = limits.budgets();
    }

    private record Take(String key, long limit, long amount, String reason) {}

    /** Counts one call of {@code bytes}; the reason code when a limit is exceeded (then nothing is counted). */
    Optional<String> admit(String identity, String task, long bytes) {
        long minute = clock.millis() / 60_000;
        List<Take> takes = List.of(
                new Take(callsOf("identity", identity), limits.callsPerIdentity(), 1, "rate_limited_identity_calls"),
                new Take(callsOf("task", task), limits.callsPerTask(), 1, "rate_limited_task_calls"),
                new Take(bytesOf("identity", identity), limits.bytesPerIdentity(), bytes, "rate_limited_identity_bytes"),
                new Take(bytesOf("task", task), limits.bytesPerTask(), bytes, "rate_limited_task_bytes"));
        List<Take> taken = new ArrayList<>();
        for (Take t : takes) {
            if (t.limit() <= 0) continue;
            if (!budgets.tryTake(t.key(), minute, t.limit(), t.amount())) {
                // All or nothing: what this call took of the other budgets is given back.
                for (Take back : taken) budgets.charge(back.key(), minute, back.limit(), -back.amount());
                return Optional.of(t.reason());
            }
            taken.add(t);
        }
        return Optional.empty();
    }

    /** Adds result bytes after the fact. */
    void addBytes(String identity, String task, long bytes) {
        long minute = clock.millis() / 60_000;
        if (limits.bytesPerIdentity() > 0) budgets.charge(bytesOf("identity", identity), minute, limits.bytesPerIdentity(), bytes);
        if (limits.bytesPerTask() > 0) budgets.charge(bytesOf("task", task), minute, limits.bytesPerTask(), bytes);
    }

    private static String callsOf(String kind, String id) { return "gateway:" + kind + ":" + id + ":calls"; }

    private static String bytesOf(String kind, String id) { return "gateway:" + kind + ":" + id + ":bytes"; }
}
