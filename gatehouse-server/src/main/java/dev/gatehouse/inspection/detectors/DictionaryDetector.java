package dev.gatehouse.inspection.detectors;

import dev.gatehouse.inspection.Detector;
import dev.gatehouse.inspection.Hits;
import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;

/**
 * Configured words and phrases (project code names, customer names, internal host names), each
 * with its own finding type, matched as whole words, case-insensitively unless configured
 * otherwise. Called at the start of every token: the token is hashed while it is read and only a
 * hash hit is compared, so a dictionary of thousands of words costs one table probe per word of
 * text.
 */
public final class DictionaryDetector implements Detector {
    /** One configured word or phrase; must begin and end with an ASCII letter or digit. */
    public record Term(String type, String text, boolean caseSensitive) {
        public Term {
            if (text.isEmpty() || !Chars.alnum(text.charAt(0)) || !Chars.alnum(text.charAt(text.length() - 1))) {
                throw new IllegalArgumentException("dictionary word '" + text + "' must begin and end with an ASCII letter or digit");
            }
        }
    }

    private static final String ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private final Set<String> types = new TreeSet<>();
    private final long[] hashes;
    private final Term[][] terms;
    private final int mask;
    /** Cheap rejections before hashing: case-folded first characters and first-token lengths (bit n: length n, 63 and up share bit 63). */
    private final boolean[] firstChars = new boolean[128];
    private long lengths;

    public DictionaryDetector(List<Term> words) {
        int size = Integer.highestOneBit(Math.max(16, words.size() * 4) - 1) << 1;
        this.mask = size - 1;
        this.hashes = new long[size];
        this.terms = new Term[size][];
        List<Term> longestFirst = new ArrayList<>(words);
        longestFirst.sort(Comparator.comparingInt((Term t) -> t.text().length()).reversed()); // "Project X Phase 2" before "Project X"
        for (Term t : longestFirst) {
            types.add(t.type());
            int tokenLength = firstTokenEnd(t.text(), 0);
            lengths |= 1L << Math.min(63, tokenLength);
            char c0 = t.text().charAt(0);
            firstChars[c0] = true;
            firstChars[Character.toUpperCase(c0)] = true;
            firstChars[Character.toLowerCase(c0)] = true;
            long h = hash(t.text(), 0, tokenLength);
            int slot = slot(h);
            while (terms[slot] != null && hashes[slot] != h) slot = (slot + 1) & mask;
            hashes[slot] = h;
            List<Term> list = terms[slot] == null ? new ArrayList<>() : new ArrayList<>(List.of(terms[slot]));
            list.add(t);
            terms[slot] = list.toArray(new Term[0]);
        }
    }

    @Override public Set<String> types() { return Set.copyOf(types); }

    @Override public Trigger trigger() { return new Trigger(ALNUM, true); }

    @Override public int rank() { return 5; }

    @Override
    public void detect(String s, int at, Hits hits) {
        if (!firstChars[s.charAt(at)]) return;
        int end = firstTokenEnd(s, at);
        if ((lengths & (1L << Math.min(63, end - at))) == 0) return;
        long h = hash(s, at, end);
        int slot = slot(h);
        while (terms[slot] != null) {
            if (hashes[slot] == h) {
                for (Term t : terms[slot]) {
                    int len = t.text().length();
                    if (s.regionMatches(!t.caseSensitive(), at, t.text(), 0, len) && Chars.endBoundary(s, at + len)) {
                        hits.add(t.type(), at, at + len);
                        return;
                    }
                }
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    private int slot(long h) { return (int) (h ^ (h >>> 29)) & mask; }

    private static int firstTokenEnd(String s, int from) {
        int i = from;
        while (i < s.length() && Chars.alnum(s.charAt(i))) i++;
        return i;
    }

    /** FNV-1a over the lower-cased token. */
    private static long hash(String s, int from, int to) {
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') c += 32;
            h = (h ^ c) * 0x100000001b3L;
        }
        return h;
    }
}
