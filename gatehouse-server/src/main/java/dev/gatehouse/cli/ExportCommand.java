package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse export}: the inventory in the format {@code apply} reads. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Write the inventory as YAML (the format apply reads).")
final class ExportCommand extends ClientCommand {
    @Option(names = {"-f", "--file"}, description = "Write to this file instead of standard output.")
    Path file;

    @Override
    public Integer call() throws IOException {
        JsonNode document = client().get("v1/inventory");
        if (file == null) {
            if (options.json()) ClientOptions.printJson(out(), document);
            else out().print(InventoryFiles.toYaml(document));
            out().flush();
            return 0;
        }
        Files.writeString(file, options.json() ? document.toPrettyString() + "\n" : InventoryFiles.toYaml(document));
        out().println("wrote " + file);
        out().flush();
        return 0;
    }
}
