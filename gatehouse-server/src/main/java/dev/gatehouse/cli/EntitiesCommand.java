package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse entities …}: application entities (types declared by a policy directory's schema fragment). */
@Command(name = "entities", mixinStandardHelpOptions = true, description = "Manage application entities for Cedar policies.",
        subcommands = {EntitiesCommand.Apply.class, EntitiesCommand.ListCmd.class})
final class EntitiesCommand {
    private EntitiesCommand() {}

    @Command(name = "apply", mixinStandardHelpOptions = true, description = "Upsert entities from a Cedar JSON entities file.")
    static final class Apply implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;
        @Option(names = {"-f", "--file"}, required = true, description = "Cedar JSON entities file ([{uid, attrs, parents}]).") Path file;
        @Option(names = "--replace", description = "Remove stored entities that are not in the file.") boolean replace;

        @Override
        public Integer call() {
            JsonNode entities;
            try {
                entities = new ObjectMapper().readTree(Files.readString(file));
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": cannot read as JSON (" + e.getClass().getSimpleName() + ")");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("entities", entities);
            body.put("replace", replace);
            JsonNode r = client.client().post("v1/entities", body);
            if (client.json()) ClientOptions.printJson(spec.commandLine().getOut(), r);
            else spec.commandLine().getOut().println("applied " + r.path("applied").asInt() + " entities");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print stored application entities as JSON.")
    static final class ListCmd implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            ClientOptions.printJson(spec.commandLine().getOut(), client.client().get("v1/entities").path("items"));
            return 0;
        }
    }
}
