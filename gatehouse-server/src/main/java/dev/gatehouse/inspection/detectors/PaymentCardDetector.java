package dev.gatehouse.inspection.detectors;

import dev.gatehouse.inspection.Detector;
import dev.gatehouse.inspection.Hits;
import java.util.Set;

/**
 * Payment card numbers (PANs): 13–19 digits, plain or in groups separated by single spaces or
 * dashes (first group of four), whose issuer prefix and length belong to a card scheme (Visa,
 * Mastercard, Amex, Discover, Diners, JCB, UnionPay, Maestro, Mir) and whose Luhn check digit is
 * right. The Luhn check turns away nine in ten random digit strings; the prefix rules most of the
 * rest (ids and millisecond timestamps start with 1).
 */
public final class PaymentCardDetector implements Detector {
    public static final String TYPE = "pii.payment_card";

    @Override public Set<String> types() { return Set.of(TYPE); }

    @Override public Trigger trigger() { return new Trigger("23456", true); }

    @Override
    public void detect(String s, int at, Hits hits) {
        if (!Chars.numberStart(s, at)) return;
        int n = s.length();
        int first = Chars.run(s, at, at + 20, Chars::digit);
        int len = first - at;
        if (len >= 13) {
            if (len <= 19 && Chars.numberEnd(s, first) && valid(s, at, first, len)) hits.add(TYPE, at, first);
            return;
        }
        if (len != 4 || first + 1 >= n) return;
        char sep = s.charAt(first);
        if ((sep != ' ' && sep != '-') || !Chars.digit(s.charAt(first + 1))) return;
        // groups: remember where each ends, then try the longest prefix that is a valid card
        int[] groupEnds = new int[8];
        int[] groupDigits = new int[8];
        int groups = 0;
        groupEnds[groups] = first;
        groupDigits[groups++] = 4;
        int total = 4;
        int i = first;
        while (groups < 8 && i + 1 < n && s.charAt(i) == sep && Chars.digit(s.charAt(i + 1))) {
            int end = Chars.run(s, i + 1, i + 8, Chars::digit);
            int g = end - i - 1;
            if (g > 6 || total + g > 19) break;
            total += g;
            groupEnds[groups] = end;
            groupDigits[groups++] = total;
            i = end;
        }
        for (int g = groups - 1; g >= 1; g--) {
            if (groupDigits[g] >= 13 && (g < groups - 1 || Chars.numberEnd(s, groupEnds[g]) || s.charAt(groupEnds[g]) == sep)
                    && valid(s, at, groupEnds[g], groupDigits[g])) {
                hits.add(TYPE, at, groupEnds[g]);
                return;
            }
        }
    }

    /** s[from,to) holds {@code digits} digits (separators aside) of a scheme's prefix and length, with a right Luhn digit. */
    private static boolean valid(String s, int from, int to, int digits) {
        return schemeAllows(s, from, digits) && luhn(s, from, to);
    }

    /** Issuer prefix (the first digits) and length of the known card schemes. */
    static boolean schemeAllows(String s, int from, int len) {
        int d1 = s.charAt(from) - '0';
        int d2 = d1 * 10 + (s.charAt(from + 1) - '0');
        int d4 = prefix(s, from, 4);
        if (d1 == 4) return len == 13 || len == 16 || len == 19; // Visa
        if (d2 >= 51 && d2 <= 55) return len == 16; // Mastercard
        if (d4 >= 2221 && d4 <= 2720) return len == 16; // Mastercard 2-series
        if (d4 >= 2200 && d4 <= 2204) return len >= 16 && len <= 19; // Mir
        if (d2 == 34 || d2 == 37) return len == 15; // Amex
        if (d4 == 6011 || d2 == 65 || (d4 >= 6440 && d4 <= 6499)) return len >= 16 && len <= 19; // Discover
        if ((d4 >= 3000 && d4 <= 3059) || d2 == 36 || d2 == 38 || d2 == 39) return len >= 14 && len <= 19; // Diners
        if (d4 >= 3528 && d4 <= 3589) return len >= 16 && len <= 19; // JCB
        if (d2 == 62) return len >= 16 && len <= 19; // UnionPay
        if (d2 == 50 || (d2 >= 56 && d2 <= 58) || d2 == 63 || d2 == 67) return len >= 13 && len <= 19; // Maestro
        return false;
    }

    /** The first {@code k} digits (separators skipped) as a number. */
    private static int prefix(String s, int from, int k) {
        int v = 0;
        for (int i = from; k > 0 && i < s.length(); i++) {
            char c = s.charAt(i);
            if (Chars.digit(c)) { v = v * 10 + (c - '0'); k--; }
        }
        return v;
    }

    /** Luhn (ISO/IEC 7812-1) over the digits of s[from,to), separators skipped. */
    static boolean luhn(String s, int from, int to) {
        int sum = 0;
        boolean dbl = false;
        for (int i = to - 1; i >= from; i--) {
            char c = s.charAt(i);
            if (!Chars.digit(c)) continue;
            int d = c - '0';
            if (dbl) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }
}
