package dev.gatehouse.audit;

import dev.gatehouse.outbound.OutboundHttp;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import dev.gatehouse.webhook.Backoff;
import dev.gatehouse.webhook.SignedWebhook;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the chain to a webhook: batches of records (JSON Lines, exactly the export format) in
 * seq order, each POST signed with HMAC-SHA256 over {@code <timestamp>.<body>}. It runs on its own
 * thread and reads from the store, so a slow or dead receiver never delays a request; failures
 * are retried with exponential backoff and jitter from the last delivered seq, which is kept in
 * the store. Delivery is at-least-once (a crash after the POST resends the batch; two nodes of a
 * cluster may both send one): receivers deduplicate by seq.
 *
 * <p>Headers: {@code X-Gatehouse-Timestamp} (epoch seconds), {@code X-Gatehouse-Signature:
 * sha256=<hex>}, {@code X-Gatehouse-Seq: <first>-<last>}.
 */
public final class WebhookSink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookSink.class);
    static final String CURSOR = "webhook";

    private final Transactions tx;
    private final AuditRepository repo;
    private final SignedWebhook endpoint;
    private final int batchSize;
    private final Clock clock;
    private final Backoff backoff;
    private final Thread thread;
    private volatile boolean running = true;

    public WebhookSink(Transactions tx, URI url, String secret, int batchSize, Clock clock, Duration initialBackoff, Duration maxBackoff,
                       OutboundHttp http) {
        this.endpoint = new SignedWebhook(url, secret, "audit.webhook", http);
        if (batchSize < 1 || batchSize > 10_000) throw new IllegalArgumentException("audit.webhookBatchSize must be 1..10000");
        this.tx = tx;
        this.repo = new AuditRepository(tx);
        this.batchSize = batchSize;
        this.clock = clock;
        this.backoff = new Backoff(initialBackoff, maxBackoff);
        try {
            tx.run(() -> {
                if (Sql.one(tx.connection(), "SELECT seq FROM audit_sink_cursors WHERE name = ?", r -> r.longValue("seq"), CURSOR).isEmpty()) {
                    Sql.update(tx.connection(), "INSERT INTO audit_sink_cursors (name, seq) VALUES (?, 0)", CURSOR);
                }
            });
        } catch (dev.gatehouse.store.StoreException e) {
            if (!e.isUniqueViolation()) throw e; // another node created the cursor at the same moment
        }
        this.thread = new Thread(this::loop, "gatehouse-audit-webhook");
        thread.setDaemon(true);
    }

    public void start() { thread.start(); }

    private void loop() {
        int failures = 0;
        while (running) {
            try {
                if (deliverOnce()) {
                    failures = 0;
                    continue; // more may be waiting
                }
                sleep(Duration.ofMillis(500));
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                Duration wait = backoff.after(++failures);
                log.warn("audit webhook delivery to {} failed ({}); retrying in {} ms", endpoint.url(), e.getMessage(), wait.toMillis());
                try {
                    sleep(wait);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Sends the next batch; false when there was nothing to send. Throws on a failed delivery. */
    boolean deliverOnce() throws Exception {
        long cursor = tx.inTransaction(() -> Sql.one(tx.connection(), "SELECT seq FROM audit_sink_cursors WHERE name = ?",
                r -> r.longValue("seq"), CURSOR).orElse(0L));
        List<AuditRecord> batch = tx.inTransaction(() -> repo.range(cursor, batchSize));
        if (batch.isEmpty()) return false;
        StringBuilder body = new StringBuilder();
        for (AuditRecord r : batch) body.append(r.line()).append('\n');
        long first = batch.get(0).seq();
        long last = batch.get(batch.size() - 1).seq();
        endpoint.post("application/x-ndjson", body.toString(), clock.instant(), Map.of("X-Gatehouse-Seq", first + "-" + last));
        tx.run(() -> Sql.update(tx.connection(), "UPDATE audit_sink_cursors SET seq = ? WHERE name = ? AND seq < ?", last, CURSOR, last));
        return true;
    }

    /** Hex HMAC-SHA256 of {@code timestamp + "." + body}: what a receiver recomputes to authenticate a batch. */
    public static String signature(byte[] secret, String timestamp, String body) {
        return SignedWebhook.signature(secret, timestamp, body);
    }

    private void sleep(Duration d) throws InterruptedException {
        if (running) Thread.sleep(d.toMillis());
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
