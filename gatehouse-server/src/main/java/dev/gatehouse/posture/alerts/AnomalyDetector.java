package dev.gatehouse.posture.alerts;

import dev.gatehouse.posture.activity.Activity;
import dev.gatehouse.posture.activity.ActivityHistory;
import dev.gatehouse.posture.activity.ActivityObserver;
import dev.gatehouse.posture.notify.Notices;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Judges each new activity against its identity's baseline, during one ingest pass (a new detector
 * per pass: baselines are rebuilt from the rollups each time). Identities still in their learning
 * days raise nothing; volume and unusual-hour alerts also need enough active hours to mean anything.
 */
final class AnomalyDetector implements ActivityObserver {
    /** Where raised alerts go (inside the ingest's transaction). */
    @FunctionalInterface
    interface Sink {
        void raise(AlertType type, Activity activity, Map<String, Object> detail);
    }

    private final Thresholds thresholds;
    private final Notices notices;
    private final Sink sink;
    private final Map<String, Baseline> baselines = new HashMap<>();

    AnomalyDetector(Thresholds thresholds, Notices notices, Sink sink) {
        this.thresholds = thresholds;
        this.notices = notices;
        this.sink = sink;
    }

    @Override
    public void observe(Activity a, ActivityHistory history) {
        if (a.kind() == Activity.Kind.AUTH) return; // baselines are about what identities do through the gateway
        Baseline b = baselines.computeIfAbsent(a.identity(), id -> Baseline.of(id, history, a.time(), thresholds));
        if (!b.established) {
            b.add(a);
            return;
        }
        if (a.kind() == Activity.Kind.RESULT) {
            if (a.level() >= 1 && a.level() > b.maxLevel()) {
                sink.raise(AlertType.CLASSIFICATION_ESCALATION, a, detail("tool", a.tool(), "level", a.level(),
                        "classification", CLASSIFICATIONS[a.level()], "previousMaxLevel", b.maxLevel()));
            }
            b.add(a);
            return;
        }
        if (!b.knowsTool(a.tool())) sink.raise(AlertType.NEW_TOOL, a, detail("tool", a.tool(), "effect", a.effect(), "server", a.server()));
        if (!b.knowsServer(a.server())) sink.raise(AlertType.NEW_SERVER, a, detail("server", a.server(), "tool", a.tool()));
        if (!b.knowsDestination(a.destination())) {
            sink.raise(AlertType.NEW_DESTINATION, a, detail("destination", a.destination(), "tool", a.tool()));
        }
        b.add(a);
        boolean enoughHistory = b.activeHourCount() >= thresholds.minActiveHours();
        long calls = b.callsInHour(a.time());
        double threshold = b.volumeThreshold(thresholds.volumeK());
        var hour = a.time().truncatedTo(ChronoUnit.HOURS);
        if (enoughHistory && calls >= thresholds.volumeMinCalls() && calls > threshold
                && notices.firstTime("anomaly:volume:" + a.identity() + ":" + hour)) {
            sink.raise(AlertType.VOLUME, a, detail("hour", hour.toString(), "calls", calls, "median", b.median(), "mad", b.mad(),
                    "threshold", Math.round(threshold * 100) / 100.0));
        }
        int hourOfDay = a.time().atOffset(ZoneOffset.UTC).getHour();
        if (enoughHistory && !b.activeAtHourOfDay(hourOfDay)) {
            b.learnHourOfDay(hourOfDay);
            if (notices.firstTime("anomaly:unusual_hour:" + a.identity() + ":" + hour)) {
                sink.raise(AlertType.UNUSUAL_HOUR, a, detail("hourOfDay", hourOfDay, "tool", a.tool(), "activeHoursInBaseline", b.activeHourCount()));
            }
        }
    }

    private static final String[] CLASSIFICATIONS = {"public", "internal", "confidential", "restricted"};

    private static Map<String, Object> detail(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) if (pairs[i + 1] != null) m.put((String) pairs[i], pairs[i + 1]);
        return m;
    }
}
