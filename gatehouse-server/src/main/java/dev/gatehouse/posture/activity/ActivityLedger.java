package dev.gatehouse.posture.activity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.audit.AuditQuery;
import dev.gatehouse.audit.AuditTrail;
import dev.gatehouse.core.Page;
import dev.gatehouse.store.Transactions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the audit trail incrementally (gateway calls and results, task tokens issued), after a cursor kept in the store, and
 * counts each activity into per-identity rollups (calls per hour; tools, servers, destinations,
 * levels read and finding types per day). The rollups are what usage and baselines are computed
 * from: never the gateway's hot path, never a scan of the whole trail.
 */
public final class ActivityLedger {
    /** Records per ingest transaction. */
    static final int BATCH = AuditQuery.MAX_LIMIT;

    private final Transactions tx;
    private final ActivityRepository repo;
    private final AuditTrail trail;
    private final Clock clock;

    public ActivityLedger(Transactions tx, AuditTrail trail, Clock clock) {
        this.tx = tx;
        this.repo = new ActivityRepository(tx);
        this.trail = trail;
        this.clock = clock;
    }

    /**
     * Ingests everything recorded since the cursor, a batch per transaction: {@code observer} sees each
     * activity first (alerts), then the rollups count it and the cursor moves past it, all in that
     * transaction. Two nodes ingesting at once take turns on the cursor's row lock, so no record is
     * counted twice. Returns how many activities were ingested.
     */
    public int ingest(ActivityObserver observer) {
        int total = 0;
        while (true) {
            int[] batch = tx.inTransaction(() -> {
                long cursor = repo.lockCursor();
                Page<ObjectNode> page = trail.events(new AuditQuery(null, null, null, null, null, null, null, null, null, null, cursor, BATCH, false));
                int n = 0;
                long last = cursor;
                for (ObjectNode record : page.items()) {
                    last = record.path("seq").asLong();
                    var activity = Activity.of(record);
                    if (activity.isEmpty()) continue;
                    observer.observe(activity.get(), repo);
                    repo.add(activity.get());
                    n++;
                }
                if (last != cursor) repo.advance(last, clock.instant());
                return new int[] {n, page.next() == null ? 0 : 1};
            });
            total += batch[0];
            if (batch[1] == 0) return total;
        }
    }

    /** Usage rows of {@code kind} from UTC day {@code fromDay} on, for one identity or (null) for all. */
    public List<UsageRow> usage(String identity, UsageKind kind, String fromDay) {
        return tx.inTransaction(() -> repo.usage(identity, kind, fromDay));
    }

    /**
     * The identity's activities recorded after the cursor (not yet in the rollups), oldest first, at most
     * {@code max}: what a usage answer adds so that it is current even between two ingests.
     */
    public List<Activity> pending(String identity, int max) {
        List<Activity> out = new ArrayList<>();
        long cursor = tx.inTransaction(repo::cursor);
        while (out.size() < max) {
            Page<ObjectNode> page = trail.events(gatewayRecords(identity, cursor));
            for (ObjectNode r : page.items()) {
                Activity.of(r).filter(a -> a.identity().equals(identity)).ifPresent(out::add);
                cursor = r.path("seq").asLong();
            }
            if (page.next() == null) break;
        }
        return out;
    }

    /** The history the rollups hold, for reads outside an ingest (each call its own transaction). */
    public ActivityHistory history() {
        return new ActivityHistory() {
            @Override public java.util.Set<String> seen(String identity, UsageKind kind) { return tx.inTransaction(() -> repo.seen(identity, kind)); }
            @Override public List<HourCount> hours(String identity, java.time.Instant from) { return tx.inTransaction(() -> repo.hours(identity, from)); }
            @Override public java.util.Optional<String> firstDay(String identity) { return tx.inTransaction(() -> repo.firstDay(identity)); }
        };
    }

    private static AuditQuery gatewayRecords(String identity, long after) {
        return new AuditQuery(identity, null, null, null, "gateway.*", null, null, null, null, null, after, BATCH, false);
    }

    /** UTC day of an instant as the rollups write it ({@code 2026-03-01}). */
    public static String day(java.time.Instant t) { return ActivityRepository.day(t); }

    /** Daily usage summed over a window: calls of {@code item} (with its effect for tools) and the last day it was used. */
    public record UsageRow(String identity, String item, String effect, long calls, String lastDay) {}
}
