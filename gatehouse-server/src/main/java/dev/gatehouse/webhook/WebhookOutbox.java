package dev.gatehouse.webhook;

import dev.gatehouse.core.Json;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifications through a transactional outbox: {@link #enqueue} writes a row in the event's own
 * transaction, and a background thread POSTs due rows as JSON, signed like the audit webhook
 * ({@link SignedWebhook}), retrying failures with exponential backoff. A request never waits for
 * the receiver. Delivery is at-least-once: receivers deduplicate by the {@code id} field (also sent
 * as {@code X-Gatehouse-Delivery}). Each feature keeps its own outbox table (approvals, posture) with
 * the columns of {@code approval_notifications}.
 */
public final class WebhookOutbox implements Notifier, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookOutbox.class);
    /** The outbox tables that exist (the name is placed in SQL, so it is never taken from input). */
    private static final Set<String> TABLES = Set.of("approval_notifications", "posture_notifications");
    /** How long one node owns a row it is sending, so another node does not send it at the same moment. */
    private static final Duration LEASE = Duration.ofSeconds(60);
    /** After this many failures a notification is given up (logged); roughly a day at the maximum backoff. */
    public static final int MAX_ATTEMPTS = 300;
    /** Delivered notifications are kept this long (for diagnosis), then deleted: the audit trail is the record. */
    private static final Duration KEEP_DELIVERED = Duration.ofDays(7);

    private final Transactions tx;
    private final String table;
    private final SignedWebhook endpoint;
    private final Secrets secrets;
    private final Clock clock;
    private final Backoff backoff;
    private final Thread thread;
    private volatile boolean running = true;
    private Instant lastPurge = Instant.EPOCH;

    public WebhookOutbox(Transactions tx, String table, SignedWebhook endpoint, Secrets secrets, Clock clock, Backoff backoff) {
        if (!TABLES.contains(table)) throw new IllegalArgumentException("no outbox table " + table);
        this.tx = tx;
        this.table = table;
        this.endpoint = endpoint;
        this.secrets = secrets;
        this.clock = clock;
        this.backoff = backoff;
        this.thread = new Thread(this::loop, "gatehouse-webhook-" + table);
        thread.setDaemon(true);
    }

    public void start() { thread.start(); }

    @Override
    public void notify(String event, Map<String, Object> data) { enqueue(event, data); }

    /** Queues {@code {id, event, occurredAt, data}} in the transaction in progress (or its own); returns the delivery id. */
    public String enqueue(String event, Map<String, Object> data) {
        Instant now = clock.instant();
        String id = secrets.newId("ntf_");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("event", event);
        body.put("occurredAt", now.toString());
        body.put("data", data);
        String json = Json.write(body);
        tx.run(() -> Sql.update(tx.connection(), "INSERT INTO " + table + " (id, event, body, created_at, attempts, next_attempt_at)"
                + " VALUES (?, ?, ?, ?, 0, ?)", id, event, json, now, now));
        return id;
    }

    private record Due(String id, String event, String body, int attempts, Instant nextAttemptAt) {}

    private void loop() {
        while (running) {
            try {
                if (deliverDue() == 0) sleep(Duration.ofMillis(250));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("{} webhook: cannot read the outbox ({}); retrying", table, e.getMessage());
                try {
                    sleep(Duration.ofSeconds(1));
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Sends what is due now; returns how many deliveries were attempted. */
    public int deliverDue() throws InterruptedException {
        Instant now = clock.instant();
        if (now.isAfter(lastPurge.plus(Duration.ofHours(1)))) {
            tx.run(() -> Sql.update(tx.connection(), "DELETE FROM " + table + " WHERE delivered_at < ?", now.minus(KEEP_DELIVERED)));
            lastPurge = now;
        }
        List<Due> due = tx.inTransaction(() -> Sql.query(tx.connection(),
                "SELECT id, event, body, attempts, next_attempt_at FROM " + table + " WHERE delivered_at IS NULL AND next_attempt_at <= ?"
                        + " AND attempts < ? ORDER BY created_at, id LIMIT 20",
                r -> new Due(r.string("id"), r.string("event"), r.string("body"), r.longValue("attempts").intValue(), r.instant("next_attempt_at")),
                now, MAX_ATTEMPTS));
        for (Due d : due) {
            // Claim the row: only the node whose conditional update succeeds sends it now.
            boolean claimed = tx.inTransaction(() -> Sql.update(tx.connection(),
                    "UPDATE " + table + " SET next_attempt_at = ? WHERE id = ? AND next_attempt_at = ? AND delivered_at IS NULL",
                    now.plus(LEASE), d.id(), d.nextAttemptAt()) == 1);
            if (!claimed) continue;
            try {
                endpoint.post("application/json", d.body(), clock.instant(), Map.of("X-Gatehouse-Event", d.event(), "X-Gatehouse-Delivery", d.id()));
                tx.run(() -> Sql.update(tx.connection(), "UPDATE " + table + " SET delivered_at = ?, attempts = ?, last_error = NULL WHERE id = ?",
                        clock.instant(), d.attempts() + 1, d.id()));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                int attempts = d.attempts() + 1;
                Duration wait = backoff.after(attempts);
                String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (attempts >= MAX_ATTEMPTS) {
                    log.error("{} webhook: giving up on {} {} after {} attempts ({})", table, d.event(), d.id(), attempts, error);
                } else {
                    log.warn("{} webhook delivery of {} to {} failed ({}); retrying in {} ms", table, d.id(), endpoint.url(), error, wait.toMillis());
                }
                tx.run(() -> Sql.update(tx.connection(), "UPDATE " + table + " SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                        attempts, clock.instant().plus(wait), error.length() > 500 ? error.substring(0, 500) : error, d.id()));
            }
        }
        return due.size();
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
