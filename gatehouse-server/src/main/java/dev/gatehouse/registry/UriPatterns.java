package dev.gatehouse.registry;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Patterns over resource URIs, as registry entries and task scopes name them: an exact URI, an
 * RFC 6570 URI template, or a prefix ending in {@code *}. A template matches the URIs its expansions
 * can produce: {@code {var}} one segment (simple expansion percent-encodes {@code /}, so a value never
 * spans segments), {@code {+var}} and {@code {#var}} anything, {@code {/var}}, {@code {.var}},
 * {@code {;var}} repeated prefixed segments, {@code {?var}} / {@code {&var}} a query.
 */
public final class UriPatterns {
    public static final int MAX_LENGTH = 2000;

    private UriPatterns() {}

    /** Null when {@code pattern} is well-formed, else what is wrong with it. */
    public static String problem(String pattern) {
        if (pattern == null || pattern.isEmpty()) return "a resource URI is required";
        if (pattern.length() > MAX_LENGTH) return "a resource URI is at most " + MAX_LENGTH + " characters";
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c <= 0x20 || c == 0x7f) return "a resource URI has no spaces or control characters";
        }
        int star = pattern.indexOf('*');
        if (star >= 0 && star != pattern.length() - 1) return "'*' may only end a resource URI pattern";
        int depth = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '{') {
                if (depth++ > 0) return "URI template expressions do not nest";
            } else if (c == '}') {
                if (depth-- == 0) return "unbalanced '}' in URI template";
            }
        }
        if (depth != 0) return "unbalanced '{' in URI template";
        if (!pattern.contains(":")) return "a resource URI needs a scheme (e.g. file:///…, hr://…)";
        return null;
    }

    /** True when the concrete {@code uri} is one {@code pattern} names. */
    public static boolean matches(String pattern, String uri) {
        if (pattern.equals(uri)) return true;
        if (pattern.endsWith("*")) return uri.startsWith(pattern.substring(0, pattern.length() - 1));
        if (pattern.indexOf('{') < 0) return false;
        return regex(pattern).matcher(uri).matches();
    }

    /** The part before the first template expression or {@code *}: every URI the pattern names starts with it. */
    public static String literalPrefix(String pattern) {
        int cut = pattern.length();
        int brace = pattern.indexOf('{');
        int star = pattern.indexOf('*');
        if (brace >= 0) cut = Math.min(cut, brace);
        if (star >= 0) cut = Math.min(cut, star);
        return pattern.substring(0, cut);
    }

    /**
     * True when every URI {@code inner} names is one {@code outer} names (so a scope naming {@code inner}
     * lies within one naming {@code outer}). Conservative: templates cover only themselves and what a
     * prefix pattern around them covers.
     */
    public static boolean covers(String outer, String inner) {
        if (outer.equals(inner)) return true;
        if (outer.endsWith("*")) return literalPrefix(inner).startsWith(outer.substring(0, outer.length() - 1));
        return inner.indexOf('{') < 0 && !inner.endsWith("*") && matches(outer, inner);
    }

    /**
     * True when a concrete URI tries to climb out of where a pattern placed it: dot segments, or an
     * encoded slash or dot an upstream might decode into one.
     */
    public static boolean escapes(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%2e") || uri.indexOf('\\') >= 0) return true;
        int start = uri.indexOf("://");
        String path = start < 0 ? uri : uri.substring(start + 3);
        for (String segment : path.split("[/?#]", -1)) {
            if (segment.equals(".") || segment.equals("..")) return true;
        }
        return false;
    }

    private static Pattern regex(String template) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                out.append(Pattern.quote(template.substring(i)));
                break;
            }
            if (open > i) out.append(Pattern.quote(template.substring(i, open)));
            int close = template.indexOf('}', open);
            String expression = template.substring(open + 1, close);
            char operator = expression.isEmpty() ? ' ' : expression.charAt(0);
            out.append(switch (operator) {
                case '+' -> ".*";
                case '#' -> "(?:#.*)?";
                case '/' -> "(?:/[^/?#]*)*";
                case '.' -> "(?:\\.[^/?#.]*)*";
                case ';' -> "(?:;[^/?#;]*)*";
                case '?', '&' -> "(?:[?&][^#]*)?";
                default -> "[^/?#]+";
            });
            i = close + 1;
        }
        return Pattern.compile(out.toString());
    }
}
