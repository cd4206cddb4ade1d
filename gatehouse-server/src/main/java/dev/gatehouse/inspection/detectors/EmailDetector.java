package dev.gatehouse.inspection.detectors;

import dev.gatehouse.inspection.Detector;
import dev.gatehouse.inspection.Hits;
import java.util.Locale;
import java.util.Set;

/**
 * E-mail addresses: a local part, {@code @}, and a domain of at least two labels ending in an
 * alphabetic top-level domain. Not personal data, and so not reported: the reserved example and
 * test domains (RFC 2606, RFC 6761: {@code example.com/net/org}, {@code .example}, {@code .test},
 * {@code .invalid}, {@code .localhost}), {@code git@host:repo} remotes, and look-alikes whose
 * "domain" ends in a file extension ({@code logo@2x.png}).
 */
public final class EmailDetector implements Detector {
    public static final String TYPE = "pii.email";
    private static final Set<String> RESERVED = Set.of("example.com", "example.net", "example.org");
    private static final Set<String> RESERVED_TLDS = Set.of("example", "test", "invalid", "localhost", "local");
    private static final Set<String> FILE_TLDS = Set.of("png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "js", "mjs", "ts", "css",
            "json", "md", "txt", "html", "map", "zip", "gz", "tgz", "pdf", "py", "java", "rb");

    @Override public Set<String> types() { return Set.of(TYPE); }

    @Override public Trigger trigger() { return new Trigger("@", false); }

    @Override
    public void detect(String s, int at, Hits hits) {
        int start = at;
        while (start > 0 && at - start < 64 && isLocalChar(s.charAt(start - 1))) start--;
        // "\njane@…" inside a JSON string: the n belongs to the escape, not to the address
        if (start > 0 && s.charAt(start - 1) == '\\') start++;
        while (start < at && s.charAt(start) == '.') start++;
        if (start == at || s.charAt(at - 1) == '.') return;
        int end = at + 1;
        int lastDot = -1;
        int labelStart = end;
        int n = s.length();
        while (end < n && end - at < 255) {
            char c = s.charAt(end);
            if (Chars.alnum(c) || (c == '-' && end > labelStart)) {
                end++;
            } else if (c == '.' && end > labelStart && end + 1 < n && Chars.alnum(s.charAt(end + 1)) && s.charAt(end - 1) != '-') {
                lastDot = end;
                end++;
                labelStart = end;
            } else {
                break;
            }
        }
        if (lastDot < 0 || end - lastDot - 1 < 2) return;
        for (int i = lastDot + 1; i < end; i++) if (!Chars.upper(s.charAt(i)) && !Chars.lower(s.charAt(i))) return;
        if (end < n && (s.charAt(end) == '@')) return;
        String domain = s.substring(at + 1, end).toLowerCase(Locale.ROOT);
        String tld = domain.substring(lastDot - at);
        if (RESERVED_TLDS.contains(tld) || FILE_TLDS.contains(tld)) return;
        for (String r : RESERVED) if (domain.equals(r) || domain.endsWith("." + r)) return;
        if (urlUserinfo(s, start)) return;
        if (at - start == 3 && s.startsWith("git", start) && end < n && s.charAt(end) == ':') return;
        hits.add(TYPE, start, end);
    }

    /**
     * {@code https://user:token@host/…}: the part before {@code @} is URL userinfo (often a
     * credential, which the secret detectors judge), not a mailbox. {@code mailto:} has no "//".
     */
    private static boolean urlUserinfo(String s, int start) {
        if (start == 0 || (s.charAt(start - 1) != ':' && s.charAt(start - 1) != '/')) return false;
        for (int i = start - 1; i > 0 && start - i < 256; i--) {
            char c = s.charAt(i);
            if (c <= ' ' || c == '"' || c == '\'' || c == '<') return false;
            if (c == '/' && s.charAt(i - 1) == '/') return true;
        }
        return false;
    }

    private static boolean isLocalChar(char c) {
        return Chars.alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }
}
