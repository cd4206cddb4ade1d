package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.client.GatehouseClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse toolserver …}: the MCP servers agents reach, and their classified tools. */
@Command(name = "toolserver", mixinStandardHelpOptions = true, description = "Register tool servers and classify their tools.",
        subcommands = {ToolServerCommand.Add.class, ToolServerCommand.ListCmd.class, ToolServerCommand.Show.class,
                ToolServerCommand.Classify.class, ToolServerCommand.Delete.class, UpstreamCredentialCommand.class,
                HttpRoutesCommand.class})
final class ToolServerCommand {
    static final String[] FIELDS = {"id", "displayName", "url", "stdio", "upstreamAuth", "upstreamResource", "trust", "destination", "createdAt",
            "updatedAt", "version"};

    static final class Endpoint {
        @Option(names = "--url", required = true, description = "Streamable HTTP endpoint of the MCP server.") String url;
        @Option(names = "--stdio", required = true, description = "stdio server: the name of a command the operator configured "
                + "(gateway.stdioCommands).") String stdio;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Register a tool server.")
    static final class Add extends ClientCommand {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--name", description = "Display name.") String displayName;
        @ArgGroup(exclusive = true, multiplicity = "1") Endpoint endpoint;
        @Option(names = "--trust", description = "approved or unapproved (default unapproved).") String trust;
        @Option(names = "--destination", description = "internal or external (default external).") String destination;
        @Option(names = "--upstream-auth", description = "How the gateway authenticates to it: static (default: its upstream credentials), "
                + "gatehouse-jwt (a Gatehouse-signed token per call) or oauth (MCP authorization: token exchange at its authorization server).")
        String upstreamAuth;
        @Option(names = "--upstream-resource", description = "Its RFC 8707 resource indicator, the audience of what the gateway presents "
                + "(default: its URL).") String upstreamResource;
        @Option(names = "--tool", description = "name[:effect:risk[:destination]] (repeatable); unclassified tools count as execute/high.")
        List<String> tools;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", id);
            body.put("displayName", displayName);
            body.put("url", endpoint.url);
            body.put("stdio", endpoint.stdio);
            body.put("upstreamAuth", upstreamAuth);
            body.put("upstreamResource", upstreamResource);
            body.put("trust", trust);
            body.put("destination", destination);
            List<Map<String, Object>> declared = new ArrayList<>();
            for (String t : tools == null ? List.<String>of() : tools) declared.add(tool(t));
            body.put("tools", declared);
            body.values().removeIf(v -> v == null);
            JsonNode server = client().post("v1/tool-servers", body);
            printServer(server);
            return 0;
        }

        private static Map<String, Object> tool(String spec) {
            String[] parts = spec.split(":", -1);
            if (parts.length != 1 && parts.length != 3 && parts.length != 4) {
                throw new IllegalArgumentException("--tool must be name, name:effect:risk or name:effect:risk:destination, not '" + spec + "'");
            }
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", parts[0]);
            if (parts.length >= 3) {
                t.put("effect", parts[1]);
                t.put("risk", parts[2]);
            }
            if (parts.length == 4) t.put("destination", parts[3]);
            return t;
        }

        private void printServer(JsonNode server) {
            if (options.json()) {
                ClientOptions.printJson(out(), server);
            } else {
                printObject(server, FIELDS);
                printTools(this, server);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tool servers.")
    static final class ListCmd extends ClientCommand {
        @Override
        public Integer call() {
            printItems(client().get("v1/tool-servers"), "id", "trust", "destination", "url", "stdio", "upstreamAuth");
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a tool server and its tools.")
    static final class Show extends ClientCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() {
            JsonNode server = client().get("v1/tool-servers/" + GatehouseClient.segment(id));
            printObject(server, FIELDS);
            if (!options.json()) printTools(this, server);
            return 0;
        }
    }

    @Command(name = "classify", mixinStandardHelpOptions = true,
            description = "Classify one tool, prompt or resource entry: effect, risk, destination. It leaves quarantine and the "
                    + "definition the upstream shows now is approved (pinned).")
    static final class Classify extends ClientCommand {
        @Parameters(index = "0", paramLabel = "SERVER") String server;
        @Parameters(index = "1", paramLabel = "NAME", description = "The tool or prompt name, or the resource entry's uri (exact, template or prefix*).")
        String name;
        @Option(names = "--kind", defaultValue = "tool", description = "tool, prompt or resource (default tool).") String kind;
        @Option(names = "--effect", required = true, description = "read, write or execute.") String effect;
        @Option(names = "--risk", required = true, description = "low, medium, high or critical.") String risk;
        @Option(names = "--destination", description = "internal or external.") String destination;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put(kind.equals("resource") ? "uri" : "name", name);
            body.put("effect", effect);
            body.put("risk", risk);
            if (destination != null) body.put("destination", destination);
            String base = "v1/tool-servers/" + GatehouseClient.segment(server);
            String path = switch (kind) {
                case "tool" -> base + "/tools/" + GatehouseClient.segment(name) + "/classify";
                case "prompt" -> base + "/prompts/" + GatehouseClient.segment(name) + "/classify";
                case "resource" -> base + "/resources/classify";
                default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--kind must be tool, prompt or resource");
            };
            JsonNode updated = client().post(path, body);
            if (options.json()) ClientOptions.printJson(out(), updated);
            else printTools(this, updated);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a tool server.")
    static final class Delete extends ClientCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() {
            client().delete("v1/tool-servers/" + GatehouseClient.segment(id));
            out().println("deleted tool server " + id);
            out().flush();
            return 0;
        }
    }

    /** Every feature of the server: tools, prompts and resource entries, with why any of them is quarantined. */
    static void printTools(ClientCommand command, JsonNode server) {
        Table t = new Table("KIND", "NAME", "EFFECT", "RISK", "DESTINATION", "QUARANTINE", "ANNOTATIONS SUGGEST");
        for (String kind : List.of("tools", "prompts", "resources")) {
            for (JsonNode f : server.path(kind)) {
                JsonNode s = f.path("pin").path("suggested");
                // What the upstream's MCP annotations suggest: shown to whoever classifies, never applied by itself.
                String suggested = s.isObject() ? s.path("effect").asText() + "/" + s.path("risk").asText() + "/" + s.path("destination").asText() : "-";
                t.row(kind.substring(0, kind.length() - 1), f.has("uri") ? f.path("uri").asText() : f.path("name").asText(),
                        f.path("effect").asText(), f.path("risk").asText(), f.path("destination").asText(), f.path("quarantine").asText("-"),
                        suggested);
            }
        }
        command.out().println();
        t.print(command.out());
    }
}
