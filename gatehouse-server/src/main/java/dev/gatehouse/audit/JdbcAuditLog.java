package dev.gatehouse.audit;

import dev.gatehouse.store.Transactions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log over the store. Two paths, one chain:
 * <ul>
 *   <li>Inside a caller's transaction the event is appended on that transaction's connection, so
 *       it commits or rolls back with the change it describes (an identity suspension and its
 *       record are one fact). The append waits for the end of the transaction (a before-commit
 *       step appends every event the transaction recorded, in order): the head row lock is then
 *       the last lock the transaction takes, whatever order its code recorded and changed things
 *       in, so it cannot deadlock with a transaction holding other rows and waiting for the head.</li>
 *   <li>Outside a transaction, events go to a single writer thread that appends whatever has
 *       queued up in one transaction (group commit) and releases each caller after the commit.</li>
 * </ul>
 * Either way {@link #record} returns only after the commit that makes the event durable (the
 * caller's own commit in the first case), and a failure to append is thrown, never swallowed:
 * an action that cannot be audited does not happen.
 *
 * <p>The chain carries no secondary index (each one would be rewritten by every commit); a second
 * thread copies new records' query columns into {@code audit_index} shortly after they commit, many
 * per transaction, and every query catches the index up itself before it runs (see
 * {@link AuditRepository#catchUpIndex}).
 */
public final class JdbcAuditLog implements AuditLog, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JdbcAuditLog.class);
    /** A body larger than this is a bug in the emitter (raw payloads must never be logged). */
    static final int MAX_BODY_CHARS = 64 * 1024;
    private static final int MAX_BATCH = 512;
    /** How long the indexer lets appends accumulate after being woken: one index commit then serves all of them. */
    private static final long INDEX_LINGER_MS = 100;
    /** Without a wake-up (appends on another node), how often the indexer looks anyway. */
    private static final long INDEX_IDLE_MS = 250;

    private record Pending(HashChain.Prepared event, CompletableFuture<Void> done) {}

    private final Transactions tx;
    private final AuditRepository repo;
    private final Clock clock;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>(100_000);
    private final Thread writer;
    private final Thread indexer;
    private final Semaphore indexWanted = new Semaphore(0);
    private volatile LongConsumer afterAppend = seq -> {};
    private volatile boolean running = true;

    public JdbcAuditLog(Transactions tx, Clock clock) {
        this.tx = tx;
        this.repo = new AuditRepository(tx);
        this.clock = clock;
        this.writer = new Thread(this::writeLoop, "gatehouse-audit-writer");
        writer.setDaemon(true);
        writer.start();
        this.indexer = new Thread(this::indexLoop, "gatehouse-audit-indexer");
        indexer.setDaemon(true);
        indexer.start();
    }

    /** Called with the new head seq after each group commit (checkpoint trigger). */
    void onAppended(LongConsumer listener) { this.afterAppend = Objects.requireNonNull(listener); }

    @Override
    public void record(AuditEvent event) {
        HashChain.Prepared prepared = validate(event); // serialised here, on the caller's thread, not on the writer's
        if (tx.inProgress()) {
            appendAtCommit(prepared);
            return;
        }
        if (!running) {
            throw new AuditUnavailable("audit log is shut down");
        }
        Pending pending = new Pending(prepared, new CompletableFuture<>());
        try {
            if (!queue.offer(pending, 10, TimeUnit.SECONDS)) {
                throw new AuditUnavailable("audit writer is saturated");
            }
            pending.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailable("interrupted while waiting for the audit commit");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new AuditUnavailable("audit append failed: " + e.getCause());
        }
    }

    /** The events a transaction recorded, appended in one batch by its before-commit step. */
    private final class CommitBatch {
        final List<HashChain.Prepared> events = new ArrayList<>();
        boolean written;

        void write() {
            written = true;
            repo.append(events, clock);
        }
    }

    private void appendAtCommit(HashChain.Prepared event) {
        CommitBatch batch = tx.transactionLocal(this, () -> {
            CommitBatch b = new CommitBatch();
            tx.beforeCommit(b::write);
            tx.afterCommit(indexWanted::release);
            return b;
        });
        // A before-commit step registered after the audit step must not record: its event would be lost.
        if (batch.written) throw new IllegalStateException("audit event " + event.event().type() + " recorded after the transaction's audit batch");
        batch.events.add(event);
    }

    private static HashChain.Prepared validate(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        if (event.type() == null || event.type().isBlank() || event.type().length() > 100) {
            throw new IllegalArgumentException("audit event type is required (at most 100 characters)");
        }
        if (event.category() == null) {
            throw new IllegalArgumentException("audit event " + event.type() + " has no category");
        }
        HashChain.Prepared prepared = HashChain.prepare(event);
        if (prepared.length() > MAX_BODY_CHARS) {
            throw new IllegalArgumentException("audit event " + event.type() + " exceeds " + MAX_BODY_CHARS + " characters");
        }
        return prepared;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                List<HashChain.Prepared> events = new ArrayList<>(batch.size());
                for (Pending p : batch) events.add(p.event());
                List<AuditRecord> appended;
                try {
                    appended = tx.inTransaction(() -> repo.append(events, clock));
                } catch (RuntimeException e) {
                    log.error("audit append of {} events failed", batch.size(), e);
                    for (Pending p : batch) p.done().completeExceptionally(new AuditUnavailable("audit store unavailable"));
                    continue;
                }
                for (Pending p : batch) p.done().complete(null);
                indexWanted.release();
                try {
                    afterAppend.accept(appended.get(appended.size() - 1).seq());
                } catch (RuntimeException e) {
                    log.warn("audit post-append hook failed", e);
                }
            } catch (InterruptedException e) {
                if (!running) break;
            }
        }
        // Anything still queued after shutdown is failed, never silently dropped.
        Pending p;
        while ((p = queue.poll()) != null) p.done().completeExceptionally(new AuditUnavailable("audit log is shut down"));
    }

    private void indexLoop() {
        while (running) {
            try {
                // Never interrupted: an interrupt during H2 file I/O closes the store's file channel.
                indexWanted.tryAcquire(INDEX_IDLE_MS, TimeUnit.MILLISECONDS);
                if (!running) break;
                Thread.sleep(INDEX_LINGER_MS);
                indexWanted.drainPermits();
                repo.catchUpIndex();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Queries catch up on their own, so a failure here delays nothing that is read.
                log.warn("audit index catch-up failed; retrying", e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        indexWanted.release();
        try {
            writer.join(10_000);
            indexer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
