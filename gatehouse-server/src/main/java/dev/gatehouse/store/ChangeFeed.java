package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every node of a cluster that something changed, so in-memory state follows the store within
 * milliseconds instead of a polling interval. Topics: {@code signing_keys}, {@code registry} (the inventory
 * snapshot), {@code policy_state} (active and shadow versions), {@code application_entities},
 * {@code live_tokens} (the token check's caches) and {@code admin_tokens}; each owner publishes in its write
 * transaction and subscribes in its constructor.
 *
 * <p>A change is a topic and a key ({@code signing_keys}, a kid), written to {@code change_log} in the
 * transaction that made the change, so it is seen exactly when the change is. Sequence numbers come from one
 * head row whose lock is held until commit: sequence order is commit order, and "everything after n" misses
 * nothing. Each node has one reader thread that delivers new changes in order to the topic's listeners:
 * <ul>
 * <li>PostgreSQL: {@code LISTEN gatehouse_changes} on a dedicated connection; publishing also sends
 *     {@code NOTIFY}, so other nodes read within milliseconds. After a lost connection the reader reconnects
 *     and catches up by sequence number.</li>
 * <li>H2 (one process): no LISTEN; a commit wakes the reader in-process.</li>
 * </ul>
 * Either way the reader also polls every {@value #POLL_MILLIS} ms, so a lost notification delays a change by
 * at most that. Entries are kept for {@link #RETENTION}; a node that falls further behind (a long partition)
 * is told by {@link Listener#missed()} to reload everything.
 */
public final class ChangeFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
    private static final String CHANNEL = "gatehouse_changes";
    static final long POLL_MILLIS = 500;
    static final Duration RETENTION = Duration.ofHours(1);

    /** One change: {@code key} names what changed within {@code topic}; listeners re-read it from the store. */
    public record Change(long seq, String topic, String key, Instant at) {}

    public interface Listener {
        void changed(Change change);

        /** Changes were lost (this node was behind longer than the retention): reload all state of the topic. */
        default void missed() {}

        /** Re-reads what the changed key names, and everything after lost changes. */
        static Listener of(java.util.function.Consumer<String> changedKey, Runnable reloadAll) {
            return new Listener() {
                @Override
                public void changed(Change change) { changedKey.accept(change.key()); }

                @Override
                public void missed() { reloadAll.run(); }
            };
        }
    }

    private final Database database;
    private final Transactions tx;
    private final Clock clock;
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private volatile long position;
    private volatile boolean running;
    private Thread reader;
    private Instant lastPrune = Instant.EPOCH;

    public ChangeFeed(Database database, Clock clock) {
        this.database = database;
        this.tx = database.transactions();
        this.clock = clock;
        // A new node starts from now: it loads current state itself and needs only what changes after.
        this.position = tx.inTransaction(() -> Sql.one(tx.connection(), "SELECT seq FROM change_feed_head WHERE id = 1",
                r -> r.longValue("seq")).orElse(0L));
    }

    /**
     * Records a change in the caller's transaction (required): visible to every node once it commits, never
     * if it rolls back. Holds the feed's head row until commit, so publish late in a transaction.
     */
    public void publish(String topic, String key) {
        if (!tx.inProgress()) throw new IllegalStateException("publish a change inside the transaction that makes it");
        Sql.update(tx.connection(), "UPDATE change_feed_head SET seq = seq + 1 WHERE id = 1");
        long seq = Sql.one(tx.connection(), "SELECT seq FROM change_feed_head WHERE id = 1", r -> r.longValue("seq")).orElseThrow();
        Sql.update(tx.connection(), "INSERT INTO change_log (seq, topic, change_key, at) VALUES (?, ?, ?, ?)", seq, topic, key, clock.instant());
        if (database.isPostgres()) {
            Sql.query(tx.connection(), "SELECT pg_notify(?, ?) AS sent", r -> r.string("sent"), CHANNEL, Long.toString(seq));
        }
        tx.afterCommit(wake::release);
    }

    /** Delivers every later change of {@code topic} to {@code listener}, on the feed's reader thread, in order. */
    public void subscribe(String topic, Listener listener) {
        listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /** The sequence number of the last change delivered on this node. */
    public long position() { return position; }

    public synchronized void start() {
        if (running) return;
        running = true;
        reader = new Thread(this::run, "change-feed");
        reader.setDaemon(true);
        reader.start();
    }

    private void run() {
        Connection listen = null;
        long backoff = 100;
        while (running) {
            try {
                if (database.isPostgres() && listen == null) {
                    listen = database.openDedicatedConnection();
                    try (Statement s = listen.createStatement()) {
                        s.execute("LISTEN " + CHANNEL);
                    }
                }
                deliverNew(); // catches up first: after a start or a reconnect nothing is skipped
                if (listen != null) {
                    listen.unwrap(PGConnection.class).getNotifications((int) POLL_MILLIS);
                } else {
                    wake.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS);
                }
                wake.drainPermits();
                backoff = 100;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (SQLException | RuntimeException e) {
                if (!running) break;
                log.warn("change feed: {} (retrying in {} ms)", e.getMessage(), backoff);
                closeQuietly(listen);
                listen = null;
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
        closeQuietly(listen);
    }

    /** Reads and delivers, in order, every change after {@link #position}. */
    void deliverNew() {
        while (true) {
            long after = position;
            List<Change> batch = tx.inTransaction(() -> Sql.query(tx.connection(),
                    "SELECT seq, topic, change_key, at FROM change_log WHERE seq > ? ORDER BY seq LIMIT 500",
                    r -> new Change(r.longValue("seq"), r.string("topic"), r.string("change_key"), r.instant("at")), after));
            if (batch.isEmpty()) break;
            if (after > 0 && batch.get(0).seq() > after + 1) {
                log.warn("change feed: changes {}..{} were pruned before this node read them; reloading", after + 1, batch.get(0).seq() - 1);
                listeners.values().forEach(list -> list.forEach(ChangeFeed::missedQuietly));
            }
            for (Change c : batch) {
                for (Listener l : listeners.getOrDefault(c.topic(), List.of())) {
                    try {
                        l.changed(c);
                    } catch (RuntimeException e) {
                        log.warn("change feed listener for {} failed: {}", c.topic(), e.toString());
                    }
                }
                position = c.seq();
            }
        }
        pruneNowAndThen();
    }

    private void pruneNowAndThen() {
        Instant now = clock.instant();
        if (lastPrune.plus(Duration.ofMinutes(10)).isAfter(now)) return;
        lastPrune = now;
        tx.run(() -> Sql.update(tx.connection(), "DELETE FROM change_log WHERE at < ?", now.minus(RETENTION)));
    }

    private static void missedQuietly(Listener l) {
        try {
            l.missed();
        } catch (RuntimeException e) {
            log.warn("change feed listener failed to reload: {}", e.toString());
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // the connection is what failed
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = reader;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
