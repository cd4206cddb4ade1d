package dev.gatehouse.posture.reviews;

import java.time.Instant;
import java.util.List;

/** An access review and its items. {@code status}: {@code open} or {@code closed}. */
public record AccessReview(String id, String name, ReviewScope scope, Instant dueAt, OnMissed onMissed, String status, Instant createdAt,
                           String createdBy, Instant closedAt, String closedBy, Counts counts, List<ReviewItem> items) {

    /** How many items are answered each way, and how many wait. */
    public record Counts(int items, int pending, int keep, int reduce, int revoke, int missed) {}

    AccessReview withItems(List<ReviewItem> items) {
        return new AccessReview(id, name, scope, dueAt, onMissed, status, createdAt, createdBy, closedAt, closedBy, counts, items);
    }
}
