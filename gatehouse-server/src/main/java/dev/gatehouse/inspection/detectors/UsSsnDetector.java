package dev.gatehouse.inspection.detectors;

import dev.gatehouse.inspection.Detector;
import dev.gatehouse.inspection.Hits;
import java.util.Set;

/**
 * US Social Security numbers: {@code AAA-GG-SSSS} (or space-separated), with the numbers the SSA
 * never issues excluded (area 000, 666, 900–999; group 00; serial 0000). Nine digits without
 * separators are reported only after an {@code ssn} / {@code social security} label close before
 * them: unlabelled, nine digits are usually something else.
 */
public final class UsSsnDetector implements Detector {
    public static final String TYPE = "pii.us_ssn";

    @Override public Set<String> types() { return Set.of(TYPE); }

    @Override public Trigger trigger() { return new Trigger("0123456789", true); }

    @Override
    public void detect(String s, int at, Hits hits) {
        if (!Chars.numberStart(s, at) || at + 9 > s.length()) return;
        if (digits(s, at, 3)) {
            char sep = at + 3 < s.length() ? s.charAt(at + 3) : 0;
            if ((sep == '-' || sep == ' ') && at + 11 <= s.length() && digits(s, at + 4, 2) && s.charAt(at + 6) == sep
                    && digits(s, at + 7, 4) && Chars.numberEnd(s, at + 11) && valid(s, at, at + 4, at + 7)) {
                hits.add(TYPE, at, at + 11);
            } else if (digits(s, at, 9) && Chars.numberEnd(s, at + 9) && valid(s, at, at + 3, at + 5) && labelled(s, at)) {
                hits.add(TYPE, at, at + 9);
            }
        }
    }

    private static boolean digits(String s, int i, int len) {
        if (i + len > s.length()) return false;
        for (int k = 0; k < len; k++) if (!Chars.digit(s.charAt(i + k))) return false;
        return true;
    }

    private static boolean valid(String s, int area, int group, int serial) {
        if (s.startsWith("000", area) || s.startsWith("666", area) || s.charAt(area) == '9') return false;
        if (s.startsWith("00", group)) return false;
        return !s.startsWith("0000", serial);
    }

    private static boolean labelled(String s, int at) {
        int from = Math.max(0, at - 32);
        for (int i = from; i < at - 2; i++) {
            if (Chars.startsWithIgnoreCase(s, i, "ssn") || Chars.startsWithIgnoreCase(s, i, "social security")
                    || Chars.startsWithIgnoreCase(s, i, "social_security")) return true;
        }
        return false;
    }
}
