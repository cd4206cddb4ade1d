package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.GatehouseClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse posture …}: the posture report, least privilege from usage, anomaly alerts. */
@Command(name = "posture", mixinStandardHelpOptions = true, description = "Posture: findings by OWASP NHI and Agentic Top 10, usage, alerts.",
        subcommands = {PostureCommand.Report.class, PostureCommand.Usage.class, PostureCommand.Alerts.class})
final class PostureCommand {

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "The posture report: a table of findings, the JSON (--format json) or a self-contained HTML page with charts (--format html).")
    static final class Report implements java.util.concurrent.Callable<Integer> {
        // Not the shared client options: here -o names the output file (posture report --format html -o report.html).
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
        @Option(names = "--server", description = "Server URL (default: GATEHOUSE_SERVER, the CLI config file, or http://127.0.0.1:8080).") String server;
        @Option(names = "--format", description = "table (default), json or html.") String format = "table";
        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.") Path file;

        private java.io.PrintWriter out() { return spec.commandLine().getOut(); }

        @Override
        public Integer call() throws IOException {
            if (!format.equals("table") && !format.equals("json") && !format.equals("html")) {
                throw new IllegalArgumentException("--format must be table, json or html");
            }
            ClientOptions connection = new ClientOptions();
            connection.server = server;
            JsonNode report = connection.client().get("v1/posture");
            String text;
            if (format.equals("html")) {
                text = PostureHtml.render(report);
            } else if (format.equals("json")) {
                text = report.toPrettyString() + "\n";
            } else {
                java.io.StringWriter buffer = new java.io.StringWriter();
                java.io.PrintWriter w = new java.io.PrintWriter(buffer);
                Table t = new Table("SEVERITY", "TYPE", "IDENTITY", "OWNER", "OWASP");
                for (JsonNode f : report.path("findings")) {
                    t.row(f.path("severity").asText(), f.path("type").asText(), f.path("identity").asText(), f.path("owner").asText(null),
                            ClientCommand.text(f.path("owaspNhi")) + (f.path("owaspAgentic").isEmpty() ? "" : " " + ClientCommand.text(f.path("owaspAgentic"))));
                }
                t.print(w);
                w.println();
                Table o = new Table("ITEM", "NAME", "STATUS", "FINDINGS");
                for (String section : new String[] {"owaspNhi", "owaspAgentic"}) {
                    report.path(section).properties().forEach(e -> o.row(e.getKey(), e.getValue().path("name").asText(),
                            e.getValue().path("status").asText(), e.getValue().path("findings").size()));
                }
                o.print(w);
                w.flush();
                text = buffer.toString();
            }
            if (file == null) {
                out().print(text);
                out().flush();
            } else {
                Files.writeString(file, text, StandardCharsets.UTF_8);
                out().println("wrote " + file + " (" + report.path("findings").size() + " findings)");
                out().flush();
            }
            return 0;
        }
    }

    @Command(name = "usage", mixinStandardHelpOptions = true, description = "What a workload or agent was granted, used and left unused.")
    static final class Usage extends ClientCommand {
        @Parameters(paramLabel = "IDENTITY") String identity;
        @Option(names = "--days", description = "Window in days (1-365, default 30).") Integer days;

        @Override
        public Integer call() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("days", days == null ? null : days.toString());
            JsonNode u = client().get("v1/identities/" + GatehouseClient.segment(identity) + "/usage", q);
            if (options.json()) {
                ClientOptions.printJson(out(), u);
                return 0;
            }
            Table t = new Table("", "TOOLS", "EFFECTS");
            for (String k : new String[] {"granted", "used", "unused", "suggestedScope"}) {
                t.row(k, text(u.path(k).path("tools")), text(u.path(k).path("effects")));
            }
            t.print(out());
            return 0;
        }
    }

    @Command(name = "alerts", mixinStandardHelpOptions = true, description = "Anomaly alerts, newest first.")
    static final class Alerts extends ClientCommand {
        @Option(names = "--identity") String identity;
        @Option(names = "--type") String type;
        @Option(names = "--since", description = "ISO-8601 instant.") String since;
        @Option(names = "--limit") Integer limit;

        @Override
        public Integer call() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("identity", identity);
            q.put("type", type);
            q.put("since", since);
            q.put("limit", limit == null ? null : limit.toString());
            printItems(client().get("v1/alerts", q), "createdAt", "type", "identity", "severity", "action", "detail");
            return 0;
        }
    }
}
