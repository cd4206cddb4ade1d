package dev.gatehouse.posture.notify;

import dev.gatehouse.store.Sql;
import dev.gatehouse.store.StoreException;
import dev.gatehouse.store.Transactions;
import java.time.Clock;

/**
 * Things said once: a credential warning per deadline, a review reminder per owner, a volume alert
 * per hour. The notice's key is the primary key of {@code posture_notices}, so on a cluster the
 * first node to claim it is the only one that acts on it.
 */
public final class Notices {
    private static final int MAX_KEY = 600;

    private final Transactions tx;
    private final Clock clock;

    public Notices(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Claims {@code key} in the transaction in progress (or its own): true the first time, false when it
     * was claimed before. A claim rolled back with its transaction was never made.
     */
    public boolean firstTime(String key) {
        String k = key.length() > MAX_KEY ? key.substring(0, MAX_KEY) : key;
        return tx.inTransaction(() -> {
            if (Sql.one(tx.connection(), "SELECT notice FROM posture_notices WHERE notice = ?", r -> r.string("notice"), k).isPresent()) return false;
            // A savepoint, so that losing the race to another node does not abort the caller's transaction (PostgreSQL).
            java.sql.Savepoint savepoint = tx.connection().setSavepoint();
            try {
                Sql.update(tx.connection(), "INSERT INTO posture_notices (notice, created_at) VALUES (?, ?)", k, clock.instant());
                tx.connection().releaseSavepoint(savepoint);
                return true;
            } catch (StoreException e) {
                if (!e.isUniqueViolation()) throw e;
                tx.connection().rollback(savepoint);
                return false;
            }
        });
    }
}
