package dev.gatehouse.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Budgets} shared by the nodes of a cluster. The store holds how much of each budget the nodes together
 * have taken in a minute ({@code shared_budgets}); a node leases capacity in slices and spends it locally, so
 * it goes to the store once per slice, not once per call.
 *
 * <p>A slice is {@code limit / 32} at most and a quarter of what is left at least as small, so near the limit
 * leases shrink to single units: the cluster never admits more than the limit, and capacity stranded in other
 * nodes' unused leases stays a small fraction of it (two nodes: well under 10 %).
 */
public final class LeasedBudgets implements Budgets {
    private static final int SLICES = 32;

    private static final class Lease {
        long minute;
        long held;      // leased from the store and not yet spent; negative after a charge beyond it
        boolean refused;
    }

    private final Transactions tx;
    private final Clock clock;
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    private volatile Instant lastPrune = Instant.EPOCH;

    public LeasedBudgets(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public boolean tryTake(String key, long minute, long limit, long amount) {
        Lease l = lease(key, minute);
        synchronized (l) {
            roll(l, minute);
            if (l.held < amount) {
                long need = amount - l.held;
                l.held += lease(key, minute, limit, need);
            }
            if (l.held < amount) {
                l.refused = true;
                return false;
            }
            l.held -= amount;
            return true;
        }
    }

    @Override
    public void charge(String key, long minute, long limit, long amount) {
        Lease l = lease(key, minute);
        synchronized (l) {
            roll(l, minute);
            l.held -= amount;
            if (l.held < 0) {
                // Spent beyond the lease: record the debt in the store now, so the other nodes see it too.
                long debt = -l.held;
                tx.run(() -> add(key, minute, debt));
                l.held = 0;
            }
        }
    }

    @Override
    public boolean exhausted(String key, long minute) {
        Lease l = leases.get(key);
        if (l == null) return false;
        synchronized (l) {
            return l.minute == minute && l.refused;
        }
    }

    /** Takes at least {@code need} (or whatever is left) from the shared count; returns how much was granted. */
    private long lease(String key, long minute, long limit, long need) {
        pruneNowAndThen(minute);
        return tx.inTransaction(() -> {
            long used = usedForUpdate(key, minute);
            long left = Math.max(0, limit - used);
            long want = Math.max(need, Math.min(Math.max(1, limit / SLICES), left / 4));
            long granted = Math.min(want, left);
            if (granted > 0) Sql.update(tx.connection(),
                    "UPDATE shared_budgets SET used = used + ? WHERE budget_key = ? AND window_start = ?", granted, key, minute);
            return granted;
        });
    }

    private void add(String key, long minute, long amount) {
        usedForUpdate(key, minute);
        Sql.update(tx.connection(), "UPDATE shared_budgets SET used = used + ? WHERE budget_key = ? AND window_start = ?", amount, key, minute);
    }

    /** The row of the budget locked for this transaction, created on first use (a racing creator's row is used). */
    private long usedForUpdate(String key, long minute) {
        String select = "SELECT used FROM shared_budgets WHERE budget_key = ? AND window_start = ? FOR UPDATE";
        var used = Sql.one(tx.connection(), select, r -> r.longValue("used"), key, minute);
        if (used.isPresent()) return used.get();
        try {
            // In a savepoint: on PostgreSQL a failed insert would otherwise abort the whole transaction.
            var savepoint = tx.connection().setSavepoint();
            try {
                Sql.update(tx.connection(), "INSERT INTO shared_budgets (budget_key, window_start, used) VALUES (?, ?, 0)", key, minute);
                tx.connection().releaseSavepoint(savepoint);
            } catch (StoreException e) {
                if (!e.isUniqueViolation()) throw e;
                tx.connection().rollback(savepoint);
            }
        } catch (java.sql.SQLException e) {
            throw new StoreException(e);
        }
        return Sql.one(tx.connection(), select, r -> r.longValue("used"), key, minute).orElseThrow();
    }

    private Lease lease(String key, long minute) {
        if (leases.size() > 100_000) leases.values().removeIf(l -> l.minute < minute);
        return leases.computeIfAbsent(key, k -> new Lease());
    }

    private static void roll(Lease l, long minute) {
        if (l.minute != minute) {
            l.minute = minute;
            l.held = 0;
            l.refused = false;
        }
    }

    /** Old windows are of no use to anyone; whichever node notices first deletes them. */
    private void pruneNowAndThen(long minute) {
        Instant now = clock.instant();
        if (lastPrune.plus(Duration.ofMinutes(5)).isAfter(now)) return;
        lastPrune = now;
        tx.run(() -> Sql.update(tx.connection(), "DELETE FROM shared_budgets WHERE window_start < ?", minute - 10));
    }
}
