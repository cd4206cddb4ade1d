package dev.gatehouse.posture;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The posture report's charts as inline SVG, drawn from the report's JSON ({@code GET /v1/posture}): the
 * self-contained HTML report ({@code gatehouse posture report --format html}) and the console's posture page
 * show the same four. Every bar carries its label and value as {@code data-} attributes and a
 * {@code <title>} tooltip; labels are HTML-escaped here, so the SVG can be embedded as it is. Colours are
 * presentation attributes, not inline styles, so a strict Content Security Policy lets them through.
 */
public final class PostureCharts {
    private static final Escaper ESC = HtmlEscapers.htmlEscaper();
    public static final Map<String, String> SEVERITY_COLOURS = Map.of("critical", "#7f1d1d", "high", "#dc2626", "medium", "#f59e0b",
            "low", "#3b82f6", "info", "#9ca3af");
    private static final String[][] AGE_BUCKETS = {{"< 30 d", "0", "30"}, {"30-89 d", "30", "90"}, {"90-179 d", "90", "180"},
            {"180-364 d", "180", "365"}, {"≥ 365 d", "365", "" + Long.MAX_VALUE}};

    private PostureCharts() {}

    /** The four charts of a report, in order: findings by severity, by owner, credential ages, granted vs used. */
    public static List<String> all(JsonNode report) {
        JsonNode summary = report.path("summary");
        return List.of(verticalBars("findings-by-severity", entries(summary.path("bySeverity")), SEVERITY_COLOURS),
                horizontalBars("findings-by-owner", entries(summary.path("byOwner")), "#6366f1"),
                verticalBars("credential-ages", ageBuckets(summary.path("credentialAges")), Map.of()),
                grantedVsUsed(summary.path("usage")));
    }


    public static String verticalBars(String id, List<Map.Entry<String, Integer>> data, Map<String, String> colours) {
        int width = 420;
        int height = 220;
        int top = 20;
        int bottom = 40;
        int max = Math.max(1, data.stream().mapToInt(Map.Entry::getValue).max().orElse(1));
        int slot = data.isEmpty() ? width : (width - 20) / data.size();
        StringBuilder s = svgOpen(id, width, height);
        s.append("<line x1=\"10\" y1=\"").append(height - bottom).append("\" x2=\"").append(width - 10).append("\" y2=\"").append(height - bottom)
                .append("\" stroke=\"#9ca3af\"/>");
        for (int i = 0; i < data.size(); i++) {
            Map.Entry<String, Integer> d = data.get(i);
            int barHeight = (int) Math.round((height - top - bottom) * (d.getValue() / (double) max));
            int x = 10 + i * slot + slot / 6;
            int w = slot * 2 / 3;
            int y = height - bottom - barHeight;
            s.append(bar(x, y, w, barHeight, colours.getOrDefault(d.getKey().toLowerCase(Locale.ROOT), "#0d9488"), d.getKey(), d.getValue()));
            s.append(text(x + w / 2, y - 4, "middle", String.valueOf(d.getValue())));
            s.append(text(x + w / 2, height - bottom + 16, "middle", d.getKey()));
        }
        return s.append("</svg>").toString();
    }

    public static String horizontalBars(String id, List<Map.Entry<String, Integer>> data, String colour) {
        int row = 24;
        int width = 420;
        int label = 130;
        int height = Math.max(60, 20 + row * data.size());
        int max = Math.max(1, data.stream().mapToInt(Map.Entry::getValue).max().orElse(1));
        StringBuilder s = svgOpen(id, width, height);
        for (int i = 0; i < data.size(); i++) {
            Map.Entry<String, Integer> d = data.get(i);
            int y = 10 + i * row;
            int w = (int) Math.round((width - label - 40) * (d.getValue() / (double) max));
            s.append(text(label - 6, y + 15, "end", clip(d.getKey(), 20)));
            s.append(bar(label, y + 3, Math.max(w, 1), row - 8, colour, d.getKey(), d.getValue()));
            s.append(text(label + w + 4, y + 15, "start", String.valueOf(d.getValue())));
        }
        if (data.isEmpty()) s.append(text(width / 2, 35, "middle", "no findings"));
        return s.append("</svg>").toString();
    }

    public static String grantedVsUsed(JsonNode usage) {
        int row = 34;
        int width = 420;
        int label = 130;
        int height = Math.max(60, 30 + row * usage.size());
        int max = 1;
        for (JsonNode u : usage) max = Math.max(max, Math.max(u.path("granted").asInt(), u.path("used").asInt()));
        StringBuilder s = svgOpen("granted-vs-used", width, height);
        s.append("<rect x=\"").append(label).append("\" y=\"2\" width=\"10\" height=\"10\" fill=\"#94a3b8\"/>")
                .append(text(label + 14, 11, "start", "granted patterns"))
                .append("<rect x=\"").append(label + 130).append("\" y=\"2\" width=\"10\" height=\"10\" fill=\"#16a34a\"/>")
                .append(text(label + 144, 11, "start", "objects used"));
        int i = 0;
        for (JsonNode u : usage) {
            int y = 20 + i * row;
            int scale = width - label - 40;
            int g = u.path("granted").asInt();
            int used = u.path("used").asInt();
            String name = u.path("identity").asText();
            s.append(text(label - 6, y + 17, "end", clip(name, 20)));
            s.append(bar(label, y + 2, Math.max(1, scale * g / max), 12, "#94a3b8", name + " granted", g));
            s.append(text(label + scale * g / max + 4, y + 12, "start", String.valueOf(g)));
            s.append(bar(label, y + 15, Math.max(1, scale * used / max), 12, "#16a34a", name + " used", used));
            s.append(text(label + scale * used / max + 4, y + 25, "start", String.valueOf(used)));
            i++;
        }
        if (usage.isEmpty()) s.append(text(width / 2, 40, "middle", "no workloads or agents"));
        return s.append("</svg>").toString();
    }

    private static StringBuilder svgOpen(String id, int width, int height) {
        return new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"" + id + "\" data-chart=\"" + id
                + "\" role=\"img\" viewBox=\"0 0 " + width + " " + height + "\" width=\"" + width + "\" height=\"" + height + "\">");
    }

    private static String bar(int x, int y, int w, int h, String fill, String label, int value) {
        return "<rect class=\"bar\" x=\"" + x + "\" y=\"" + y + "\" width=\"" + w + "\" height=\"" + h + "\" fill=\"" + fill + "\" data-label=\""
                + e(label) + "\" data-value=\"" + value + "\"><title>" + e(label) + ": " + value + "</title></rect>";
    }

    private static String text(int x, int y, String anchor, String value) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" text-anchor=\"" + anchor + "\">" + e(value) + "</text>";
    }

    public static List<Map.Entry<String, Integer>> entries(JsonNode counts) {
        List<Map.Entry<String, Integer>> out = new ArrayList<>();
        counts.properties().forEach(f -> out.add(Map.entry(f.getKey(), f.getValue().asInt())));
        return out;
    }

    public static List<Map.Entry<String, Integer>> ageBuckets(JsonNode ages) {
        List<Map.Entry<String, Integer>> out = new ArrayList<>();
        for (String[] b : AGE_BUCKETS) {
            long from = Long.parseLong(b[1]);
            long to = Long.parseLong(b[2]);
            int n = 0;
            for (JsonNode a : ages) {
                long d = a.path("ageDays").asLong();
                if (d >= from && d < to) n++;
            }
            out.add(Map.entry(b[0], n));
        }
        return out;
    }

    private static String clip(String s, int max) { return s.length() <= max ? s : s.substring(0, max - 1) + "…"; }

    private static String e(String s) { return s == null ? "" : ESC.escape(s); }
}
