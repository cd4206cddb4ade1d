package dev.gatehouse.inspection.detectors;

import dev.gatehouse.inspection.Detector;
import dev.gatehouse.inspection.Hits;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * JSON Web Tokens in compact form: three base64url segments separated by dots, the first
 * decoding to a JSON header with an {@code alg} member (RFC 7515 §4.1.1; base64url of
 * {@code {"} is always {@code eyJ}). JWE (five segments) is reported too: it carries a token.
 */
public final class JwtDetector implements Detector {
    public static final String TYPE = "secret.jwt";
    /** Outranks the format detectors: a JWT assigned to {@code "token"} is one JWT. */
    public static final int RANK = 15;

    @Override public Set<String> types() { return Set.of(TYPE); }

    @Override public Trigger trigger() { return new Trigger("e", true); }

    @Override public int rank() { return RANK; }

    @Override
    public void detect(String s, int at, Hits hits) {
        if (!s.startsWith("eyJ", at)) return;
        int headerEnd = Chars.run(s, at, at + 4096, Chars::base64url);
        if (headerEnd - at < 10 || headerEnd >= s.length() || s.charAt(headerEnd) != '.') return;
        int payloadEnd = Chars.run(s, headerEnd + 1, headerEnd + 1 + 65536, Chars::base64url);
        if (payloadEnd - headerEnd - 1 < 10 || payloadEnd >= s.length() || s.charAt(payloadEnd) != '.') return;
        int end = Chars.run(s, payloadEnd + 1, payloadEnd + 1 + 65536, Chars::base64url);
        // JWE: two more segments
        for (int extra = 0; extra < 2 && end < s.length() - 1 && s.charAt(end) == '.' && Chars.base64url(s.charAt(end + 1)); extra++) {
            end = Chars.run(s, end + 1, end + 1 + 65536, Chars::base64url);
        }
        if (end < s.length() && (Chars.base64url(s.charAt(end)) || (s.charAt(end) == '.' && end + 1 < s.length() && Chars.base64url(s.charAt(end + 1))))) return;
        if (!hasAlg(s.substring(at, headerEnd))) return;
        hits.add(TYPE, at, end);
    }

    private static boolean hasAlg(String header) {
        try {
            String json = new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8);
            return json.startsWith("{") && json.contains("\"alg\"");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
