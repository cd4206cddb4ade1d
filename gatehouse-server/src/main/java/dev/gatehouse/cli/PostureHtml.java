package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The posture report ({@code GET /v1/posture}) as one self-contained HTML page: inline CSS and inline
 * SVG charts drawn here, no script, no fonts or styles fetched from anywhere, so it reads the same
 * in a mail attachment, an archive or a browser without Gatehouse running. Every bar carries its
 * label and value as {@code data-} attributes and a {@code <title>} tooltip.
 */
final class PostureHtml {
    private static final Escaper ESC = HtmlEscapers.htmlEscaper();
    private static final Map<String, String> SEVERITY_COLOURS = Map.of("critical", "#7f1d1d", "high", "#dc2626", "medium", "#f59e0b",
            "low", "#3b82f6", "info", "#9ca3af");
    private static final String[][] AGE_BUCKETS = {{"< 30 d", "0", "30"}, {"30-89 d", "30", "90"}, {"90-179 d", "90", "180"},
            {"180-364 d", "180", "365"}, {"≥ 365 d", "365", "" + Long.MAX_VALUE}};

    private PostureHtml() {}

    static String render(JsonNode report) {
        StringBuilder h = new StringBuilder(64 * 1024);
        JsonNode summary = report.path("summary");
        JsonNode findings = report.path("findings");
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Gatehouse posture report</title><style>").append(CSS).append("</style></head><body>\n");
        h.append("<header><h1>Gatehouse posture report</h1><p>Generated ").append(e(report.path("generatedAt").asText()))
                .append(" &middot; ").append(summary.path("identities").asInt()).append(" workloads and agents &middot; ")
                .append(summary.path("discoveredUnmanaged").asInt()).append(" unmanaged discovered identities &middot; ")
                .append(findings.size()).append(" findings &middot; usage window ").append(summary.path("usageDays").asInt()).append(" days</p></header>\n");

        h.append("<section class=\"charts\">");
        h.append(card("Findings by severity", verticalBars("findings-by-severity", entries(summary.path("bySeverity")), SEVERITY_COLOURS)));
        h.append(card("Findings by owner", horizontalBars("findings-by-owner", entries(summary.path("byOwner")), "#6366f1")));
        h.append(card("Credential age distribution", verticalBars("credential-ages", ageBuckets(summary.path("credentialAges")), Map.of())));
        h.append(card("Granted vs used (last " + summary.path("usageDays").asInt() + " days)", grantedVsUsed(summary.path("usage"))));
        h.append("</section>\n");

        h.append(owaspTable("OWASP Top 10 Non-Human Identities Risks (2025)", "owasp-nhi", report.path("owaspNhi")));
        h.append(owaspTable("OWASP Top 10 for Agentic Applications (2026)", "owasp-agentic", report.path("owaspAgentic")));

        h.append("<section><h2>Findings</h2><table id=\"findings\"><thead><tr><th>Severity</th><th>Type</th><th>Identity</th><th>Owner</th>")
                .append("<th>OWASP</th><th>Detail</th></tr></thead><tbody>");
        for (JsonNode f : findings) {
            String sev = f.path("severity").asText();
            List<String> owasp = new ArrayList<>();
            f.path("owaspNhi").forEach(x -> owasp.add(x.asText()));
            f.path("owaspAgentic").forEach(x -> owasp.add(x.asText()));
            h.append("<tr class=\"sev-").append(e(sev)).append("\"><td><span class=\"pill\" style=\"background:")
                    .append(SEVERITY_COLOURS.getOrDefault(sev, "#9ca3af")).append("\">").append(e(sev)).append("</span></td><td>")
                    .append(e(f.path("type").asText())).append("</td><td>").append(e(f.path("identity").asText())).append("</td><td>")
                    .append(e(f.path("owner").asText("-"))).append("</td><td>").append(e(String.join(" ", owasp))).append("</td><td><code>")
                    .append(e(f.path("detail").toString())).append("</code></td></tr>");
        }
        h.append("</tbody></table></section>\n<footer>Self-contained report: no scripts, no external resources.</footer></body></html>\n");
        return h.toString();
    }

    private static String card(String title, String svg) {
        return "<figure class=\"card\"><figcaption>" + e(title) + "</figcaption>" + svg + "</figure>";
    }

    private static String owaspTable(String title, String id, JsonNode items) {
        StringBuilder h = new StringBuilder("<section><h2>" + e(title) + "</h2><table id=\"" + id + "\"><thead><tr><th>Item</th><th>Status</th>"
                + "<th>Gatehouse controls</th><th>Findings</th></tr></thead><tbody>");
        items.fields().forEachRemaining(entry -> {
            JsonNode item = entry.getValue();
            StringBuilder controls = new StringBuilder("<ul>");
            item.path("controls").forEach(c -> controls.append("<li>").append(e(c.asText())).append("</li>"));
            controls.append("</ul>");
            Map<String, Integer> types = new LinkedHashMap<>();
            item.path("findings").forEach(f -> types.merge(f.path("type").asText(), 1, Integer::sum));
            StringBuilder found = new StringBuilder();
            types.forEach((t, n) -> found.append(e(t)).append(" &times;").append(n).append("<br>"));
            String status = item.path("status").asText();
            h.append("<tr><td><b>").append(e(entry.getKey())).append("</b> ").append(e(item.path("name").asText())).append("</td><td class=\"status-")
                    .append(e(status)).append("\">").append(e(status)).append("</td><td>").append(controls).append("</td><td>")
                    .append(found.length() == 0 ? "none" : found.toString()).append("</td></tr>");
        });
        return h.append("</tbody></table></section>\n").toString();
    }

    // --- charts (inline SVG)

    private static String verticalBars(String id, List<Map.Entry<String, Integer>> data, Map<String, String> colours) {
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

    private static String horizontalBars(String id, List<Map.Entry<String, Integer>> data, String colour) {
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

    private static String grantedVsUsed(JsonNode usage) {
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

    private static List<Map.Entry<String, Integer>> entries(JsonNode counts) {
        List<Map.Entry<String, Integer>> out = new ArrayList<>();
        counts.fields().forEachRemaining(f -> out.add(Map.entry(f.getKey(), f.getValue().asInt())));
        return out;
    }

    private static List<Map.Entry<String, Integer>> ageBuckets(JsonNode ages) {
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

    private static final String CSS = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#111827;background:#f9fafb}"
            + "header,section,footer{max-width:1200px;margin:0 auto;padding:12px 24px}header h1{margin:8px 0 0}"
            + ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:16px}"
            + ".card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;margin:0;padding:12px}figcaption{font-weight:600;margin-bottom:6px}"
            + "svg text{font-size:11px;fill:#374151}table{border-collapse:collapse;width:100%;background:#fff}"
            + "th,td{border:1px solid #e5e7eb;padding:6px 8px;text-align:left;vertical-align:top}th{background:#f3f4f6}"
            + "td code{font-size:11px;white-space:pre-wrap;word-break:break-all}ul{margin:0;padding-left:18px}"
            + ".pill{color:#fff;border-radius:10px;padding:1px 8px;font-size:12px}.status-fail{color:#b91c1c;font-weight:600}"
            + ".status-warn{color:#b45309;font-weight:600}.status-pass{color:#15803d;font-weight:600}footer{color:#6b7280;font-size:12px}";
}
