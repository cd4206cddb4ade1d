package dev.gatehouse.cedar.ast;

import java.util.List;

/**
 * The right-hand side of {@code like}: literal text with {@code *} wildcards, each matching any
 * sequence of characters (including none). Kept as the literal segments between wildcards;
 * consecutive wildcards are one wildcard. A pattern without wildcard has exactly one segment.
 */
public record Pattern(List<String> segments) {
    public Pattern {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a pattern has at least one segment");
        }
    }

    /** Whether {@code text} matches the whole pattern. */
    public boolean matches(String text) {
        int n = segments.size();
        String first = segments.get(0);
        if (n == 1) {
            return text.equals(first);
        }
        String last = segments.get(n - 1);
        if (text.length() < first.length() + last.length() || !text.startsWith(first) || !text.endsWith(last)) {
            return false;
        }
        int from = first.length();
        int end = text.length() - last.length();
        // Leftmost placement of each middle segment leaves the most room for the rest, so it never misses a match.
        for (int i = 1; i < n - 1; i++) {
            String seg = segments.get(i);
            int at = text.indexOf(seg, from);
            if (at < 0 || at + seg.length() > end) {
                return false;
            }
            from = at + seg.length();
        }
        return true;
    }

    /** As written in Cedar, with literal {@code *} escaped: {@code "a\*b*"}. */
    public String toCedar() {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < segments.size(); i++) {
            if (i > 0) {
                b.append('*');
            }
            String q = dev.gatehouse.cedar.value.StringValue.quote(segments.get(i));
            b.append(q.substring(1, q.length() - 1).replace("*", "\\*"));
        }
        return b.append('"').toString();
    }
}
