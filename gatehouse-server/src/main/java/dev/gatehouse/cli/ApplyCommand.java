package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse apply -f inventory.yaml}: declarative inventory; the server applies it in one transaction. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Create or update groups, identities and tool servers from a YAML file (idempotent).")
final class ApplyCommand extends ClientCommand {
    @Option(names = {"-f", "--file"}, required = true, description = "Inventory file (YAML or JSON).")
    Path file;

    @Option(names = "--dry-run", description = "Print what would change, change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        JsonNode document = InventoryFiles.read(file);
        JsonNode plan = client().send("POST", "v1/inventory/apply?dryRun=" + dryRun, document);
        if (options.json()) {
            ClientOptions.printJson(out(), plan);
            return 0;
        }
        int created = 0, updated = 0, unchanged = 0;
        for (JsonNode c : plan.path("changes")) {
            String action = c.path("action").asText();
            switch (action) {
                case "create" -> created++;
                case "update" -> updated++;
                default -> unchanged++;
            }
            if (!action.equals("unchanged")) {
                String fields = c.path("fields").isEmpty() ? "" : " (" + text(c.path("fields")) + ")";
                out().println((dryRun ? "would " : "") + action + " " + c.path("type").asText() + " " + c.path("id").asText() + fields);
            }
        }
        out().println((dryRun ? "dry run: " : "") + created + " created, " + updated + " updated, " + unchanged + " unchanged"
                + (plan.path("changed").asBoolean() ? "" : " — no change"));
        out().flush();
        return 0;
    }
}
