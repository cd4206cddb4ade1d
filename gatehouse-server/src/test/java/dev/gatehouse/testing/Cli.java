package dev.gatehouse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the CLI in-process with its own environment and captured output, as a user's shell would. */
public final class Cli {
    private Cli() {}

    public record Run(int exit, String out, String err) {
        public JsonNode json() throws Exception { return new ObjectMapper().readTree(out); }
    }

    /** The environment of a user pointed at {@code server} with its admin token. */
    public static Map<String, String> adminEnv(TestGatehouse server) {
        return Map.of("GATEHOUSE_TOKEN", TestGatehouse.ADMIN_TOKEN, "GATEHOUSE_SERVER", server.baseUri().toString(),
                "GATEHOUSE_CLI_CONFIG", "/nonexistent/gatehouse-cli.yaml");
    }

    public static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }
}
