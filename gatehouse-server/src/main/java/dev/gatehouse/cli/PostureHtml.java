package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.escape.Escaper;
import com.google.common.html.HtmlEscapers;
import dev.gatehouse.posture.PostureCharts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The posture report ({@code GET /v1/posture}) as one self-contained HTML page: inline CSS and inline
 * SVG charts drawn here, no script, no fonts or styles fetched from anywhere, so it reads the same
 * in a mail attachment, an archive or a browser without Gatehouse running. The charts are
 * {@link PostureCharts}, shared with the console.
 */
final class PostureHtml {
    private static final Escaper ESC = HtmlEscapers.htmlEscaper();
    private static final Map<String, String> SEVERITY_COLOURS = PostureCharts.SEVERITY_COLOURS;

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
        List<String> charts = PostureCharts.all(report);
        h.append(card("Findings by severity", charts.get(0)));
        h.append(card("Findings by owner", charts.get(1)));
        h.append(card("Credential age distribution", charts.get(2)));
        h.append(card("Granted vs used (last " + summary.path("usageDays").asInt() + " days)", charts.get(3)));
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
        items.properties().forEach(entry -> {
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
