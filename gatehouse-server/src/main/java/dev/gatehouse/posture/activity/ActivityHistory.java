package dev.gatehouse.posture.activity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the rollups know of an identity's past activity, as of the record being ingested (never
 * including it): the basis of its baseline.
 */
public interface ActivityHistory {
    /** Everything of {@code kind} the identity ever used: tool scope ids, servers, destinations, levels, finding types. */
    Set<String> seen(String identity, UsageKind kind);

    /** Calls per hour, for each hour with at least one call, from {@code from} on (oldest first). */
    List<HourCount> hours(String identity, Instant from);

    /** The UTC day of the identity's first recorded activity. */
    Optional<String> firstDay(String identity);

    record HourCount(Instant hourStart, long calls) {}
}
