package dev.gatehouse.posture.activity;

import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.sql.Connection;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** SQL of the activity rollups and the ingest cursor; used inside the caller's transaction. */
final class ActivityRepository implements ActivityHistory {
    static final String CURSOR = "activity";

    private final Transactions tx;

    ActivityRepository(Transactions tx) { this.tx = tx; }

    private Connection c() { return tx.connection(); }

    /** The last ingested seq, taking the cursor's row lock: one ingest at a time across every node. */
    long lockCursor() {
        Sql.update(c(), "UPDATE posture_cursors SET seq = seq WHERE name = ?", CURSOR);
        return cursor();
    }

    long cursor() {
        return Sql.one(c(), "SELECT seq FROM posture_cursors WHERE name = ?", r -> r.longValue("seq"), CURSOR).orElse(0L);
    }

    void advance(long seq, Instant now) {
        Sql.update(c(), "UPDATE posture_cursors SET seq = ?, updated_at = ? WHERE name = ?", seq, now, CURSOR);
    }

    /** Counts one activity into the rollups. Only the ingest writes here, under the cursor lock: update-else-insert has no race. */
    void add(Activity a) {
        String day = day(a.time());
        if (a.kind() == Activity.Kind.CALL) {
            Instant hour = a.time().truncatedTo(ChronoUnit.HOURS);
            if (Sql.update(c(), "UPDATE posture_activity_hours SET calls = calls + 1 WHERE identity_id = ? AND hour_start = ?", a.identity(), hour) == 0) {
                Sql.update(c(), "INSERT INTO posture_activity_hours (identity_id, hour_start, calls) VALUES (?, ?, 1)", a.identity(), hour);
            }
            count(a.identity(), day, UsageKind.TOOL, a.tool(), a.effect());
            if (a.server() != null) count(a.identity(), day, UsageKind.SERVER, a.server(), null);
            if (a.destination() != null) count(a.identity(), day, UsageKind.DESTINATION, a.destination(), null);
            for (String f : new LinkedHashSet<>(a.findings())) count(a.identity(), day, UsageKind.FINDING, f, null);
        } else if (a.kind() == Activity.Kind.AUTH) {
            if (a.tool() != null) count(a.identity(), day, UsageKind.CLIENT, a.tool(), null);
            if (a.effect() != null) count(a.identity(), day, UsageKind.METHOD, a.effect(), null);
        } else if (a.level() >= 0) {
            count(a.identity(), day, UsageKind.LEVEL, Integer.toString(a.level()), null);
        }
    }

    private void count(String identity, String day, UsageKind kind, String item, String effect) {
        String clipped = item.length() > 2100 ? item.substring(0, 2100) : item;
        if (Sql.update(c(), "UPDATE posture_usage_days SET calls = calls + 1 WHERE identity_id = ? AND usage_day = ? AND kind = ? AND item = ?",
                identity, day, kind, clipped) == 0) {
            Sql.update(c(), "INSERT INTO posture_usage_days (identity_id, usage_day, kind, item, effect, calls) VALUES (?, ?, ?, ?, ?, 1)",
                    identity, day, kind, clipped, effect);
        }
    }

    @Override
    public Set<String> seen(String identity, UsageKind kind) {
        return new LinkedHashSet<>(Sql.query(c(), "SELECT DISTINCT item FROM posture_usage_days WHERE identity_id = ? AND kind = ?",
                r -> r.string("item"), identity, kind));
    }

    @Override
    public List<HourCount> hours(String identity, Instant from) {
        return Sql.query(c(), "SELECT hour_start, calls FROM posture_activity_hours WHERE identity_id = ? AND hour_start >= ? ORDER BY hour_start",
                r -> new HourCount(r.instant("hour_start"), r.longValue("calls")), identity, from);
    }

    @Override
    public Optional<String> firstDay(String identity) {
        List<String> first = Sql.query(c(), "SELECT MIN(usage_day) AS d FROM posture_usage_days WHERE identity_id = ?", r -> r.string("d"), identity);
        return first.isEmpty() ? Optional.empty() : Optional.ofNullable(first.get(0));
    }

    /** Usage of {@code kind} from {@code fromDay} on, per identity (all when {@code identity} is null) and item. */
    List<ActivityLedger.UsageRow> usage(String identity, UsageKind kind, String fromDay) {
        String where = identity == null ? "" : " AND identity_id = ?";
        Object[] params = identity == null ? new Object[] {kind, fromDay} : new Object[] {kind, fromDay, identity};
        return Sql.query(c(), "SELECT identity_id, item, MAX(effect) AS effect, SUM(calls) AS calls, MAX(usage_day) AS last_day FROM posture_usage_days"
                        + " WHERE kind = ? AND usage_day >= ?" + where + " GROUP BY identity_id, item ORDER BY identity_id, item",
                r -> new ActivityLedger.UsageRow(r.string("identity_id"), r.string("item"), r.string("effect"), r.longValue("calls"), r.string("last_day")),
                params);
    }

    static String day(Instant t) { return t.atOffset(ZoneOffset.UTC).toLocalDate().toString(); }
}
