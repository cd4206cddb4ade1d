package dev.gatehouse.gateway;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls and bytes per minute, per identity (token holder) and per task, in one-minute windows on
 * this node. A limit of 0 is no limit. Counting happens before the call is forwarded (calls, argument
 * bytes) and after (result bytes), so a task that pulled too much data is refused on its next call.
 */
final class RateLimits {
    private static final class Window {
        long minute;
        long calls;
        long bytes;
    }

    private final McpGateway.Limits limits;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    RateLimits(McpGateway.Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** Counts one call of {@code bytes}; the reason code when a limit is exceeded (then nothing is counted). */
    Optional<String> admit(String identity, String task, long bytes) {
        long minute = clock.millis() / 60_000;
        Window who = window("identity:" + identity, minute);
        Window what = window("task:" + task, minute);
        // Lock both windows in a fixed order so concurrent calls count exactly.
        synchronized (who) {
            synchronized (what) {
                if (limits.callsPerIdentity() > 0 && who.calls + 1 > limits.callsPerIdentity()) return Optional.of("rate_limited_identity_calls");
                if (limits.callsPerTask() > 0 && what.calls + 1 > limits.callsPerTask()) return Optional.of("rate_limited_task_calls");
                if (limits.bytesPerIdentity() > 0 && who.bytes + bytes > limits.bytesPerIdentity()) return Optional.of("rate_limited_identity_bytes");
                if (limits.bytesPerTask() > 0 && what.bytes + bytes > limits.bytesPerTask()) return Optional.of("rate_limited_task_bytes");
                who.calls++;
                what.calls++;
                who.bytes += bytes;
                what.bytes += bytes;
                return Optional.empty();
            }
        }
    }

    /** Adds result bytes after the fact. */
    void addBytes(String identity, String task, long bytes) {
        long minute = clock.millis() / 60_000;
        Window who = window("identity:" + identity, minute);
        Window what = window("task:" + task, minute);
        synchronized (who) {
            who.bytes += bytes;
        }
        synchronized (what) {
            what.bytes += bytes;
        }
    }

    private Window window(String key, long minute) {
        if (windows.size() > 100_000) windows.values().removeIf(w -> w.minute < minute);
        Window w = windows.computeIfAbsent(key, k -> new Window());
        synchronized (w) {
            if (w.minute != minute) {
                w.minute = minute;
                w.calls = 0;
                w.bytes = 0;
            }
        }
        return w;
    }
}
