package dev.gatehouse.inspection;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spans reported by detectors during one pass: type and [start, end) in the text. Kept as
 * parallel arrays because the common case is a long text with no or few hits (allocated on the
 * first hit: decoded runs are scanned into a {@code Hits} each, and most find nothing).
 *
 * <p>A span may stand for an encoded run: then it carries the findings of the run's decoded
 * text, which count as findings of the content, and its type is the one its mask shows.
 */
public final class Hits {
    private static final Span[] NONE = new Span[0];
    private static final String[] NO_TYPES = new String[0];
    private static final int[] NO_INTS = new int[0];
    private String[] types = NO_TYPES;
    private int[] starts = NO_INTS;
    private int[] ends = NO_INTS;
    private int[] ranks = NO_INTS;
    private Span[][] inner;
    private int size;
    int currentRank;
    boolean incomplete;

    public void add(String type, int start, int end) {
        add(type, start, end, currentRank, null);
    }

    /**
     * An encoded run at [start, end) whose decoded text holds {@code found}. It ranks as its
     * highest-ranking finding: {@code "password": "<base64 of an AWS key>"} is an AWS key, not a
     * generic secret, just as it would be in plain text.
     */
    void addEncoded(String maskType, int start, int end, Span[] found) {
        int rank = Integer.MIN_VALUE;
        for (Span s : found) rank = Math.max(rank, s.rank);
        add(maskType, start, end, rank, found);
    }

    /** A span found in decoded text, located at [start, end) of this text. */
    void addLocated(Span found, int start, int end) {
        add(found.type, start, end, found.rank, found.inner);
    }

    private void add(String type, int start, int end, int rank, Span[] found) {
        if (end <= start) return;
        if (size == types.length) {
            int n = Math.max(8, size * 2);
            types = Arrays.copyOf(types, n);
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
            ranks = Arrays.copyOf(ranks, n);
            if (inner != null) inner = Arrays.copyOf(inner, n);
        }
        if (found != null && inner == null) inner = new Span[types.length][];
        types[size] = type;
        starts[size] = start;
        ends[size] = end;
        ranks[size] = rank;
        if (inner != null) inner[size] = found;
        size++;
    }

    /**
     * Whether a run lies inside a span of at least {@code rank}. Runs are asked about from left to
     * right (starting over is allowed), so one sorted sweep answers them all.
     */
    EncodedContent.RunFilter inside(int rank) {
        int count = 0;
        for (int i = 0; i < size; i++) if (ranks[i] >= rank) count++;
        if (count == 0) return (start, end) -> false;
        long[] spans = new long[count]; // start in the high half, end in the low half: sorted by start
        for (int i = 0, k = 0; i < size; i++) if (ranks[i] >= rank) spans[k++] = (long) starts[i] << 32 | ends[i];
        Arrays.sort(spans);
        return new EncodedContent.RunFilter() {
            private int next;
            private int furthest = -1; // the furthest end of the spans starting at or before the last run
            private int last = -1;

            @Override
            public boolean skip(int start, int end) {
                if (start < last) {
                    next = 0;
                    furthest = -1;
                }
                last = start;
                while (next < spans.length && (int) (spans[next] >>> 32) <= start) furthest = Math.max(furthest, (int) spans[next++]);
                return furthest >= end;
            }
        };
    }

    /**
     * The text could not be fully inspected (a configured pattern ran out of its step budget):
     * the inspector then reports {@code inspection.incomplete}, classified restricted, rather than
     * vouching for content it did not read.
     */
    public void markIncomplete() { incomplete = true; }

    /**
     * Non-overlapping hits ordered by start. Overlaps are settled greedily: the higher rank first,
     * then the longer span; a span overlapping one already accepted is dropped.
     */
    Span[] resolve(java.util.Set<String> ignored) {
        if (size == 0) return NONE;
        Span[] all = new Span[size];
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (!ignored.contains(types[i])) all[count++] = new Span(types[i], starts[i], ends[i], ranks[i], inner == null ? null : inner[i]);
        }
        all = Arrays.copyOf(all, count);
        if (count <= 1) return all;
        Arrays.sort(all, (a, b) -> a.rank != b.rank ? Integer.compare(b.rank, a.rank)
                : a.end - a.start != b.end - b.start ? Integer.compare(b.end - b.start, a.end - a.start)
                : Integer.compare(a.start, b.start));
        TreeMap<Integer, Span> accepted = new TreeMap<>();
        for (Span s : all) {
            Map.Entry<Integer, Span> before = accepted.floorEntry(s.start);
            if (before != null && before.getValue().end > s.start) continue;
            Map.Entry<Integer, Span> after = accepted.ceilingEntry(s.start);
            if (after != null && after.getKey() < s.end) continue;
            accepted.put(s.start, s);
        }
        return accepted.values().toArray(new Span[0]);
    }

    /** {@code inner}: for an encoded run, the findings of its decoded text (else null). */
    record Span(String type, int start, int end, int rank, Span[] inner) {
        /** Adds the findings this span stands for: itself, or every finding inside the encoded run. */
        void countInto(Map<String, Integer> counts) {
            if (inner == null) {
                counts.merge(type, 1, Integer::sum);
            } else {
                for (Span s : inner) s.countInto(counts);
            }
        }
    }
}
