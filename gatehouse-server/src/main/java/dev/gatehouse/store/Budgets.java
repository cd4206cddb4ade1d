package dev.gatehouse.store;

/**
 * Limits counted per minute (calls per minute, failed logins per minute), the same for every node. A minute is
 * its number since the epoch ({@code clock.millis() / 60_000}), so every node (clocks kept by NTP) agrees on it.
 * {@link LocalBudgets} counts exactly in this process (the embedded store has one node); {@link LeasedBudgets}
 * shares each budget through the store without a round trip per call.
 */
public interface Budgets {
    /** Takes {@code amount} of budget {@code key} in {@code minute} if that stays within {@code limit}; nothing is taken otherwise. */
    boolean tryTake(String key, long minute, long limit, long amount);

    /** Counts {@code amount} that was spent already (e.g. result bytes), even past the limit. */
    void charge(String key, long minute, long limit, long amount);

    /** True once a {@link #tryTake} of the minute was refused on this node (a cheap check before costly work). */
    boolean exhausted(String key, long minute);

    /** The budgets this deployment needs: exact in-process on the embedded store, leased through PostgreSQL otherwise. */
    static Budgets forStore(Database database, java.time.Clock clock) {
        return database.isPostgres() ? new LeasedBudgets(database.transactions(), clock) : new LocalBudgets();
    }
}
