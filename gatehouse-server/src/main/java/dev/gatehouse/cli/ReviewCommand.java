package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.GatehouseClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gatehouse review …}: access reviews. An owner answers ({@code decide}) with their own approver
 * token in GATEHOUSE_TOKEN; an admin token may answer for anyone.
 */
@Command(name = "review", mixinStandardHelpOptions = true, description = "Access reviews: owners recertify their workloads and agents.",
        subcommands = {ReviewCommand.Create.class, ReviewCommand.ListCmd.class, ReviewCommand.Show.class, ReviewCommand.Decide.class,
                ReviewCommand.Close.class})
final class ReviewCommand {
    static final String[] REVIEW_FIELDS = {"id", "name", "status", "dueAt", "onMissed", "counts", "createdBy", "closedAt"};

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Open a review of the workloads and agents in scope.")
    static final class Create extends ClientCommand {
        @Option(names = "--name", required = true) String name;
        @Option(names = "--kind", description = "workload or agent (repeatable; default both).") List<String> kinds;
        @Option(names = "--owner", description = "Only identities of this owner (repeatable).") List<String> owners;
        @Option(names = {"--env", "--environment"}, description = "Only this environment (repeatable).") List<String> environments;
        @Option(names = "--due", required = true, description = "Deadline, ISO-8601 (2026-04-01T00:00:00Z).") String dueAt;
        @Option(names = "--on-missed", required = true, description = "suspend or none: what happens to unanswered items.") String onMissed;

        @Override
        public Integer call() {
            Map<String, Object> scope = new LinkedHashMap<>();
            if (kinds != null) scope.put("kinds", kinds);
            if (owners != null) scope.put("owners", owners);
            if (environments != null) scope.put("environments", environments);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("scope", scope);
            body.put("dueAt", dueAt);
            body.put("onMissed", onMissed);
            JsonNode review = client().post("v1/reviews", body);
            if (options.json()) {
                ClientOptions.printJson(out(), review);
            } else {
                printObject(review, REVIEW_FIELDS);
                printItems(review, "identity", "kind", "owner", "environment", "status", "lastSeen");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List reviews.")
    static final class ListCmd extends ClientCommand {
        @Option(names = "--status", description = "open or closed.") String status;

        @Override
        public Integer call() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("status", status);
            printItems(client().get("v1/reviews", q), "id", "name", "status", "dueAt", "onMissed", "counts");
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A review with every item (an approver token: its own items).")
    static final class Show extends ClientCommand {
        @Parameters(paramLabel = "REVIEW") String id;

        @Override
        public Integer call() {
            JsonNode review = client().get("v1/reviews/" + GatehouseClient.segment(id));
            if (options.json()) {
                ClientOptions.printJson(out(), review);
                return 0;
            }
            printObject(review, REVIEW_FIELDS);
            out().println();
            Table t = new Table("IDENTITY", "OWNER", "STATUS", "LAST SEEN", "CREDENTIALS", "GRANTED", "USED (30 D)", "UNUSED", "DECISION", "OUTCOME");
            for (JsonNode i : review.path("items")) {
                StringBuilder creds = new StringBuilder();
                for (JsonNode c : i.path("credentials")) {
                    if (creds.length() > 0) creds.append(", ");
                    creds.append(c.path("type").asText()).append(' ').append(c.path("ageDays").asText()).append("d");
                    creds.append(c.hasNonNull("lastUsed") ? " used " + c.path("lastUsed").asText().substring(0, 10) : " never used");
                }
                JsonNode u = i.path("usage");
                t.row(i.path("identity").asText(), i.path("owner").asText(null), i.path("status").asText(null), i.path("lastSeen").asText(null),
                        creds.length() == 0 ? null : creds, text(u.path("granted").path("tools")), text(u.path("used").path("tools")),
                        text(u.path("unused").path("tools")), i.path("decision").asText(null), i.path("outcome").asText(null));
            }
            t.print(out());
            return 0;
        }
    }

    @Command(name = "decide", mixinStandardHelpOptions = true,
            description = "Answer for one identity: keep, reduce (with --tool/--effect: the new, narrower scope) or revoke (retires it).")
    static final class Decide extends ClientCommand {
        @Parameters(index = "0", paramLabel = "REVIEW") String id;
        @Parameters(index = "1", paramLabel = "IDENTITY") String identity;
        @Option(names = "--decision", required = true, description = "keep, reduce or revoke.") String decision;
        @Option(names = "--tool", description = "Reduced scope: tool pattern (repeatable).") List<String> tools;
        @Option(names = "--effect", description = "Reduced scope: read, write or execute (repeatable).") List<String> effects;
        @Option(names = "--comment", description = "Why (required for revoke).") String comment;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("decision", decision);
            if (tools != null || effects != null) body.put("scope", Map.of("tools", tools == null ? List.of() : tools, "effects", effects == null ? List.of() : effects));
            if (comment != null) body.put("comment", comment);
            printObject(client().post("v1/reviews/" + GatehouseClient.segment(id) + "/items/" + GatehouseClient.segment(identity), body),
                    "identity", "owner", "decision", "scope", "comment", "decidedBy", "decidedAt", "outcome");
            return 0;
        }
    }

    @Command(name = "close", mixinStandardHelpOptions = true, description = "Close a review now: unanswered items get its onMissed.")
    static final class Close extends ClientCommand {
        @Parameters(paramLabel = "REVIEW") String id;

        @Override
        public Integer call() {
            JsonNode review = client().post("v1/reviews/" + GatehouseClient.segment(id) + "/close", Map.of());
            if (options.json()) {
                ClientOptions.printJson(out(), review);
                return 0;
            }
            printObject(review, REVIEW_FIELDS);
            printItems(review, "identity", "owner", "decision", "outcome");
            return 0;
        }
    }
}
