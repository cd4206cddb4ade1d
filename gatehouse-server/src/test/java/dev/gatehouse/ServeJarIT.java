package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.ServerProcess;
import dev.gatehouse.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as an operator runs it: `serve` on the embedded store, on PostgreSQL, with JSON logs. */
class ServeJarIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void servesOnTheEmbeddedStoreAndPrintsTheBootstrapTokenOnce() throws Exception {
        String token;
        try (ServerProcess server = ServerProcess.start(Map.of(), "--port", "0", "--data", tmp.resolve("data").toString())) {
            assertThat(get(server.baseUri(), "healthz", null).statusCode()).isEqualTo(200);
            assertThat(get(server.baseUri(), "readyz", null).statusCode()).isEqualTo(200);
            token = server.stdout().stream().filter(l -> l.startsWith("Bootstrap admin token")).findFirst().orElseThrow()
                    .replaceAll(".*: ", "");
            assertThat(get(server.baseUri(), "v1/identities", token).statusCode()).isEqualTo(200);
            assertThat(get(server.baseUri(), "v1/identities", null).statusCode()).isEqualTo(401);
            assertThat(String.join("\n", server.stderr())).doesNotContain(token);
            assertThat(server.stop()).isIn(0, 143);
        }
        assertThat(tmp.resolve("data").resolve("gatehouse.mv.db")).exists();
        try (ServerProcess again = ServerProcess.start(Map.of(), "--port", "0", "--data", tmp.resolve("data").toString())) {
            assertThat(again.stdout()).noneMatch(l -> l.startsWith("Bootstrap admin token"));
            assertThat(get(again.baseUri(), "v1/identities", token).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void servesOnPostgresqlWithJsonLogs() throws Exception {
        String db = TestStores.freshUrl(TestStores.Kind.POSTGRES, tmp);
        String token = "automation-token-0123456789abcdef";
        try (ServerProcess server = ServerProcess.start(Map.of("GATEHOUSE_BOOTSTRAP_TOKEN", token, "GATEHOUSE_DB_USER", TestStores.pgUser(),
                "GATEHOUSE_SERVER_PUBLIC_URL", "http://gatehouse.test"),
                "--port", "0", "--db", db, "--data", tmp.resolve("pg-node").toString(), "--log-format", "json")) {
            assertThat(get(server.baseUri(), "readyz", null).statusCode()).isEqualTo(200);
            HttpResponse<String> created = send(server.baseUri(), "POST", "v1/identities",
                    "{\"id\":\"alice\",\"kind\":\"human\",\"displayName\":\"Alice\",\"email\":\"alice@example.com\"}", token);
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(server.stdout()).contains("Bootstrap admin token set from GATEHOUSE_BOOTSTRAP_TOKEN.");
            server.stop();
            List<String> logs = server.stderr();
            assertThat(logs).isNotEmpty();
            for (String line : logs) {
                JsonNode entry = JSON.readTree(line);
                assertThat(entry.has("level") && entry.has("message")).as(line).isTrue();
            }
            assertThat(String.join("\n", logs)).contains("postgresql").doesNotContain(token);
        }
    }

    @Test
    void refusesUnknownConfigurationWithOneLine() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                ServerProcess.jar().toString(), "serve", "--port", "0", "--data", tmp.toString()).redirectErrorStream(true);
        pb.environment().put("GATEHOUSE_SERVER_PROT", "9000");
        Process bad = pb.start();
        String output = new String(bad.getInputStream().readAllBytes());
        assertThat(bad.waitFor()).isEqualTo(1);
        assertThat(output.strip()).isEqualTo("error: unknown configuration variable GATEHOUSE_SERVER_PROT");
    }

    @Test
    void aSecondServerOnTheSameStoreOrPortStopsWithOneLine() throws Exception {
        Path data = tmp.resolve("shared");
        try (ServerProcess first = ServerProcess.start(Map.of(), "--port", "0", "--data", data.toString())) {
            String sameStore = runToEnd("--port", "0", "--data", data.toString());
            assertThat(sameStore).startsWith("exit 1:").contains("error: the embedded store").contains("in use by another Gatehouse process");
            String samePort = runToEnd("--port", String.valueOf(first.baseUri().getPort()), "--data", tmp.resolve("other").toString());
            assertThat(samePort).startsWith("exit 1:").contains("error: cannot listen on 127.0.0.1:" + first.baseUri().getPort());
            assertThat(get(first.baseUri(), "healthz", null).statusCode()).as("the first server is unharmed").isEqualTo(200);
        }
    }

    /** Runs `serve` to its end; returns "exit N:" and the last line of its output. */
    private static String runToEnd(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", ServerProcess.jar().toString(), "serve"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
        Process p = pb.start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).strip().lines().toList();
        return "exit " + p.waitFor() + ": " + (lines.isEmpty() ? "" : lines.get(lines.size() - 1));
    }

    private HttpResponse<String> get(URI base, String path, String token) throws Exception {
        return send(base, "GET", path, null, token);
    }

    private HttpResponse<String> send(URI base, String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
