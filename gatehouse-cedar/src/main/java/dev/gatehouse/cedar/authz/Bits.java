package dev.gatehouse.cedar.authz;

import java.util.Arrays;

/** An immutable set of member positions within a policy group, as a bitmap. */
final class Bits {
    private final long[] words;
    private final boolean empty;

    private Bits(long[] words) {
        this.words = words;
        boolean e = true;
        for (long w : words) {
            if (w != 0) {
                e = false;
                break;
            }
        }
        this.empty = e;
    }

    static Bits none(int size) {
        return new Bits(new long[(size + 63) >>> 6]);
    }

    static Bits all(int size) {
        long[] w = new long[(size + 63) >>> 6];
        Arrays.fill(w, -1L);
        if ((size & 63) != 0) {
            w[w.length - 1] = (1L << size) - 1;
        }
        return new Bits(w);
    }

    /** The positions listed, within a group of {@code size} members. */
    static Bits of(int size, int[] positions, int from, int to) {
        long[] w = new long[(size + 63) >>> 6];
        for (int i = from; i < to; i++) {
            w[positions[i] >>> 6] |= 1L << positions[i];
        }
        return new Bits(w);
    }

    /** Takes ownership of {@code words}, which must have the group's length. */
    static Bits wrap(long[] words) {
        return new Bits(words);
    }

    /** The number of positions in the set. */
    int count() {
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    boolean isEmpty() {
        return empty;
    }

    Bits and(Bits o) {
        if (empty || o == this) {
            return this;
        }
        if (o.empty) {
            return o;
        }
        long[] w = new long[words.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = words[i] & o.words[i];
        }
        return new Bits(w);
    }

    Bits or(Bits o) {
        if (o.empty || o == this) {
            return this;
        }
        if (empty) {
            return o;
        }
        long[] w = new long[words.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = words[i] | o.words[i];
        }
        return new Bits(w);
    }

    Bits andNot(Bits o) {
        if (empty || o.empty) {
            return this;
        }
        long[] w = new long[words.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = words[i] & ~o.words[i];
        }
        return new Bits(w);
    }

    /** The first position at or after {@code from}, or -1. */
    int next(int from) {
        int wi = from >>> 6;
        if (wi >= words.length) {
            return -1;
        }
        long w = words[wi] & (-1L << from);
        while (true) {
            if (w != 0) {
                return (wi << 6) + Long.numberOfTrailingZeros(w);
            }
            if (++wi == words.length) {
                return -1;
            }
            w = words[wi];
        }
    }
}
