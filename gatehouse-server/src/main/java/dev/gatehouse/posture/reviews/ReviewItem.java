package dev.gatehouse.posture.reviews;

import dev.gatehouse.posture.activity.Usage;
import dev.gatehouse.registry.Scope;
import java.time.Instant;
import java.util.List;

/**
 * One identity of a review, with what its owner needs to decide: the declared scope, its credentials
 * (type, age, last use), when it was last seen, and what it used of its grant in the last 30 days;
 * then the decision so far.
 *
 * @param outcome what was done: {@code kept}, {@code scope_reduced}, {@code retired}, {@code suspended}, {@code none},
 *                {@code pending} (a missed item whose suspension is under way), {@code skipped: …}
 */
public record ReviewItem(String identity, String kind, String displayName, String owner, String environment, String status,
                         Scope declaredScope, List<CredentialAge> credentials, Instant lastSeen, Usage usage,
                         ReviewDecision decision, Scope scope, String comment, String decidedBy, Instant decidedAt, String outcome) {

    /** A credential as a reviewer sees it: never a secret. */
    public record CredentialAge(String id, String type, String status, Instant createdAt, Instant rotatedAt, long ageDays, Instant lastUsed,
                                Instant expiresAt) {}
}
