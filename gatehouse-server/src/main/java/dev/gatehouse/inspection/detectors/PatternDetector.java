package dev.gatehouse.inspection.detectors;

import dev.gatehouse.inspection.Detector;
import dev.gatehouse.inspection.Hits;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configured regular expression with its own finding type (employee ids, internal ticket
 * references, …). It scans the whole text on its own. Java regexes backtrack, so a pattern
 * written carelessly could take exponential time on hostile content: the matcher reads the text
 * through a step budget (64 reads per character plus a constant), and when the budget runs out
 * the inspection is marked incomplete, which classifies the content restricted instead of
 * letting it through unread.
 */
public final class PatternDetector implements Detector {
    private final String type;
    private final Pattern pattern;
    /** A literal every match starts with, or null: then only its occurrences (String.indexOf) are tried. */
    private final String literal;

    public PatternDetector(String type, Pattern pattern) {
        this.type = type;
        this.pattern = pattern;
        this.literal = requiredPrefix(pattern);
    }

    /**
     * The literal that begins every match, read conservatively from the pattern text: an optional
     * leading {@code \b}, then letters, digits, {@code -} and {@code _} up to the first other
     * character (one followed by a quantifier excluded). No flags, no alternation anywhere.
     * Regex engines try a pattern at every position; this turns a pass into an indexOf scan.
     */
    static String requiredPrefix(Pattern pattern) {
        String p = pattern.pattern();
        if (pattern.flags() != 0 || p.contains("|") || p.startsWith("(?")) return null;
        int i = p.startsWith("\\b") ? 2 : 0;
        int start = i;
        while (i < p.length() && (Chars.alnum(p.charAt(i)) || p.charAt(i) == '-' || p.charAt(i) == '_')) i++;
        int end = i;
        if (i < p.length() && "?*{+".indexOf(p.charAt(i)) >= 0) end--;
        return end - start >= 2 ? p.substring(start, end) : null;
    }

    @Override public Set<String> types() { return Set.of(type); }

    @Override public Trigger trigger() { return Trigger.WHOLE_TEXT; }

    @Override public int rank() { return 5; }

    @Override
    public void detect(String s, int at, Hits hits) {
        Budgeted text = new Budgeted(s, 64L * s.length() + 100_000);
        try {
            Matcher m = pattern.matcher(text);
            if (literal == null) {
                while (m.find()) {
                    if (m.end() > m.start()) hits.add(type, m.start(), m.end());
                }
            } else {
                m.useTransparentBounds(true).useAnchoringBounds(false); // \b at the region start still sees the character before
                int from = 0;
                int i;
                while ((i = s.indexOf(literal, from)) >= 0) {
                    m.region(i, s.length());
                    if (m.lookingAt() && m.end() > i) {
                        hits.add(type, i, m.end());
                        from = m.end();
                    } else {
                        from = i + 1;
                    }
                }
            }
        } catch (BudgetExceeded e) {
            hits.markIncomplete();
        } catch (StackOverflowError e) {
            // deeply nested alternations recurse in java.util.regex; same answer as an exhausted budget
            hits.markIncomplete();
        }
    }

    private static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded() { super(null, null, false, false); }
    }

    /** The text, counting reads; throws once the budget is spent. */
    private static final class Budgeted implements CharSequence {
        private final String s;
        private long left;

        Budgeted(String s, long budget) {
            this.s = s;
            this.left = budget;
        }

        @Override public int length() { return s.length(); }

        @Override
        public char charAt(int index) {
            if (--left < 0) throw new BudgetExceeded();
            return s.charAt(index);
        }

        @Override public CharSequence subSequence(int start, int end) { return s.subSequence(start, end); }

        @Override public String toString() { return s; }
    }
}
