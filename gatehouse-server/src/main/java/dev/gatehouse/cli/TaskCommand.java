package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gatehouse task list|show|complete}. */
@Command(name = "task", mixinStandardHelpOptions = true, description = "Tasks: the unit every token is bound to.",
        subcommands = {TaskCommand.ListTasks.class, TaskCommand.Show.class, TaskCommand.Complete.class})
public final class TaskCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tasks, newest first.")
    static final class ListTasks implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Option(names = "--identity", description = "Only tasks of this identity.") String identity;
        @Option(names = "--status", description = "active, completed, expired or revoked.") String status;
        @Option(names = "--limit", description = "At most this many (default 100).") Integer limit;

        @Override
        public Integer call() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("identity", identity);
            q.put("status", status);
            q.put("limit", limit == null ? null : limit.toString());
            JsonNode page = client.client().get("v1/tasks", q);
            PrintWriter out = spec.commandLine().getOut();
            if (client.json()) {
                ClientOptions.printJson(out, page);
                return 0;
            }
            Table t = new Table("ID", "IDENTITY", "STATUS", "EXPIRES", "SCOPE", "INTENT");
            for (JsonNode task : page.path("items")) {
                t.row(task.path("id").asText(), task.path("identity").asText(), task.path("status").asText(),
                        task.path("expiresAt").asText(), scope(task.path("scope")), task.path("intent").asText());
            }
            t.print(out);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one task.")
    static final class Show implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "TASK") String id;

        @Override
        public Integer call() {
            print(spec.commandLine().getOut(), client, client.client().get("v1/tasks/" + id));
            return 0;
        }
    }

    @Command(name = "complete", mixinStandardHelpOptions = true, description = "Complete a task: every token of it is revoked at once.")
    static final class Complete implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "TASK") String id;
        @Option(names = "--reason", description = "Why (recorded).") String reason;

        @Override
        public Integer call() {
            Map<String, String> body = new LinkedHashMap<>();
            if (reason != null) body.put("reason", reason);
            print(spec.commandLine().getOut(), client, client.client().post("v1/tasks/" + id + "/complete", body));
            return 0;
        }
    }

    static void print(PrintWriter out, ClientOptions client, JsonNode task) {
        if (client.json()) {
            ClientOptions.printJson(out, task);
            return;
        }
        Table t = new Table("FIELD", "VALUE");
        for (String f : new String[] {"id", "identity", "kind", "owner", "status", "intent", "createdAt", "expiresAt", "endedAt", "endedBy", "endReason"}) {
            if (task.hasNonNull(f)) t.row(f, task.get(f).asText());
        }
        t.row("scope", scope(task.path("scope")));
        t.row("attested", task.path("attested").asBoolean());
        t.print(out);
    }

    static String scope(JsonNode scope) {
        StringBuilder sb = new StringBuilder();
        scope.path("tools").forEach(n -> sb.append(sb.length() == 0 ? "" : " ").append(n.asText()));
        scope.path("effects").forEach(n -> sb.append(sb.length() == 0 ? "" : " ").append(n.asText()));
        return sb.toString();
    }
}
