package dev.gatehouse.cedar.value;

/**
 * Cedar's {@code decimal}: a fixed-point number with exactly four digits after the point, stored as
 * the 64-bit integer {@code value × 10⁴}. Compared only through its methods ({@code lessThan}, …).
 */
public record DecimalValue(long unscaled) implements ExtensionValue {
    /** Digits after the decimal point, fixed by the Cedar specification. */
    public static final int DIGITS = 4;
    private static final long SCALE = 10_000L;

    /**
     * Parses Cedar decimal syntax: optional {@code -}, one or more ASCII digits, {@code .}, one to
     * four ASCII digits. Values that do not fit are rejected rather than rounded.
     *
     * @throws IllegalArgumentException with the reason, when the text is not a valid decimal
     */
    public static DecimalValue parse(String text) {
        int dot = text.indexOf('.');
        int start = text.startsWith("-") ? 1 : 0;
        if (dot < 0 || dot == start || !digits(text, start, dot) || dot == text.length() - 1 || !digits(text, dot + 1, text.length())) {
            throw new IllegalArgumentException("`" + text + "` is not a decimal: expected digits, a `.` and one to four digits (e.g. `1.25`)");
        }
        int fractionDigits = text.length() - dot - 1;
        if (fractionDigits > DIGITS) {
            throw new IllegalArgumentException("`" + text + "` has more than " + DIGITS + " digits after the decimal point");
        }
        try {
            long whole = Long.parseLong(text.substring(0, dot));
            long fraction = Long.parseLong(text.substring(dot + 1));
            for (int i = fractionDigits; i < DIGITS; i++) {
                fraction *= 10;
            }
            long scaled = Math.multiplyExact(whole, SCALE);
            return new DecimalValue(start == 1 ? Math.subtractExact(scaled, fraction) : Math.addExact(scaled, fraction));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("`" + text + "` does not fit in a decimal (at most 922337203685477.5807)");
        }
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return to > from;
    }

    /** Numeric order: negative, zero or positive as this is less than, equal to or greater than {@code other}. */
    public int compareTo(DecimalValue other) {
        return Long.compare(unscaled, other.unscaled);
    }

    @Override
    public String typeName() {
        return "decimal";
    }

    /** Four digits after the point, as Cedar prints decimals: {@code -1.5000}. */
    public String text() {
        long abs = Math.abs(unscaled);
        String sign = unscaled < 0 ? "-" : "";
        if (unscaled == Long.MIN_VALUE) {
            return "-922337203685477.5808";
        }
        return sign + (abs / SCALE) + "." + String.format("%04d", abs % SCALE);
    }

    @Override
    public String toCedar() {
        return "decimal(\"" + text() + "\")";
    }

    @Override
    public String toString() {
        return toCedar();
    }
}
