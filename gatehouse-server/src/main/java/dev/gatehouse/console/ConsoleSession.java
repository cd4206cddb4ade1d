package dev.gatehouse.console;

import java.time.Duration;
import java.time.Instant;

/**
 * A signed-in browser session as stored (the cookie holds the id; only its SHA-256 is kept). {@code csrf} is
 * the synchronizer token every form and htmx request of the session must echo. {@code stepUpAt} and
 * {@code stepUpFactor} record the last second factor the human proved in this session.
 */
public record ConsoleSession(String idHash, ConsoleUser user, String signedInWith, String csrf, Instant createdAt, Instant lastSeen,
                             Instant expiresAt, Instant stepUpAt, String stepUpFactor) {

    /** A second factor proved within {@code maxAge} of {@code now}. */
    public boolean steppedUp(Instant now, Duration maxAge) {
        return stepUpAt != null && !stepUpAt.isBefore(now.minus(maxAge)) && !stepUpAt.isAfter(now.plusSeconds(5));
    }
}
