package dev.gatehouse.approvals;

import dev.gatehouse.core.Secrets;
import dev.gatehouse.store.Transactions;
import dev.gatehouse.webhook.Backoff;
import dev.gatehouse.webhook.SignedWebhook;
import dev.gatehouse.webhook.WebhookOutbox;
import java.time.Clock;
import java.util.Map;

/**
 * Approval notifications through the {@code approval_notifications} outbox ({@link WebhookOutbox}):
 * written in the event's own transaction, POSTed signed by a background thread, retried with backoff.
 * A request never waits for the receiver; receivers deduplicate by the {@code id} field.
 */
public final class ApprovalWebhook implements ApprovalNotifier, AutoCloseable {
    static final int MAX_ATTEMPTS = WebhookOutbox.MAX_ATTEMPTS;

    private final WebhookOutbox outbox;

    public ApprovalWebhook(Transactions tx, SignedWebhook endpoint, Secrets secrets, Clock clock, Backoff backoff) {
        this.outbox = new WebhookOutbox(tx, "approval_notifications", endpoint, secrets, clock, backoff);
    }

    public void start() { outbox.start(); }

    @Override
    public void notify(String event, Map<String, Object> data) { outbox.enqueue(event, data); }

    /** Sends what is due now; returns how many deliveries were attempted. */
    int deliverDue() throws InterruptedException { return outbox.deliverDue(); }

    @Override
    public void close() { outbox.close(); }
}
