package dev.gatehouse.inspection.detectors;

import dev.gatehouse.inspection.Detector;
import dev.gatehouse.inspection.Hits;
import java.util.Set;

/**
 * AWS access key ids: a four-character prefix naming the key kind ({@code AKIA} long-term,
 * {@code ASIA} temporary, …) and 16 characters of base32 ({@code A–Z2–7}), 20 in all.
 */
public final class AwsAccessKeyDetector implements Detector {
    public static final String TYPE = "secret.aws_access_key";
    private static final String[] PREFIXES = {"AKIA", "ASIA", "ABIA", "ACCA"};

    @Override public Set<String> types() { return Set.of(TYPE); }

    @Override public Trigger trigger() { return new Trigger("A", true); }

    @Override
    public void detect(String s, int at, Hits hits) {
        if (at + 20 > s.length()) return;
        boolean prefix = false;
        for (String p : PREFIXES) if (s.startsWith(p, at)) { prefix = true; break; }
        // A3T + one letter/digit is the older prefix family
        if (!prefix && s.startsWith("A3T", at) && (Chars.upper(s.charAt(at + 3)) || Chars.digit(s.charAt(at + 3)))) prefix = true;
        if (!prefix) return;
        for (int i = at + 4; i < at + 20; i++) {
            char c = s.charAt(i);
            if (!(Chars.upper(c) || (c >= '2' && c <= '7'))) return;
        }
        if (Chars.endBoundary(s, at + 20)) hits.add(TYPE, at, at + 20);
    }
}
