package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.GatehouseClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse identity …}: the inventory of humans, workloads and agents. */
@Command(name = "identity", mixinStandardHelpOptions = true, description = "Register and manage humans, workloads and agents.",
        subcommands = {IdentityCommand.Add.class, IdentityCommand.ListCmd.class, IdentityCommand.Show.class,
                IdentityCommand.Suspend.class, IdentityCommand.Reactivate.class, IdentityCommand.Retire.class,
                IdentityCommand.Reassign.class, IdentityCommand.History.class})
final class IdentityCommand {
    static final String[] SHOW_FIELDS = {"id", "kind", "displayName", "status", "orphaned", "environment", "owner", "purpose",
            "scope", "autonomy", "model", "email", "department", "tags", "groups", "createdAt", "updatedAt", "lastSeen", "version"};
    static final String[] LIST_FIELDS = {"id", "kind", "status", "owner", "environment", "displayName"};

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Register an identity.")
    static final class Add extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "Lowercase slug, unique.")
        String id;
        @Option(names = "--kind", required = true, description = "human, workload or agent.")
        String kind;
        @Option(names = "--name", required = true, description = "Display name.")
        String displayName;
        @Option(names = "--owner", description = "Owning human (workloads and agents).")
        String owner;
        @Option(names = "--purpose", description = "What it is for (workloads and agents).")
        String purpose;
        @Option(names = {"--env", "--environment"}, description = "Environment, e.g. dev, staging, prod.")
        String environment;
        @Option(names = "--tag", description = "Tag (repeatable).")
        List<String> tags;
        @Option(names = "--group", description = "Group (repeatable).")
        List<String> groups;
        @Option(names = "--tool", description = "Declared scope: tool pattern <server>/<tool>, <server>/* or * (repeatable).")
        List<String> tools;
        @Option(names = "--effect", description = "Declared scope: read, write or execute (repeatable).")
        List<String> effects;
        @Option(names = "--autonomy", description = "assistive or autonomous (agents).")
        String autonomy;
        @Option(names = "--model", description = "Model (agents).")
        String model;
        @Option(names = "--email", description = "Email (humans).")
        String email;
        @Option(names = "--department", description = "Department (humans).")
        String department;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", id);
            body.put("kind", kind);
            body.put("displayName", displayName);
            body.put("owner", owner);
            body.put("purpose", purpose);
            body.put("environment", environment);
            body.put("tags", tags);
            body.put("groups", groups);
            if (tools != null || effects != null) {
                Map<String, Object> scope = new LinkedHashMap<>();
                scope.put("tools", tools == null ? List.of() : tools);
                scope.put("effects", effects == null ? List.of() : effects);
                body.put("scope", scope);
            }
            body.put("autonomy", autonomy);
            body.put("model", model);
            body.put("email", email);
            body.put("department", department);
            body.values().removeIf(v -> v == null);
            printObject(client().post("v1/identities", body), SHOW_FIELDS);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List identities.")
    static final class ListCmd extends ClientCommand {
        @Option(names = "--kind") String kind;
        @Option(names = "--owner") String owner;
        @Option(names = "--status") String status;
        @Option(names = "--tag") String tag;
        @Option(names = "--group") String group;
        @Option(names = {"--env", "--environment"}) String environment;
        @Option(names = "--limit", description = "Page size (1-1000).") Integer limit;
        @Option(names = "--after", description = "Cursor from a previous page.") String after;

        @Override
        public Integer call() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("kind", kind);
            q.put("owner", owner);
            q.put("status", status);
            q.put("tag", tag);
            q.put("group", group);
            q.put("environment", environment);
            q.put("limit", limit == null ? null : limit.toString());
            q.put("after", after);
            JsonNode page = client().get("v1/identities", q);
            if (options.json()) {
                ClientOptions.printJson(out(), page);
                return 0;
            }
            printItems(withOrphanMark(page), LIST_FIELDS);
            return 0;
        }

        /** Orphaned identities show as status "active (orphaned)" in the table. */
        private static JsonNode withOrphanMark(JsonNode page) {
            for (JsonNode item : page.path("items")) {
                if (item.path("orphaned").asBoolean(false)) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) item).put("status", item.path("status").asText() + " (orphaned)");
                }
            }
            return page;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one identity.")
    static final class Show extends ClientCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() {
            printObject(client().get("v1/identities/" + GatehouseClient.segment(id)), SHOW_FIELDS);
            return 0;
        }
    }

    /** suspend, reactivate and retire: one transition with a required reason. */
    abstract static class Transition extends ClientCommand {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--reason", required = true, description = "Why (recorded with who and when).") String reason;

        abstract String operation();

        @Override
        public Integer call() {
            printObject(client().post("v1/identities/" + GatehouseClient.segment(id) + "/" + operation(), Map.of("reason", reason)), SHOW_FIELDS);
            return 0;
        }
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true, description = "Suspend an identity.")
    static final class Suspend extends Transition {
        @Override String operation() { return "suspend"; }
    }

    @Command(name = "reactivate", mixinStandardHelpOptions = true, description = "Reactivate a suspended identity.")
    static final class Reactivate extends Transition {
        @Override String operation() { return "reactivate"; }
    }

    @Command(name = "retire", mixinStandardHelpOptions = true, description = "Retire an identity (terminal).")
    static final class Retire extends Transition {
        @Override String operation() { return "retire"; }
    }

    @Command(name = "reassign", mixinStandardHelpOptions = true, description = "Give a workload or agent a new owner.")
    static final class Reassign extends ClientCommand {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--owner", required = true, description = "The new owning human.") String owner;
        @Option(names = "--reason", required = true) String reason;

        @Override
        public Integer call() {
            printObject(client().post("v1/identities/" + GatehouseClient.segment(id) + "/reassign", Map.of("owner", owner, "reason", reason)),
                    SHOW_FIELDS);
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Lifecycle history of an identity.")
    static final class History extends ClientCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() {
            printItems(client().get("v1/identities/" + GatehouseClient.segment(id) + "/history"), "at", "action", "actor", "reason");
            return 0;
        }
    }
}
