package dev.gatehouse.cli;

import dev.gatehouse.core.ControlCharacters;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Human-readable, column-aligned tables for the CLI's default output. */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) { this.headers = List.of(headers); }

    public Table row(Object... cells) {
        List<String> r = new ArrayList<>();
        // Cells are one line each, and never drive the terminal: every control character is shown escaped.
        for (Object c : cells) r.add(c == null ? "-" : ControlCharacters.escape(c.toString(), false));
        rows.add(r);
        return this;
    }

    public void print(PrintWriter out) {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) width[i] = headers.get(i).length();
        for (List<String> r : rows) {
            for (int i = 0; i < width.length && i < r.size(); i++) width[i] = Math.max(width[i], r.get(i).length());
        }
        line(out, headers, width);
        for (List<String> r : rows) line(out, r, width);
        out.flush();
    }

    private static void line(PrintWriter out, List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            String cell = i < cells.size() ? cells.get(i) : "";
            sb.append(cell);
            if (i < width.length - 1) sb.append(" ".repeat(width[i] - cell.length() + 2));
        }
        out.println(sb.toString().stripTrailing());
    }
}
