package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.GatehouseClient;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse toolserver http-routes set|show}: which request of a governed HTTP API is a call of which tool. */
@Command(name = "http-routes", mixinStandardHelpOptions = true,
        description = "The routes of an HTTP API governed through Envoy ext_authz, each mapped to a tool (see docs/http-apis.md).",
        subcommands = {HttpRoutesCommand.Set.class, HttpRoutesCommand.Show.class})
final class HttpRoutesCommand {
    private HttpRoutesCommand() {}

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Replace a tool server's routes from a YAML or JSON file ({routes: [{method, path, tool}]}).")
    static final class Set extends ClientCommand {
        @Parameters(index = "0", paramLabel = "SERVER") String server;
        @Option(names = {"-f", "--file"}, required = true, description = "Routes file: routes: [{method: GET, path: /invoices/{id}, tool: get_invoice}]")
        Path file;

        @Override
        public Integer call() {
            JsonNode routes = client().put("v1/tool-servers/" + GatehouseClient.segment(server) + "/http-routes", InventoryFiles.read(file));
            return print(this, routes);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "List a tool server's routes in match order.")
    static final class Show extends ClientCommand {
        @Parameters(index = "0", paramLabel = "SERVER") String server;

        @Override
        public Integer call() {
            return print(this, client().get("v1/tool-servers/" + GatehouseClient.segment(server) + "/http-routes"));
        }
    }

    private static Integer print(ClientCommand command, JsonNode answer) {
        if (command.options.json()) {
            ClientOptions.printJson(command.out(), answer);
            return 0;
        }
        Table table = new Table("METHOD", "PATH", "TOOL");
        for (JsonNode r : answer.path("routes")) table.row(r.path("method").asText(), r.path("path").asText(), r.path("tool").asText());
        table.print(command.out());
        return 0;
    }
}
