package dev.gatehouse.inspection.detectors;

import dev.gatehouse.inspection.Detector;
import dev.gatehouse.inspection.Hits;
import java.util.Map;
import java.util.Set;

/**
 * International bank account numbers (ISO 13616): country code, two check digits and the
 * country's fixed-length account part, plain or in groups of four separated by single spaces,
 * accepted only when the length is the country's and the mod-97 checksum (ISO 7064) is 1.
 */
public final class IbanDetector implements Detector {
    public static final String TYPE = "pii.iban";

    /** IBAN length by country (SWIFT IBAN registry). */
    static final Map<String, Integer> LENGTHS = Map.ofEntries(
            Map.entry("AD", 24), Map.entry("AE", 23), Map.entry("AL", 28), Map.entry("AT", 20), Map.entry("AZ", 28), Map.entry("BA", 20),
            Map.entry("BE", 16), Map.entry("BG", 22), Map.entry("BH", 22), Map.entry("BR", 29), Map.entry("BY", 28), Map.entry("CH", 21),
            Map.entry("CR", 22), Map.entry("CY", 28), Map.entry("CZ", 24), Map.entry("DE", 22), Map.entry("DK", 18), Map.entry("DO", 28),
            Map.entry("EE", 20), Map.entry("EG", 29), Map.entry("ES", 24), Map.entry("FI", 18), Map.entry("FO", 18), Map.entry("FR", 27),
            Map.entry("GB", 22), Map.entry("GE", 22), Map.entry("GI", 23), Map.entry("GL", 18), Map.entry("GR", 27), Map.entry("GT", 28),
            Map.entry("HR", 21), Map.entry("HU", 28), Map.entry("IE", 22), Map.entry("IL", 23), Map.entry("IQ", 23), Map.entry("IS", 26),
            Map.entry("IT", 27), Map.entry("JO", 30), Map.entry("KW", 30), Map.entry("KZ", 20), Map.entry("LB", 28), Map.entry("LC", 32),
            Map.entry("LI", 21), Map.entry("LT", 20), Map.entry("LU", 20), Map.entry("LV", 21), Map.entry("MC", 27), Map.entry("MD", 24),
            Map.entry("ME", 22), Map.entry("MK", 19), Map.entry("MR", 27), Map.entry("MT", 31), Map.entry("MU", 30), Map.entry("NL", 18),
            Map.entry("NO", 15), Map.entry("PK", 24), Map.entry("PL", 28), Map.entry("PS", 29), Map.entry("PT", 25), Map.entry("QA", 29),
            Map.entry("RO", 24), Map.entry("RS", 22), Map.entry("SA", 24), Map.entry("SC", 31), Map.entry("SE", 24), Map.entry("SI", 19),
            Map.entry("SK", 24), Map.entry("SM", 27), Map.entry("ST", 25), Map.entry("SV", 28), Map.entry("TL", 23), Map.entry("TN", 24),
            Map.entry("TR", 26), Map.entry("UA", 29), Map.entry("VA", 22), Map.entry("VG", 24), Map.entry("XK", 20));

    @Override public Set<String> types() { return Set.of(TYPE); }

    @Override public Trigger trigger() { return new Trigger("ABCDEFGHIJKLMNOPQRSTUVWXYZ", true); }

    @Override
    public void detect(String s, int at, Hits hits) {
        int n = s.length();
        if (at + 15 > n || !Chars.upper(s.charAt(at + 1)) || !Chars.digit(s.charAt(at + 2)) || !Chars.digit(s.charAt(at + 3))) return;
        Integer length = LENGTHS.get(s.substring(at, at + 2));
        if (length == null) return;
        char[] iban = new char[length];
        int count = 0;
        int i = at;
        boolean grouped = at + 4 < n && s.charAt(at + 4) == ' ';
        while (count < length && i < n) {
            char c = s.charAt(i);
            if (Chars.upper(c) || Chars.digit(c)) {
                iban[count++] = c;
                i++;
            } else if (grouped && c == ' ' && count % 4 == 0 && count > 0 && i + 1 < n && Chars.alnum(s.charAt(i + 1))) {
                i++;
            } else {
                return;
            }
        }
        if (count != length || !Chars.endBoundary(s, i)) return;
        if (mod97(iban) == 1) hits.add(TYPE, at, i);
    }

    /** ISO 7064 MOD 97-10 over the rearranged IBAN (first four characters moved to the end, letters as 10–35). */
    static int mod97(char[] iban) {
        int r = 0;
        for (int k = 0; k < iban.length; k++) {
            char c = iban[(k + 4) % iban.length];
            if (Chars.digit(c)) {
                r = (r * 10 + (c - '0')) % 97;
            } else {
                r = (r * 100 + (c - 'A' + 10)) % 97;
            }
        }
        return r;
    }
}
