package dev.gatehouse.audit;

import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
    private final URI url;
    private final byte[] secret;
    private final int batchSize;
    private final Clock clock;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread thread;
    private volatile boolean running = true;

    public WebhookSink(Transactions tx, URI url, String secret, int batchSize, Clock clock, Duration initialBackoff, Duration maxBackoff) {
        if (url.getScheme() == null || !(url.getScheme().equals("https") || url.getScheme().equals("http")) || url.getHost() == null) {
            throw new IllegalArgumentException("audit.webhookUrl must be an absolute http(s) URL");
        }
        if (secret == null || secret.length() < 32) {
            // an unsigned (or guessable) feed would let anyone inject records into the SIEM
            throw new IllegalArgumentException("audit.webhookSecret must be at least 32 characters when audit.webhookUrl is set");
        }
        if (batchSize < 1 || batchSize > 10_000) throw new IllegalArgumentException("audit.webhookBatchSize must be 1..10000");
        this.tx = tx;
        this.repo = new AuditRepository(tx);
        this.url = url;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.batchSize = batchSize;
        this.clock = clock;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
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
        Duration backoff = initialBackoff;
        while (running) {
            try {
                if (deliverOnce()) {
                    backoff = initialBackoff;
                    continue; // more may be waiting
                }
                sleep(Duration.ofMillis(500));
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                log.warn("audit webhook delivery to {} failed ({}); retrying in {} ms", url, e.getMessage(), backoff.toMillis());
                try {
                    sleep(backoff.plusMillis(ThreadLocalRandom.current().nextLong(backoff.toMillis() / 4 + 1)));
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
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
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        long first = batch.get(0).seq();
        long last = batch.get(batch.size() - 1).seq();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-ndjson")
                .header("X-Gatehouse-Timestamp", timestamp)
                .header("X-Gatehouse-Signature", "sha256=" + sign(timestamp, body.toString()))
                .header("X-Gatehouse-Seq", first + "-" + last)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("receiver answered HTTP " + response.statusCode());
        }
        tx.run(() -> Sql.update(tx.connection(), "UPDATE audit_sink_cursors SET seq = ? WHERE name = ? AND seq < ?", last, CURSOR, last));
        return true;
    }

    /** Hex HMAC-SHA256 of {@code timestamp + "." + body}: what a receiver recomputes to authenticate a batch. */
    public static String signature(byte[] secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private String sign(String timestamp, String body) { return signature(secret, timestamp, body); }

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
