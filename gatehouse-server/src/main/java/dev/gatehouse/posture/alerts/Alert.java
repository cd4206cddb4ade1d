package dev.gatehouse.posture.alerts;

import java.time.Instant;
import java.util.Map;

/**
 * An anomaly raised against an identity's baseline.
 *
 * @param seq          the audit record whose activity raised it
 * @param occurredAt   when that activity happened
 * @param action       {@code suspend} when the alert type is configured to suspend the identity, else {@code none}
 * @param actionDoneAt when the suspension happened (or turned out moot); null while pending
 */
public record Alert(String id, AlertType type, String identity, String severity, long seq, Instant occurredAt,
                    Map<String, Object> detail, Instant createdAt, String action, Instant actionDoneAt) {}
