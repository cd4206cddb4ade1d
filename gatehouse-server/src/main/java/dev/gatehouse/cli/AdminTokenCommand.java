package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.GatehouseClient;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse admin-token …}: API tokens for operators, readers and decision clients. */
@Command(name = "admin-token", mixinStandardHelpOptions = true, description = "Create, list and revoke admin API tokens.",
        subcommands = {AdminTokenCommand.Create.class, AdminTokenCommand.ListCmd.class, AdminTokenCommand.Revoke.class})
final class AdminTokenCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token; its value is printed this once.")
    static final class Create extends ClientCommand {
        @Option(names = "--name", required = true, description = "What the token is for.") String name;
        @Option(names = "--role", description = "admin (default), security, auditor (reader) or pdp.") String role = "admin";

        @Override
        public Integer call() {
            JsonNode created = client().post("v1/admin-tokens", Map.of("name", name, "role", role));
            if (options.json()) {
                ClientOptions.printJson(out(), created);
            } else {
                out().println("token " + created.path("token").path("id").asText() + " (" + role + ") created; it is shown only now:");
                out().println(created.path("secret").asText());
                out().flush();
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their values).")
    static final class ListCmd extends ClientCommand {
        @Override
        public Integer call() {
            printItems(client().get("v1/admin-tokens"), "id", "name", "role", "createdAt", "createdBy", "revokedAt");
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by id.")
    static final class Revoke extends ClientCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() {
            printObject(client().post("v1/admin-tokens/" + GatehouseClient.segment(id) + "/revoke", null),
                    "id", "name", "role", "revokedAt", "revokedBy");
            return 0;
        }
    }
}
