package dev.gatehouse.cli;

import dev.gatehouse.client.GatehouseClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse discovery …}: non-human identities found outside the inventory. */
@Command(name = "discovery", mixinStandardHelpOptions = true, description = "Import exports of unmanaged non-human identities, list and adopt them.",
        subcommands = {DiscoveryCommand.Import.class, DiscoveryCommand.ListCmd.class, DiscoveryCommand.Adopt.class})
final class DiscoveryCommand {
    static final String[] FIELDS = {"id", "source", "name", "status", "externalId", "lastSeen", "adoptedAs"};

    @Command(name = "import", mixinStandardHelpOptions = true, description = "Import an export file ('-' for standard input).")
    static final class Import extends ClientCommand {
        @Option(names = "--format", required = true,
                description = "aws-iam-credential-report, kubernetes-serviceaccounts or github-app-installations.") String format;
        @Parameters(paramLabel = "FILE") String file;

        @Override
        public Integer call() throws IOException {
            String content = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
            var result = client().post("v1/discovery/import", Map.of("format", format, "content", content));
            if (options.json()) {
                ClientOptions.printJson(out(), result);
                return 0;
            }
            out().println(result.path("entries").asInt() + " entries: " + result.path("created").asInt() + " new, "
                    + result.path("updated").asInt() + " seen before");
            printItems(result, FIELDS);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List discovered identities.")
    static final class ListCmd extends ClientCommand {
        @Option(names = "--status", description = "unmanaged or adopted.") String status;
        @Option(names = "--source") String source;

        @Override
        public Integer call() {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("status", status);
            q.put("source", source);
            printItems(client().get("v1/discovery", q), FIELDS);
            return 0;
        }
    }

    @Command(name = "adopt", mixinStandardHelpOptions = true, description = "Make a discovered identity an inventory identity with an owner.")
    static final class Adopt extends ClientCommand {
        @Parameters(paramLabel = "DISCOVERED") String id;
        @Option(names = "--id", description = "The identity id (default: a slug of the discovered name).") String identityId;
        @Option(names = "--kind", description = "workload (default) or agent.") String kind;
        @Option(names = "--owner", required = true) String owner;
        @Option(names = "--purpose", required = true) String purpose;
        @Option(names = {"--env", "--environment"}, required = true) String environment;
        @Option(names = "--tool", description = "Declared scope: tool pattern (repeatable).") List<String> tools;
        @Option(names = "--effect", description = "Declared scope: read, write or execute (repeatable).") List<String> effects;
        @Option(names = "--autonomy", description = "assistive or autonomous (agents).") String autonomy;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", identityId);
            body.put("kind", kind);
            body.put("owner", owner);
            body.put("purpose", purpose);
            body.put("environment", environment);
            body.put("scope", Map.of("tools", tools == null ? List.of() : tools, "effects", effects == null ? List.of() : effects));
            body.put("autonomy", autonomy);
            body.values().removeIf(v -> v == null);
            printObject(client().post("v1/discovery/" + GatehouseClient.segment(id) + "/adopt", body), IdentityCommand.SHOW_FIELDS);
            return 0;
        }
    }
}
