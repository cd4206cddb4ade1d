package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatehouse.client.GatehouseClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * How a client command reaches the server, shared by every command as a picocli mixin:
 * {@code --server} (or GATEHOUSE_SERVER, or the CLI config file), the admin token from
 * GATEHOUSE_TOKEN (or the CLI config file), and {@code --output table|json}.
 * The CLI config file is {@code $GATEHOUSE_CLI_CONFIG} or {@code ~/.config/gatehouse/cli.yaml}
 * with keys {@code server} and {@code token}.
 */
public final class ClientOptions {
    public enum Output { table, json }

    private static final Set<String> CLI_CONFIG_KEYS = Set.of("server", "token");

    /** The environment a command runs in: the process's, or the one {@link Main#run(java.util.Map, PrintWriter, PrintWriter, String...)} was given. */
    static final ThreadLocal<java.util.Map<String, String>> ENVIRONMENT = ThreadLocal.withInitial(System::getenv);

    @Option(names = "--server", description = "Server URL (default: GATEHOUSE_SERVER, the CLI config file, or http://127.0.0.1:8080).")
    String server;

    @Option(names = {"-o", "--output"}, description = "json for scripts; by default the command's human format (a table, or YAML for export).")
    Output output = Output.table;

    public boolean json() { return output == Output.json; }

    public GatehouseClient client() {
        JsonNode file = cliConfig();
        String url = server != null ? server
                : env("GATEHOUSE_SERVER") != null ? env("GATEHOUSE_SERVER")
                : file.hasNonNull("server") ? file.get("server").asText() : "http://127.0.0.1:8080";
        String token = env("GATEHOUSE_TOKEN") != null ? env("GATEHOUSE_TOKEN")
                : file.hasNonNull("token") ? file.get("token").asText() : null;
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url : url + "/");
            if (base.getScheme() == null || base.getHost() == null) throw new IllegalArgumentException();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server must be an absolute URL such as http://127.0.0.1:8080");
        }
        // The CLI is a person's tool: saying so lets posture see a workload's secret used by hand (OWASP NHI10).
        return new GatehouseClient(base, token).withUserAgent("gatehouse-cli/" + cliVersion());
    }

    private static String cliVersion() {
        String v = ClientOptions.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static String env(String name) { return ENVIRONMENT.get().get(name); }

    /** Prints a JSON tree as indented JSON (for --output json). */
    public static void printJson(PrintWriter out, JsonNode node) {
        try {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    private static JsonNode cliConfig() {
        String configured = env("GATEHOUSE_CLI_CONFIG");
        Path path = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".config", "gatehouse", "cli.yaml");
        if (!Files.isRegularFile(path)) return new ObjectMapper().createObjectNode();
        JsonNode node;
        try {
            node = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read CLI config " + path + ": not valid YAML");
        }
        if (node == null || node.isMissingNode()) return new ObjectMapper().createObjectNode();
        if (!node.isObject()) throw new IllegalArgumentException("CLI config " + path + " must be a mapping with the keys server and token");
        // A misspelt key must not be ignored: the command would silently talk to the default server.
        node.fieldNames().forEachRemaining(key -> {
            if (!CLI_CONFIG_KEYS.contains(key)) {
                throw new IllegalArgumentException("CLI config " + path + ": unknown key '" + key + "' (known keys: server, token)");
            }
        });
        return node;
    }
}
