package dev.gatehouse.cedar.value;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Cedar's {@code datetime}: an instant as signed milliseconds since 1970-01-01T00:00:00Z.
 * Accepted text forms: {@code YYYY-MM-DD}, {@code YYYY-MM-DDThh:mm:ssZ},
 * {@code YYYY-MM-DDThh:mm:ss.SSSZ}, {@code YYYY-MM-DDThh:mm:ss(+|-)hhmm} and
 * {@code YYYY-MM-DDThh:mm:ss.SSS(+|-)hhmm}; an offset is normalised to UTC.
 */
public record DatetimeValue(long epochMillis) implements ExtensionValue {
    private static final long DAY = 86_400_000L;

    /**
     * Parses one of the accepted forms (proleptic Gregorian calendar, years 0000–9999, no leap
     * seconds, offsets below 24 hours).
     *
     * @throws IllegalArgumentException with the reason, when the text is not a valid datetime
     */
    public static DatetimeValue parse(String s) {
        if (s.length() < 10 || !digits(s, 0, 4) || s.charAt(4) != '-' || !digits(s, 5, 7) || s.charAt(7) != '-' || !digits(s, 8, 10)) {
            throw invalid(s, "it must start with YYYY-MM-DD");
        }
        int year = num(s, 0, 4);
        int month = num(s, 5, 7);
        int day = num(s, 8, 10);
        if (s.length() == 10) {
            return new DatetimeValue(epochDay(s, year, month, day) * DAY);
        }
        if (s.length() < 19 || s.charAt(10) != 'T' || !digits(s, 11, 13) || s.charAt(13) != ':' || !digits(s, 14, 16)
                || s.charAt(16) != ':' || !digits(s, 17, 19)) {
            throw invalid(s, "the time must be THH:MM:SS");
        }
        int hour = num(s, 11, 13);
        int minute = num(s, 14, 16);
        int second = num(s, 17, 19);
        int i = 19;
        int millis = 0;
        if (i < s.length() && s.charAt(i) == '.') {
            if (s.length() < i + 4 || !digits(s, i + 1, i + 4)) {
                throw invalid(s, "milliseconds must be three digits");
            }
            millis = num(s, i + 1, i + 4);
            i += 4;
        }
        long offsetSeconds;
        if (s.length() == i + 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (s.length() == i + 5 && (s.charAt(i) == '+' || s.charAt(i) == '-') && digits(s, i + 1, i + 5)) {
            int oh = num(s, i + 1, i + 3);
            int om = num(s, i + 3, i + 5);
            if (oh >= 24 || om >= 60) {
                throw invalid(s, "the offset must be below 24 hours and its minutes below 60");
            }
            offsetSeconds = (oh * 3600L + om * 60L) * (s.charAt(i) == '+' ? 1 : -1);
        } else {
            throw invalid(s, "it must end with Z, .SSSZ, (+|-)hhmm or .SSS(+|-)hhmm");
        }
        long date = epochDay(s, year, month, day);
        if (hour >= 24 || minute >= 60 || second >= 60) {
            throw invalid(s, "hour, minute or second out of range");
        }
        long ms = date * DAY + hour * 3_600_000L + minute * 60_000L + second * 1000L + millis - offsetSeconds * 1000L;
        return new DatetimeValue(ms);
    }

    private static long epochDay(String s, int year, int month, int day) {
        try {
            return LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            throw invalid(s, "no such date");
        }
    }

    private static boolean digits(String s, int from, int to) {
        if (to > s.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int num(String s, int from, int to) {
        return Integer.parseInt(s, from, to, 10);
    }

    private static IllegalArgumentException invalid(String s, String why) {
        return new IllegalArgumentException("`" + s + "` is not a datetime: " + why);
    }

    /** This instant moved by the duration; null when the result leaves the 64-bit range. */
    public DatetimeValue offset(DurationValue d) {
        long r = epochMillis + d.millis();
        return ((epochMillis ^ r) & (d.millis() ^ r)) < 0 ? null : new DatetimeValue(r);
    }

    /** The duration from {@code other} to this instant; null when it leaves the 64-bit range. */
    public DurationValue durationSince(DatetimeValue other) {
        long r = epochMillis - other.epochMillis;
        return ((epochMillis ^ other.epochMillis) & (epochMillis ^ r)) < 0 ? null : new DurationValue(r);
    }

    /** Midnight (UTC) of this instant's day; null when that day starts before the 64-bit range. */
    public DatetimeValue toDate() {
        long r = epochMillis - Math.floorMod(epochMillis, DAY);
        return r > epochMillis ? null : new DatetimeValue(r);
    }

    /** The time elapsed since this instant's midnight (UTC). */
    public DurationValue toTime() {
        return new DurationValue(Math.floorMod(epochMillis, DAY));
    }

    @Override
    public String typeName() {
        return "datetime";
    }

    @Override
    public String toCedar() {
        long day = Math.floorDiv(epochMillis, DAY);
        if (day >= LocalDate.of(0, 1, 1).toEpochDay() && day <= LocalDate.of(9999, 12, 31).toEpochDay()) {
            return "datetime(\"" + DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
                    .format(Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC)) + "\")";
        }
        return "datetime(\"1970-01-01\").offset(duration(\"" + epochMillis + "ms\"))";
    }

    @Override
    public String toString() {
        return toCedar();
    }
}
