package dev.gatehouse.posture;

import dev.gatehouse.posture.activity.ActivityLedger;
import dev.gatehouse.posture.alerts.AlertService;
import dev.gatehouse.posture.reviews.ReviewService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the posture work every {@code lifecycle.sweepSeconds} on one background thread: ingest new
 * audit records (raising alerts), apply alert suspensions, close reviews past their deadline, remind
 * owners, sweep lifecycle. Every node of a cluster runs it; each step is safe to run twice at once
 * (the activity cursor's row lock, conditional closes, once-only notices, version-guarded
 * suspensions). A failing step is logged and retried on the next run.
 */
public final class PostureScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostureScheduler.class);

    private final ActivityLedger ledger;
    private final AlertService alerts;
    private final ReviewService reviews;
    private final LifecycleSweeper sweeper;
    private final Duration every;
    private final ScheduledExecutorService executor;

    public PostureScheduler(ActivityLedger ledger, AlertService alerts, ReviewService reviews, LifecycleSweeper sweeper, Duration every) {
        this.ledger = ledger;
        this.alerts = alerts;
        this.reviews = reviews;
        this.sweeper = sweeper;
        this.every = every;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-posture");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::runOnce, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One run of every step (tests call it directly with a controlled clock). */
    public void runOnce() {
        step("activity ingest", () -> ledger.ingest(alerts.detector()));
        step("alert suspensions", alerts::applySuspensions);
        step("review deadlines", reviews::closeDue);
        step("review reminders", reviews::remind);
        step("lifecycle sweep", sweeper::sweep);
    }

    private static void step(String name, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.warn("posture: {} failed ({}); retrying on the next run", name, e.toString());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
