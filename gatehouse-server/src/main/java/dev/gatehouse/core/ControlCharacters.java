package dev.gatehouse.core;

/**
 * Characters that make a terminal or log viewer do something other than show text: C0 controls (ESC starts
 * the sequences that recolour, move the cursor or retitle a window), DEL, C1 controls (U+009B is a one-byte
 * CSI), and the Unicode bidirectional overrides that reorder what a reader sees ("Trojan Source").
 * Input refuses them in names and free text (tab, line feed and carriage return are allowed in free text);
 * the CLI escapes any that reach it from elsewhere (an upstream's tool descriptions, older rows).
 */
public final class ControlCharacters {
    private ControlCharacters() {}

    /** True for a character no name or free text may contain; tab, LF and CR are not counted here. */
    public static boolean isForbidden(int cp) {
        return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
                || (cp >= 0x7f && cp <= 0x9f)
                || (cp >= 0x202a && cp <= 0x202e)
                || (cp >= 0x2066 && cp <= 0x2069);
    }

    /** The first forbidden character of {@code text}, or -1. */
    public static int firstForbidden(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (isForbidden(cp)) return cp;
            i += Character.charCount(cp);
        }
        return -1;
    }

    /** {@code U+001B}: how a refused character is named in an error message. */
    public static String name(int cp) {
        return String.format("U+%04X", cp);
    }

    /**
     * {@code text} safe to print: forbidden characters (and, unless {@code keepLineBreaks}, tab, LF and CR)
     * become visible escapes such as {@code \u001b}, so stored data cannot drive the terminal.
     */
    public static String escape(String text, boolean keepLineBreaks) {
        if (text == null) return null;
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            boolean escape = isForbidden(cp) || (!keepLineBreaks && (cp == '\t' || cp == '\n' || cp == '\r'));
            if (escape && out == null) out = new StringBuilder(text.substring(0, i));
            if (out != null) {
                if (escape) out.append(String.format("\\u%04x", cp));
                else out.appendCodePoint(cp);
            }
            i += width;
        }
        return out == null ? text : out.toString();
    }
}
