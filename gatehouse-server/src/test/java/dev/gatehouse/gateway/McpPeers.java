package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real MCP peers of the gateway tests, installed by {@code npm ci} in {@code src/test/mcp}
 * (versions pinned in its package-lock.json): the official TypeScript SDK client and server-everything.
 */
final class McpPeers {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path DIR = Path.of("src", "test", "mcp").toAbsolutePath();
    static final Path EVERYTHING = DIR.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");

    private McpPeers() {}

    static void requireInstalled() {
        if (!Files.exists(EVERYTHING) || !Files.exists(DIR.resolve("node_modules/@modelcontextprotocol/sdk"))
                || !Files.exists(DIR.resolve("node_modules/jose"))) {
            throw new IllegalStateException("MCP test peers missing: run `npm ci` in " + DIR + " (.ci/run does)");
        }
    }

    /** server-everything as a stdio tool server command. */
    static List<String> everythingStdio() {
        return List.of("node", EVERYTHING.toString(), "stdio");
    }

    /**
     * The configuration that lets tool servers name server-everything as {@code "stdio": "everything"}: the API
     * takes the name, argv stays in the operator's configuration.
     */
    static Map<String, String> everythingConfigured() {
        try {
            return Map.of("gateway.stdioCommands", JSON.writeValueAsString(Map.of("everything", Map.of("command", everythingStdio()))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the TypeScript SDK client with a plan; returns its JSON report. */
    static JsonNode client(Object plan) throws Exception {
        Process p = new ProcessBuilder("node", DIR.resolve("client.mjs").toString(), JSON.writeValueAsString(plan))
                .directory(DIR.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the SDK client did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8).trim();
        return JSON.readTree(text.substring(text.lastIndexOf('\n') + 1));
    }

    /** server-everything over Streamable HTTP on a free port, at {@code http://127.0.0.1:<port>/mcp}. */
    static final class HttpEverything implements AutoCloseable {
        final Process process;
        final int port;

        HttpEverything() throws Exception {
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder("node", EVERYTHING.toString(), "streamableHttp").directory(DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("PORT", Integer.toString(port));
            process = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    return;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline || !process.isAlive()) {
                        close();
                        throw new IllegalStateException("server-everything did not start");
                    }
                    Thread.sleep(100);
                }
            }
        }

        String url() { return "http://127.0.0.1:" + port + "/mcp"; }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }
}
