package dev.gatehouse.posture.discovery;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers the parsers share to write facts: timestamps as ISO-8601, ages in whole days, no nulls. */
final class Facts {
    private Facts() {}

    /** An ISO-8601 timestamp with an offset, or null for the exports' placeholders ({@code N/A}, {@code no_information}, empty). */
    static Instant time(String value) {
        if (value == null || value.isBlank() || value.equals("N/A") || value.equals("no_information") || value.equals("not_supported")) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(value.strip());
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    static Long ageDays(Instant since, Instant now) {
        return since == null ? null : Math.max(0, Duration.between(since, now).toDays());
    }

    /** A map that leaves out null values. */
    static Map<String, Object> of(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) if (pairs[i + 1] != null) m.put((String) pairs[i], pairs[i + 1]);
        return m;
    }

    static String iso(Instant t) { return t == null ? null : t.toString(); }
}
