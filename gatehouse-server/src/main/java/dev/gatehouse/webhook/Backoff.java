package dev.gatehouse.webhook;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for webhook retries: {@code initial}, doubled per failed attempt,
 * capped at {@code max}, plus up to a quarter of random jitter so many senders do not retry in step.
 */
public record Backoff(Duration initial, Duration max) {
    /** The delay after {@code failures} consecutive failures (1 = the first failure). */
    public Duration after(int failures) {
        Duration d = initial;
        for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        if (d.compareTo(max) > 0) d = max;
        return d.plusMillis(ThreadLocalRandom.current().nextLong(d.toMillis() / 4 + 1));
    }
}
