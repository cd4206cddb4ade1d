package dev.gatehouse.posture.alerts;

import dev.gatehouse.posture.activity.Activity;
import dev.gatehouse.posture.activity.ActivityHistory;
import dev.gatehouse.posture.activity.UsageKind;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One identity's normal, from its history: the tools, servers and destinations it used, the highest
 * classification it read, its calls per active hour and the hours of the day it is active at. Built
 * once per ingest batch and kept current as the batch's activities are seen, so a new tool used
 * twice in one batch is new once.
 */
final class Baseline {
    final String identity;
    final boolean established;
    private final Set<String> tools;
    private final Set<String> servers;
    private final Set<String> destinations;
    private int maxLevel;
    /** Calls per active hour before the current one, inside the window. */
    private final List<Long> activeHours = new ArrayList<>();
    private final Set<Integer> hoursOfDay = new HashSet<>();
    private final Map<Instant, Long> current = new HashMap<>();

    private Baseline(String identity, boolean established, Set<String> tools, Set<String> servers, Set<String> destinations, int maxLevel) {
        this.identity = identity;
        this.established = established;
        this.tools = tools;
        this.servers = servers;
        this.destinations = destinations;
        this.maxLevel = maxLevel;
    }

    static Baseline of(String identity, ActivityHistory history, Instant at, Thresholds t) {
        LocalDate today = at.atOffset(ZoneOffset.UTC).toLocalDate();
        boolean established = history.firstDay(identity).map(LocalDate::parse)
                .map(first -> !first.isAfter(today.minusDays(t.learningDays()))).orElse(false);
        int maxLevel = history.seen(identity, UsageKind.LEVEL).stream().mapToInt(Integer::parseInt).max().orElse(-1);
        Baseline b = new Baseline(identity, established, new HashSet<>(history.seen(identity, UsageKind.TOOL)),
                new HashSet<>(history.seen(identity, UsageKind.SERVER)), new HashSet<>(history.seen(identity, UsageKind.DESTINATION)), maxLevel);
        Instant hour = at.truncatedTo(ChronoUnit.HOURS);
        for (ActivityHistory.HourCount h : history.hours(identity, hour.minus(t.baseline()))) {
            if (h.hourStart().isBefore(hour)) {
                b.activeHours.add(h.calls());
                b.hoursOfDay.add(h.hourStart().atOffset(ZoneOffset.UTC).getHour());
            } else {
                b.current.put(h.hourStart(), h.calls());
            }
        }
        return b;
    }

    boolean knowsTool(String tool) { return tools.contains(tool); }

    boolean knowsServer(String server) { return server == null || servers.contains(server); }

    boolean knowsDestination(String destination) { return destination == null || destinations.contains(destination); }

    int maxLevel() { return maxLevel; }

    int activeHourCount() { return activeHours.size(); }

    boolean activeAtHourOfDay(int hour) { return hoursOfDay.contains(hour); }

    /** Calls counted so far in the hour of {@code at}, this activity included once {@link #add} ran. */
    long callsInHour(Instant at) { return current.getOrDefault(at.truncatedTo(ChronoUnit.HOURS), 0L); }

    /** The baseline's median of calls per active hour. */
    double median() { return median(activeHours.stream().mapToDouble(Long::doubleValue).toArray()); }

    /** Median absolute deviation of calls per active hour. */
    double mad() {
        double m = median();
        return median(activeHours.stream().mapToDouble(c -> Math.abs(c - m)).toArray());
    }

    /** The volume above which an hour is anomalous: median + k × 1.4826 × max(MAD, 1). */
    double volumeThreshold(double k) { return median() + k * 1.4826 * Math.max(mad(), 1.0); }

    /** Counts the activity in, after it was judged. */
    void add(Activity a) {
        if (a.kind() == Activity.Kind.CALL) {
            tools.add(a.tool());
            if (a.server() != null) servers.add(a.server());
            if (a.destination() != null) destinations.add(a.destination());
            current.merge(a.time().truncatedTo(ChronoUnit.HOURS), 1L, Long::sum);
        } else if (a.level() > maxLevel) {
            maxLevel = a.level();
        }
    }

    /** Learns an hour of the day it was alerted for, so the same hour is not raised again in this batch. */
    void learnHourOfDay(int hour) { hoursOfDay.add(hour); }

    private static double median(double[] values) {
        if (values.length == 0) return 0;
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2.0;
    }
}
