package dev.gatehouse.posture.alerts;

import java.time.Duration;
import java.util.Set;

/**
 * When activity is anomalous (docs/lifecycle.md, "Alerts").
 *
 * @param baseline       how much history a baseline spans
 * @param learningDays   no alert before an identity has this many days of history
 * @param volumeK        volume threshold = median + volumeK × 1.4826 × max(MAD, 1) of the baseline's calls per active hour
 *                       (1.4826 × MAD estimates a standard deviation; 3.5 is Iglewicz and Hoaglin's outlier cut-off)
 * @param volumeMinCalls a volume alert needs at least this many calls in the hour
 * @param minActiveHours volume and unusual-hour alerts need at least this many active hours in the baseline
 * @param suspendOn      alert types that suspend the identity
 */
public record Thresholds(Duration baseline, int learningDays, double volumeK, int volumeMinCalls, int minActiveHours,
                         Set<AlertType> suspendOn) {
    public Thresholds {
        if (baseline.toDays() < 1) throw new IllegalArgumentException("anomalies.baselineDays must be at least 1");
        if (learningDays < 0) throw new IllegalArgumentException("anomalies.learningDays must not be negative");
        if (volumeK <= 0) throw new IllegalArgumentException("anomalies.volumeK must be positive");
        suspendOn = Set.copyOf(suspendOn);
    }
}
