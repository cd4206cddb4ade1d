package dev.gatehouse.cli;

import dev.gatehouse.client.GatehouseClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse group …}: named, nestable sets of identities. */
@Command(name = "group", mixinStandardHelpOptions = true, description = "Manage groups (nesting through parents).",
        subcommands = {GroupCommand.Add.class, GroupCommand.ListCmd.class, GroupCommand.Show.class, GroupCommand.Delete.class})
final class GroupCommand {
    static final String[] FIELDS = {"id", "displayName", "parents", "members", "createdAt", "updatedAt", "version"};

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Create a group.")
    static final class Add extends ClientCommand {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--name", required = true, description = "Display name.") String displayName;
        @Option(names = "--parent", description = "Parent group (repeatable).") List<String> parents;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", id);
            body.put("displayName", displayName);
            body.put("parents", parents == null ? List.of() : parents);
            printObject(client().post("v1/groups", body), FIELDS);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List groups.")
    static final class ListCmd extends ClientCommand {
        @Override
        public Integer call() {
            printItems(client().get("v1/groups"), "id", "displayName", "parents", "members");
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a group and its direct members.")
    static final class Show extends ClientCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() {
            printObject(client().get("v1/groups/" + GatehouseClient.segment(id)), FIELDS);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an empty group.")
    static final class Delete extends ClientCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() {
            client().delete("v1/groups/" + GatehouseClient.segment(id));
            out().println("deleted group " + id);
            out().flush();
            return 0;
        }
    }
}
