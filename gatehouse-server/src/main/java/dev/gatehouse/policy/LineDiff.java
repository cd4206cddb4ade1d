package dev.gatehouse.policy;

import java.util.List;

/** A plain longest-common-subsequence line diff; policy files are small enough for O(n·m). */
final class LineDiff {
    private static final int MAX_CELLS = 4_000_000;

    private LineDiff() {}

    static void append(StringBuilder out, List<String> a, List<String> b) {
        if ((long) a.size() * b.size() > MAX_CELLS) {
            a.forEach(l -> out.append('-').append(l).append('\n'));
            b.forEach(l -> out.append('+').append(l).append('\n'));
            return;
        }
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                out.append(' ').append(a.get(i)).append('\n');
                i++;
                j++;
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.append('+').append(b.get(j)).append('\n');
                j++;
            } else {
                out.append('-').append(a.get(i)).append('\n');
                i++;
            }
        }
    }
}
