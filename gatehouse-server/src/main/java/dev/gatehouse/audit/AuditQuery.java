package dev.gatehouse.audit;

import java.time.Instant;

/**
 * Filters of {@code GET /v1/audit/events}; null means "any". {@code identity} matches the
 * subject, an {@code identity:<id>} actor or the resource; {@code type} ending in {@code *} is a
 * prefix. {@code cursor} is the seq to continue after (before, when {@code newestFirst}).
 */
public record AuditQuery(
        String identity,
        String owner,
        String task,
        String token,
        String type,
        String kind,
        String outcome,
        AuditEvent.Category category,
        Instant from,
        Instant to,
        Long cursor,
        int limit,
        boolean newestFirst) {

    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit <= 0 || limit > MAX_LIMIT) {
            throw new dev.gatehouse.core.Problem.Invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
    }

    public static AuditQuery all(int limit) {
        return new AuditQuery(null, null, null, null, null, null, null, null, null, null, null, limit, false);
    }

    public AuditQuery withCursor(Long next) {
        return new AuditQuery(identity, owner, task, token, type, kind, outcome, category, from, to, next, limit, newestFirst);
    }
}
