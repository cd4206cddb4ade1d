package dev.gatehouse.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.client.McpClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse mcp tools|call}: a tool server through the gateway, exactly as an agent reaches it —
 * MCP over Streamable HTTP with a task token — so an operator can see what an agent would be shown
 * and what happens to a call. The token comes from GATEHOUSE_TASK_TOKEN or a file, never a flag.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = "List or call the tools of a tool server through the gateway with a task token (as an agent does).",
        subcommands = {McpCommand.Tools.class, McpCommand.Call.class})
final class McpCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private McpCommand() {}

    abstract static class Base implements Callable<Integer> {
        @Mixin ClientOptions options;
        @Spec CommandSpec spec;
        @Option(names = "--token-file", description = "File holding the task token (default: GATEHOUSE_TASK_TOKEN).") Path tokenFile;

        /** An initialized session on the gateway endpoint of {@code server}; a refusal is one line. */
        McpClient connect(String server) {
            String token = taskToken();
            McpClient mcp = options.client().mcp(server, token);
            McpClient.Answer opened = mcp.initialize();
            if (opened.isError()) throw new IllegalArgumentException(refusal(server, opened));
            return mcp;
        }

        private String taskToken() {
            String token;
            if (tokenFile != null) {
                try {
                    token = Files.readString(tokenFile).strip();
                } catch (IOException e) {
                    throw new IllegalArgumentException("--token-file " + tokenFile + ": cannot read (" + e.getClass().getSimpleName() + ")");
                }
            } else {
                token = ClientOptions.ENVIRONMENT.get().get("GATEHOUSE_TASK_TOKEN");
            }
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("give a task token with GATEHOUSE_TASK_TOKEN or --token-file "
                        + "(gatehouse token issue prints one; never on the command line)");
            }
            return token.strip();
        }

        PrintWriter out() { return spec.commandLine().getOut(); }
    }

    /** Why the gateway would not talk, in one line. */
    static String refusal(String server, McpClient.Answer answer) {
        if (answer.status() == 401) return "the gateway refused the task token (HTTP 401): it is expired, revoked, or not a task token";
        if (answer.message() != null && answer.message().path("error").isObject()) return "the gateway refused: " + answer.errorText();
        if (answer.status() == 404) return "no tool server '" + server + "' behind the gateway (HTTP 404)";
        String detail = answer.message() == null ? "" : ": " + answer.message().path("message").asText(answer.message().toString());
        return "the gateway answered HTTP " + answer.status() + detail;
    }

    @Command(name = "tools", mixinStandardHelpOptions = true,
            description = "The tools this task may use on SERVER, as the gateway lists them to an agent (outside the task's scope or denied: not listed).")
    static final class Tools extends Base {
        @Parameters(index = "0", paramLabel = "SERVER", description = "Tool server id.") String server;

        @Override
        public Integer call() {
            try (McpClient mcp = connect(server)) {
                McpClient.Answer listed = mcp.listTools();
                if (listed.isError()) throw new IllegalArgumentException(refusal(server, listed));
                if (options.json()) {
                    ClientOptions.printJson(out(), listed.result());
                    return 0;
                }
                Table table = new Table("NAME", "DESCRIPTION");
                for (JsonNode tool : listed.result().path("tools")) table.row(tool.path("name").asText(), tool.path("description").asText(""));
                table.print(out());
                return 0;
            }
        }
    }

    @Command(name = "call", mixinStandardHelpOptions = true,
            description = "Call TOOL on SERVER through the gateway. Prints the tool's text; a refusal or a held call is one line on stderr, exit 1.")
    static final class Call extends Base {
        @Parameters(index = "0", paramLabel = "SERVER", description = "Tool server id.") String server;
        @Parameters(index = "1", paramLabel = "TOOL", description = "Tool name.") String tool;
        @Option(names = "--args", description = "The arguments as a JSON object (default {}).") String args = "{}";

        @Override
        public Integer call() {
            JsonNode arguments;
            try {
                arguments = JSON.readTree(args);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("--args is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")");
            }
            if (arguments == null || !arguments.isObject()) throw new IllegalArgumentException("--args must be a JSON object, e.g. '{\"query\":\"billing\"}'");
            try (McpClient mcp = connect(server)) {
                McpClient.Answer answer = mcp.callTool(tool, arguments);
                if (answer.isError()) throw new IllegalArgumentException(refusal(server, answer));
                if (options.json()) {
                    ClientOptions.printJson(out(), answer.result());
                    return answer.toolFailed() ? 1 : 0;
                }
                if (answer.toolFailed()) throw new IllegalArgumentException(answer.text().strip().replace('\n', ' '));
                for (JsonNode c : answer.result().path("content")) {
                    out().println("text".equals(c.path("type").asText()) ? c.path("text").asText() : c.toString());
                }
                out().flush();
                return 0;
            }
        }
    }
}
