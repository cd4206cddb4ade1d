package dev.gatehouse.inspection.detectors;

import dev.gatehouse.inspection.Detector;
import dev.gatehouse.inspection.Hits;
import java.util.Set;

/**
 * PEM private keys: a {@code -----BEGIN … PRIVATE KEY-----} header (RSA, EC, DSA, OPENSSH,
 * ENCRYPTED, PKCS#8, PGP {@code PRIVATE KEY BLOCK}) followed by a base64 body. The span runs to
 * the matching {@code -----END …-----} line so redaction removes the whole key. A header without
 * a body (documentation saying what a key file starts with) is not a key; public keys and
 * certificates are not secrets.
 */
public final class PrivateKeyDetector implements Detector {
    public static final String TYPE = "secret.private_key";
    private static final String BEGIN = "-----BEGIN ";
    private static final String DASHES = "-----";
    private static final int MAX_KEY_CHARS = 64 * 1024;

    @Override public Set<String> types() { return Set.of(TYPE); }

    @Override public Trigger trigger() { return new Trigger("-", false); }

    @Override public int rank() { return 20; }

    @Override
    public void detect(String s, int at, Hits hits) {
        if (!s.startsWith(BEGIN, at)) return;
        int labelFrom = at + BEGIN.length();
        int labelEnd = Chars.run(s, labelFrom, labelFrom + 48, c -> Chars.upper(c) || Chars.digit(c) || c == ' ');
        if (!s.startsWith(DASHES, labelEnd)) return;
        String label = s.substring(labelFrom, labelEnd);
        if (!(label.endsWith("PRIVATE KEY") || label.endsWith("PRIVATE KEY BLOCK"))) return;
        int headerEnd = labelEnd + DASHES.length();
        int bodyEnd = base64Body(s, headerEnd);
        if (bodyEnd < 0) return;
        int end = indexOf(s, "-----END ", bodyEnd, Math.min(s.length(), at + MAX_KEY_CHARS));
        if (end >= 0) {
            int close = s.indexOf(DASHES, end + 9);
            hits.add(TYPE, at, close >= 0 && close - end < 64 ? close + DASHES.length() : end + 9);
        } else {
            hits.add(TYPE, at, bodyEnd);
        }
    }

    /** {@code needle} at or after {@code from} starting before {@code limit}, or -1: a bounded search keeps many headers without END lines linear. */
    private static int indexOf(String s, String needle, int from, int limit) {
        for (int i = s.indexOf('-', from); i >= 0 && i < limit; i = s.indexOf('-', i + 1)) {
            if (s.startsWith(needle, i)) return i;
        }
        return -1;
    }

    /**
     * End of a base64 run of at least 40 characters starting within 300 characters of the header
     * (room for {@code Proc-Type}/{@code DEK-Info} lines), or -1. A literal {@code \n} (the key
     * inside a JSON string) is skipped as a line break.
     */
    private static int base64Body(String s, int from) {
        int limit = Math.min(s.length(), from + 300);
        int runStart = -1;
        for (int i = from; i < Math.min(s.length(), from + 4096); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == 'n' || s.charAt(i + 1) == 'r')) {
                if (runStart >= 0 && i - runStart >= 40) return i;
                runStart = -1;
                i++;
                continue;
            }
            if (Chars.base64(c)) {
                if (runStart < 0) {
                    if (i > limit) return -1;
                    runStart = i;
                }
            } else {
                if (runStart >= 0 && i - runStart >= 40) return i;
                runStart = -1;
            }
        }
        return runStart >= 0 && Math.min(s.length(), from + 4096) - runStart >= 40 ? Math.min(s.length(), from + 4096) : -1;
    }
}
