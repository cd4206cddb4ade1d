package dev.gatehouse.inspection.detectors;

import dev.gatehouse.inspection.Detector;
import dev.gatehouse.inspection.Hits;
import java.util.Set;

/**
 * Telephone numbers in two shapes that numbers of other kinds rarely take:
 * <ul>
 *   <li>international: {@code +} and a country code, then 8–15 digits in all (E.164), optionally
 *       grouped by single spaces, dashes, dots or a parenthesised area code;</li>
 *   <li>North American: {@code (NXX) NXX-XXXX}, {@code NXX-NXX-XXXX}, {@code NXX.NXX.XXXX} or
 *       {@code NXX NXX XXXX} (N = 2–9), optionally after {@code 1}.</li>
 * </ul>
 * A bare run of digits is not reported: it is far more often an id, a timestamp or an amount.
 * National formats of other countries need their {@code +} country code to be recognised.
 */
public final class PhoneDetector implements Detector {
    public static final String TYPE = "pii.phone";

    @Override public Set<String> types() { return Set.of(TYPE); }

    @Override public Trigger trigger() { return new Trigger("+(0123456789", true); }

    @Override
    public void detect(String s, int at, Hits hits) {
        char c = s.charAt(at);
        if (c == '+') {
            international(s, at, hits);
        } else if (Chars.numberStart(s, at) && !(at > 0 && (s.charAt(at - 1) == '(' || s.charAt(at - 1) == '+'))) {
            int end = northAmerican(s, at);
            if (end > 0) hits.add(TYPE, at, end);
        }
    }

    private static void international(String s, int at, Hits hits) {
        int n = s.length();
        if (!Chars.startBoundary(s, at) || (at > 0 && s.charAt(at - 1) == '+')) return;
        int i = at + 1;
        if (i >= n || s.charAt(i) < '1' || s.charAt(i) > '9') return;
        int digits = 0;
        int groupDigits = 0;
        int lastDigit = -1;
        int goodEnd = -1; // end of the longest complete number seen before a blank
        boolean paren = false;
        while (i < n) {
            char c = s.charAt(i);
            if (Chars.digit(c)) {
                digits++;
                groupDigits = lastDigit == i - 1 ? groupDigits + 1 : 1;
                lastDigit = i;
                i++;
                if (digits > 15) {
                    // ran into a following number ("+44 20 7946 0958 (536-22-1234)"): keep what was complete
                    if (goodEnd > 0) hits.add(TYPE, at, goodEnd);
                    return;
                }
                continue;
            }
            // a blank may end the number; a dot or dash right after digits may be a decimal or a date
            if (c == ' ' && digits >= 8 && groupDigits >= 2 && lastDigit == i - 1) goodEnd = i;
            if ((c == ' ' || c == '-' || c == '.') && i + 1 < n && (Chars.digit(s.charAt(i + 1)) || s.charAt(i + 1) == '(')
                    && Chars.digit(s.charAt(i - 1))) {
                i++;
            } else if (c == '(' && !paren && i + 1 < n && Chars.digit(s.charAt(i + 1))) {
                paren = true;
                i++;
            } else if (c == ')' && paren) {
                i++;
                if (i < n && s.charAt(i) == ' ') i++;
            } else {
                break;
            }
        }
        // a one-digit last group is a decimal ("+35236450.6"), not a subscriber number; then keep what was complete
        if (digits >= 8 && groupDigits >= 2 && Chars.numberEnd(s, lastDigit + 1)) hits.add(TYPE, at, lastDigit + 1);
        else if (goodEnd > 0) hits.add(TYPE, at, goodEnd);
    }

    /** End of a North American number starting at {@code at} (a digit or the '(' of the area code), or -1. */
    static int northAmerican(String s, int at) {
        int i = at;
        int n = s.length();
        if (s.charAt(i) == '1' && i + 1 < n && (s.charAt(i + 1) == ' ' || s.charAt(i + 1) == '-' || s.charAt(i + 1) == '.')) i += 2;
        char sep;
        if (i < n && s.charAt(i) == '(') {
            if (!group(s, i + 1, 3, true) || i + 4 >= n || s.charAt(i + 4) != ')') return -1;
            i += 5;
            if (i < n && s.charAt(i) == ' ') i++;
            if (!group(s, i, 3, true) || i + 3 >= n) return -1;
            sep = s.charAt(i + 3);
            if (sep != '-' && sep != '.' && sep != ' ') return -1;
            i += 4;
        } else {
            if (!group(s, i, 3, true) || i + 3 >= n) return -1;
            sep = s.charAt(i + 3);
            if (sep != '-' && sep != '.' && sep != ' ') return -1;
            i += 4;
            if (!group(s, i, 3, true) || i + 3 >= n || s.charAt(i + 3) != sep) return -1;
            i += 4;
        }
        if (!group(s, i, 4, false)) return -1;
        int end = i + 4;
        return Chars.numberEnd(s, end) ? end : -1;
    }

    /** {@code len} digits at {@code i}; the first 2–9 when {@code nxx}. */
    private static boolean group(String s, int i, int len, boolean nxx) {
        if (i + len > s.length()) return false;
        for (int k = 0; k < len; k++) if (!Chars.digit(s.charAt(i + k))) return false;
        return !nxx || s.charAt(i) >= '2';
    }
}
