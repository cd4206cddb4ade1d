package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.Gatehouse;
import dev.gatehouse.admin.AdminTokenService;
import dev.gatehouse.client.GatehouseClient;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gatehouse admin-token …}: API tokens for operators, readers and decision clients. */
@Command(name = "admin-token", mixinStandardHelpOptions = true, description = "Create, list and revoke admin API tokens.",
        subcommands = {AdminTokenCommand.Create.class, AdminTokenCommand.ListCmd.class, AdminTokenCommand.Revoke.class,
                AdminTokenCommand.Reset.class})
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

    /** Offline: works on the store of a stopped server, so it needs no token (which is what has been lost). */
    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = "With the server stopped: revoke every admin token and print a new one (audited). Reader and pdp tokens stay.")
    static final class Reset implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--data", description = "Data directory of the embedded store (as given to serve; default ./data).") String data;
        @Option(names = "--config", description = "The configuration file serve runs with (for a PostgreSQL store).") Path config;
        @Option(names = "--db", description = "PostgreSQL JDBC URL instead of the embedded store.") String db;
        @Option(names = "--db-user", description = "Database user (or GATEHOUSE_DB_USER).") String dbUser;

        @Override
        public Integer call() {
            Map<String, String> flags = new HashMap<>();
            if (data != null) flags.put("dataDir", data);
            if (db != null) flags.put("db.url", db);
            if (dbUser != null) flags.put("db.user", dbUser);
            GatehouseConfig cfg = ConfigLoader.load(config, ClientOptions.ENVIRONMENT.get(), flags);
            ServeCommand.configureLogging(new GatehouseConfig.Log("text", "warn"));
            AdminTokenService.Reset reset = Gatehouse.resetAdminTokens(cfg, Clock.systemUTC(), System.getProperty("user.name"));
            PrintWriter out = spec.commandLine().getOut();
            out.println("Revoked " + reset.revoked().size() + " admin token" + (reset.revoked().size() == 1 ? "" : "s")
                    + "; new admin token " + reset.id() + " (shown once, store it now):");
            out.println(reset.secret());
            out.println("  export GATEHOUSE_TOKEN=" + reset.secret());
            out.flush();
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
