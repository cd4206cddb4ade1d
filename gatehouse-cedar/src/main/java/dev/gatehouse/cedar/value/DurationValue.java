package dev.gatehouse.cedar.value;

/**
 * Cedar's {@code duration}: a signed number of milliseconds, written as quantity–unit pairs from the
 * largest unit to the smallest ({@code 1d2h3m4s5ms}, {@code -90m}).
 */
public record DurationValue(long millis) implements ExtensionValue {
    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

    /**
     * Parses duration syntax: an optional {@code -}, then at least one quantity–unit pair, units
     * {@code d h m s ms} each at most once and in that order.
     *
     * @throws IllegalArgumentException with the reason, when the text is not a valid duration
     */
    public static DurationValue parse(String text) {
        boolean negative = text.startsWith("-");
        int i = negative ? 1 : 0;
        if (i == text.length()) {
            throw invalid(text);
        }
        long total = 0;
        int lastUnit = -1;
        boolean overflow = false;
        while (i < text.length()) {
            int start = i;
            while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
            }
            if (i == start || i == text.length()) {
                throw invalid(text);
            }
            String digits = text.substring(start, i);
            int unit;
            char c = text.charAt(i);
            if (c == 'm' && i + 1 < text.length() && text.charAt(i + 1) == 's') {
                unit = 4;
                i += 2;
            } else {
                unit = switch (c) {
                    case 'd' -> 0;
                    case 'h' -> 1;
                    case 'm' -> 2;
                    case 's' -> 3;
                    default -> throw invalid(text);
                };
                i++;
            }
            if (unit <= lastUnit) {
                throw invalid(text);
            }
            lastUnit = unit;
            try {
                // Each quantity must fit a signed 64-bit count of milliseconds once scaled, like the reference.
                long quantity = Long.parseLong(digits);
                long ms = Math.multiplyExact(quantity, UNIT_MILLIS[unit]);
                total = negative ? Math.subtractExact(total, ms) : Math.addExact(total, ms);
            } catch (NumberFormatException | ArithmeticException e) {
                // "-9223372036854775808ms" is the one quantity that only fits negated.
                if (negative && unit == 4 && total == 0 && digits.replaceFirst("^0+(?=.)", "").equals("9223372036854775808")) {
                    total = Long.MIN_VALUE;
                } else {
                    overflow = true;
                }
            }
        }
        if (overflow) {
            throw new IllegalArgumentException("duration `" + text + "` overflows a 64-bit count of milliseconds");
        }
        return new DurationValue(total);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("`" + text + "` is not a duration: expected quantity–unit pairs like `1d2h3m4s5ms`, optionally starting with `-`");
    }

    /** Whole seconds, truncated toward zero. */
    public long toSeconds() {
        return millis / 1000;
    }

    /** Whole minutes, truncated toward zero. */
    public long toMinutes() {
        return toSeconds() / 60;
    }

    /** Whole hours, truncated toward zero. */
    public long toHours() {
        return toMinutes() / 60;
    }

    /** Whole days, truncated toward zero. */
    public long toDays() {
        return toHours() / 24;
    }

    @Override
    public String typeName() {
        return "duration";
    }

    @Override
    public String toCedar() {
        return "duration(\"" + millis + "ms\")";
    }

    @Override
    public String toString() {
        return toCedar();
    }

    static String unitName(int i) {
        return UNITS[i];
    }
}
