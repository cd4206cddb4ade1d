package dev.gatehouse.inspection;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spans reported by detectors during one pass: type and [start, end) in the text. Kept as
 * parallel arrays because the common case is a long text with no or few hits.
 */
public final class Hits {
    private String[] types = new String[8];
    private int[] starts = new int[8];
    private int[] ends = new int[8];
    private int[] ranks = new int[8];
    private int size;
    int currentRank;
    boolean incomplete;

    public void add(String type, int start, int end) {
        if (end <= start) return;
        if (size == types.length) {
            int n = size * 2;
            types = Arrays.copyOf(types, n);
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
            ranks = Arrays.copyOf(ranks, n);
        }
        types[size] = type;
        starts[size] = start;
        ends[size] = end;
        ranks[size] = currentRank;
        size++;
    }

    /**
     * The text could not be fully inspected (a configured pattern ran out of its step budget):
     * the inspector then reports {@code inspection.incomplete}, classified restricted, rather than
     * vouching for content it did not read.
     */
    public void markIncomplete() { incomplete = true; }

    int size() { return size; }

    /**
     * Non-overlapping hits ordered by start. Overlaps are settled greedily: the higher rank first,
     * then the longer span; a span overlapping one already accepted is dropped.
     */
    Span[] resolve(java.util.Set<String> ignored) {
        Span[] all = new Span[size];
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (!ignored.contains(types[i])) all[count++] = new Span(types[i], starts[i], ends[i], ranks[i]);
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

    record Span(String type, int start, int end, int rank) {}
}
