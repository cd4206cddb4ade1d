package dev.gatehouse.cedar.parser;

import dev.gatehouse.cedar.ast.Location;
import dev.gatehouse.cedar.ast.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * Cedar string escapes, which are Rust's: {@code \n \r \t \\ \0 \' \"}, {@code \xHH} up to
 * {@code \x7F}, and <code>&#92;u{H…}</code> with one to six hex digits naming a Unicode scalar value
 * (underscores allowed after the first digit). A raw carriage return inside a literal is an error.
 * In a {@code like} pattern {@code \*} is a literal star and a bare {@code *} is the wildcard.
 */
public final class Unescape {
    private Unescape() {
    }

    /**
     * The value of a string literal's contents (the text between the quotes).
     *
     * @param at where the literal's opening quote is, for error positions
     */
    public static String string(String raw, Location at) {
        StringBuilder out = new StringBuilder(raw.length());
        run(raw, at, out, null);
        return out.toString();
    }

    /** The pattern of a {@code like} right-hand side (the text between the quotes). */
    public static Pattern pattern(String raw, Location at) {
        StringBuilder current = new StringBuilder();
        List<String> segments = new ArrayList<>();
        run(raw, at, current, segments);
        segments.add(current.toString());
        return new Pattern(segments);
    }

    private static void run(String raw, Location at, StringBuilder out, List<String> segments) {
        boolean pattern = segments != null;
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '\r') {
                throw error(raw, at, i, "a bare carriage return is not allowed in a string literal; write \\r");
            }
            if (c != '\\') {
                if (pattern && c == '*') {
                    wildcard(out, segments);
                } else {
                    out.append(c);
                }
                i++;
                continue;
            }
            int start = i;
            if (i + 1 >= raw.length()) {
                throw error(raw, at, start, "a string literal cannot end with a lone backslash");
            }
            char e = raw.charAt(i + 1);
            i += 2;
            int before = out.length();
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case '\\' -> out.append('\\');
                case '0' -> out.append('\0');
                case '\'' -> out.append('\'');
                case '"' -> out.append('"');
                case 'x' -> {
                    int hi = i < raw.length() ? Character.digit(raw.charAt(i), 16) : -1;
                    int lo = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                    if (hi < 0 || lo < 0 || raw.charAt(i) > 'f' || raw.charAt(i + 1) > 'f') {
                        throw error(raw, at, start, "`\\x` must be followed by two hex digits");
                    }
                    int v = hi * 16 + lo;
                    if (v > 0x7f) {
                        throw error(raw, at, start, "`\\x" + raw.substring(i, i + 2) + "` is out of range: \\x escapes go up to \\x7F; use \\u{…} for other characters");
                    }
                    out.append((char) v);
                    i += 2;
                }
                case 'u' -> i = unicode(raw, at, start, i, out);
                case '*' -> {
                    if (!pattern) {
                        throw error(raw, at, start, "`\\*` is only an escape in a `like` pattern");
                    }
                    // \* is the one way to write a literal star in a pattern
                    out.append('*');
                    continue;
                }
                default -> throw error(raw, at, start, "`\\" + e + "` is not a valid escape");
            }
            // As in Cedar, a `*` produced by the escapes x2a or u{2a} is a wildcard, not a literal star.
            if (pattern && out.length() == before + 1 && out.charAt(before) == '*') {
                out.setLength(before);
                wildcard(out, segments);
            }
        }
    }

    /** Ends the current segment; a wildcard right after another adds nothing (they match the same). */
    private static void wildcard(StringBuilder out, List<String> segments) {
        if (out.length() == 0 && !segments.isEmpty()) {
            return;
        }
        segments.add(out.toString());
        out.setLength(0);
    }

    private static int unicode(String raw, Location at, int start, int i, StringBuilder out) {
        if (i >= raw.length() || raw.charAt(i) != '{') {
            throw error(raw, at, start, "`\\u` must be followed by `{`, hex digits and `}`, e.g. \\u{1F600}");
        }
        i++;
        if (i < raw.length() && raw.charAt(i) == '_') {
            throw error(raw, at, start, "a \\u{…} escape cannot start with `_`");
        }
        int digits = 0;
        int value = 0;
        while (true) {
            if (i >= raw.length()) {
                throw error(raw, at, start, "unclosed \\u{…} escape");
            }
            char c = raw.charAt(i++);
            if (c == '}') {
                break;
            }
            if (c == '_') {
                continue;
            }
            int d = c <= 'f' ? Character.digit(c, 16) : -1;
            if (d < 0) {
                throw error(raw, at, start, "`" + c + "` is not a hex digit in a \\u{…} escape");
            }
            if (++digits > 6) {
                throw error(raw, at, start, "a \\u{…} escape has at most six hex digits");
            }
            value = value * 16 + d;
        }
        if (digits == 0) {
            throw error(raw, at, start, "empty \\u{} escape");
        }
        if (value >= 0xD800 && value <= 0xDFFF) {
            throw error(raw, at, start, "\\u{" + Integer.toHexString(value) + "} is a surrogate, not a character");
        }
        if (value > 0x10FFFF) {
            throw error(raw, at, start, "\\u{" + Integer.toHexString(value) + "} is beyond the last Unicode character (10FFFF)");
        }
        out.appendCodePoint(value);
        return i;
    }

    private static ParseException error(String raw, Location at, int index, String reason) {
        // +1 for the opening quote; columns stay on the literal's line unless the literal spans lines.
        int line = at.line();
        int column = at.column() + 1;
        for (int k = 0; k < index; k++) {
            if (raw.charAt(k) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new ParseException(new Location(at.offset() + 1 + index, line, column), reason);
    }
}
