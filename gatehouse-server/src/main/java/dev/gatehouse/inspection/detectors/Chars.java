package dev.gatehouse.inspection.detectors;

/** ASCII character classes and boundary checks shared by the detectors (no regex, no allocation). */
final class Chars {
    private Chars() {}

    static boolean digit(char c) { return c >= '0' && c <= '9'; }

    static boolean upper(char c) { return c >= 'A' && c <= 'Z'; }

    static boolean lower(char c) { return c >= 'a' && c <= 'z'; }

    static boolean alnum(char c) { return digit(c) || upper(c) || lower(c); }

    /** base64url alphabet (JWT segments, many token formats). */
    static boolean base64url(char c) { return alnum(c) || c == '-' || c == '_'; }

    static boolean base64(char c) { return alnum(c) || c == '+' || c == '/' || c == '='; }

    /** No ASCII letter or digit right before {@code i} (the letter of an escape such as {@code \n} does not count). */
    static boolean startBoundary(String s, int i) { return i == 0 || !alnum(s.charAt(i - 1)) || escapeLetter(s, i - 1); }

    /** No ASCII letter or digit at {@code end}. */
    static boolean endBoundary(String s, int end) { return end >= s.length() || !alnum(s.charAt(end)); }

    /**
     * Is s[i] the letter of an escape ({@code \n}, {@code \r}, {@code \t}, {@code \b}, {@code \f})?
     * Tool results are JSON inside JSON: "line\n4111…" must start a number at the 4, not continue
     * "n4111…". Any number of backslashes counts: JSON encoded twice writes a newline as {@code \\n}.
     */
    static boolean escapeLetter(String s, int i) {
        char c = s.charAt(i);
        return (c == 'n' || c == 'r' || c == 't' || c == 'b' || c == 'f') && i > 0 && s.charAt(i - 1) == '\\';
    }

    /**
     * {@code i} starts a number that is not the tail of a larger one: "0.4111…", "2024-415-…" and
     * "10.0.0.1" continue a number, and a card or phone read from their middle would be wrong.
     */
    static boolean numberStart(String s, int i) {
        if (i == 0) return true;
        char p = s.charAt(i - 1);
        if (alnum(p)) return escapeLetter(s, i - 1);
        if ((p == '.' || p == '-' || p == ',' || p == '/' || p == ':') && i >= 2 && digit(s.charAt(i - 2))) return false;
        return true;
    }

    /** Nothing after {@code end} continues the number (a digit, a letter, or "-7"/".5"). */
    static boolean numberEnd(String s, int end) {
        if (end >= s.length()) return true;
        char c = s.charAt(end);
        if (alnum(c)) return false;
        if ((c == '.' || c == '-' || c == ',' || c == '/') && end + 1 < s.length() && digit(s.charAt(end + 1))) return false;
        return true;
    }

    /** End of the run of characters from {@code from} accepted by {@code cls} (stops at {@code limit}). */
    static int run(String s, int from, int limit, CharClass cls) {
        int end = Math.min(limit, s.length());
        int i = from;
        while (i < end && cls.test(s.charAt(i))) i++;
        return i;
    }

    interface CharClass { boolean test(char c); }

    /** Case-insensitive: does {@code s} at {@code i} start with the lower-case ASCII {@code word}? */
    static boolean startsWithIgnoreCase(String s, int i, String word) {
        return s.regionMatches(true, i, word, 0, word.length());
    }

    /** Shannon entropy in bits per character of s[from, to). */
    static double entropy(String s, int from, int to) {
        int[] counts = new int[128];
        int other = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 128) counts[c]++; else other++;
        }
        double n = to - from;
        double h = 0;
        for (int c : counts) {
            if (c > 0) { double p = c / n; h -= p * Math.log(p); }
        }
        if (other > 0) { double p = other / n; h -= p * Math.log(p); }
        return h / Math.log(2);
    }
}
