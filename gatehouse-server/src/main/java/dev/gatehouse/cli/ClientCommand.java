package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.GatehouseClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a running server: the shared client options, and the two ways of
 * printing an answer (a table or key/value lines for people, the server's JSON for scripts).
 */
abstract class ClientCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Spec
    CommandSpec spec;

    GatehouseClient client() { return options.client(); }

    PrintWriter out() { return spec.commandLine().getOut(); }

    /** Prints {@code node} as JSON, or as {@code label: value} lines of the given fields. */
    void printObject(JsonNode node, String... fields) {
        if (options.json()) {
            ClientOptions.printJson(out(), node);
            return;
        }
        Table table = new Table("FIELD", "VALUE");
        for (String f : fields) {
            JsonNode v = node.get(f);
            if (v != null && !v.isNull()) table.row(f, text(v));
        }
        table.print(out());
    }

    /** Prints {@code node.items} as JSON, or as a table of the given fields. */
    void printItems(JsonNode node, String... fields) {
        if (options.json()) {
            ClientOptions.printJson(out(), node);
            return;
        }
        String[] headers = new String[fields.length];
        for (int i = 0; i < fields.length; i++) headers[i] = fields[i].toUpperCase(java.util.Locale.ROOT);
        Table table = new Table(headers);
        for (JsonNode item : node.path("items")) {
            Object[] cells = new Object[fields.length];
            for (int i = 0; i < fields.length; i++) {
                JsonNode v = item.get(fields[i]);
                cells[i] = v == null || v.isNull() ? null : text(v);
            }
            table.row(cells);
        }
        table.print(out());
        if (node.hasNonNull("next")) out().println("(more: --after " + node.get("next").asText() + ")");
        out().flush();
    }

    /** Scalars as text, arrays comma-separated, objects as compact JSON. */
    static String text(JsonNode v) {
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add(text(e)));
            return String.join(",", parts);
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }
}
