package dev.gatehouse.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.store.StoreException;
import dev.gatehouse.store.Transactions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs the chain head every {@code every} records or every {@code interval}, whichever comes
 * first (and only when the head moved). Checkpoints are stored and listed for anyone who wants
 * to keep them outside Gatehouse, which is what makes truncation detectable.
 */
public final class Checkpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);

    private final Transactions tx;
    private final AuditRepository repo;
    private final CheckpointSigner signer;
    private final Clock clock;
    private final long every;
    private final Duration interval;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gatehouse-audit-checkpoints");
        t.setDaemon(true);
        return t;
    });
    private volatile long lastSeq = -1;

    public Checkpoints(Transactions tx, CheckpointSigner signer, Clock clock, long every, Duration interval) {
        if (every < 1) throw new IllegalArgumentException("audit.checkpointEvery must be at least 1");
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("audit.checkpointSeconds must be positive");
        this.tx = tx;
        this.repo = new AuditRepository(tx);
        this.signer = signer;
        this.clock = clock;
        this.every = every;
        this.interval = interval;
        try {
            tx.run(() -> repo.registerKey(signer.keyId(), Json.write(signer.publicJwk()), clock.instant()));
        } catch (StoreException e) {
            if (!e.isUniqueViolation()) throw e; // another node registered the same key at the same moment
        }
    }

    /** Starts the timer and hooks the record-count trigger into the log's writer. */
    public void start(JdbcAuditLog auditLog) {
        auditLog.onAppended(seq -> {
            if (seq - knownLastSeq() >= every) scheduler.execute(this::quietly);
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::quietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void quietly() {
        try {
            checkpointNow();
        } catch (RuntimeException e) {
            log.warn("audit checkpoint failed; will retry", e);
        }
    }

    private long knownLastSeq() {
        if (lastSeq < 0) {
            lastSeq = tx.inTransaction(() -> repo.lastCheckpoint().map(Checkpoint::seq).orElse(0L));
        }
        return lastSeq;
    }

    /** Signs the current head unless it is already checkpointed; returns the new checkpoint. */
    public synchronized Optional<Checkpoint> checkpointNow() {
        AuditRepository.Head head = tx.inTransaction(repo::head);
        long last = tx.inTransaction(() -> repo.lastCheckpoint().map(Checkpoint::seq).orElse(0L));
        if (head.seq() <= last) {
            lastSeq = last;
            return Optional.empty();
        }
        Instant time = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String jws = signer.sign(payload(head.seq(), head.hash(), time));
        Checkpoint cp = new Checkpoint(head.seq(), head.hash(), time, signer.keyId(), jws);
        try {
            tx.run(() -> repo.insertCheckpoint(cp));
        } catch (StoreException e) {
            if (!e.isUniqueViolation()) throw e;
            // another node of the cluster signed the same head first: equally good
            return Optional.empty();
        }
        lastSeq = head.seq();
        return Optional.of(cp);
    }

    /** The signed bytes: RFC 8785 canonical {@code {"hash","seq","time"}}. */
    static byte[] payload(long seq, String hash, Instant time) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("seq", seq);
        node.put("hash", hash);
        node.put("time", time.toString());
        return Json.canonical(node).getBytes(StandardCharsets.UTF_8);
    }

    public List<Checkpoint> list(long fromSeq, int limit) {
        return tx.inTransaction(() -> repo.checkpoints(fromSeq, limit));
    }

    /** Every checkpoint key this store has seen, as a JWK Set (public members only). */
    public Map<String, Object> jwks() {
        List<Object> keys = new ArrayList<>();
        for (String jwk : tx.inTransaction(repo::publicKeys)) {
            keys.add(Json.read(jwk, Map.class));
        }
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("keys", keys);
        return set;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
