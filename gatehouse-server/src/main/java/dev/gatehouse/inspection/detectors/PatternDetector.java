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

    public PatternDetector(String type, Pattern pattern) {
        this.type = type;
        this.pattern = pattern;
    }

    @Override public Set<String> types() { return Set.of(type); }

    @Override public Trigger trigger() { return Trigger.WHOLE_TEXT; }

    @Override public int rank() { return 5; }

    @Override
    public void detect(String s, int at, Hits hits) {
        Budgeted text = new Budgeted(s, 64L * s.length() + 100_000);
        try {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                if (m.end() > m.start()) hits.add(type, m.start(), m.end());
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
