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
                assertThat(entry.has("level") && entry.has("formattedMessage")).as(line).isTrue();
                assertThat(entry.get("formattedMessage").asText()).as("arguments filled in").doesNotContain("{}");
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
            // Checked before anything is created: no store, no key files, no bootstrap token printed in vain.
            assertThat(tmp.resolve("other")).doesNotExist();
            assertThat(samePort).doesNotContain("Bootstrap admin token");
            assertThat(get(first.baseUri(), "healthz", null).statusCode()).as("the first server is unharmed").isEqualTo(200);
        }
    }

    @Test
    void aLostBootstrapTokenIsResetOfflineAndTheOldOneStopsWorking() throws Exception {
        Path data = tmp.resolve("data");
        String lost;
        try (ServerProcess server = ServerProcess.start(Map.of(), "--port", "0", "--data", data.toString())) {
            lost = server.stdout().stream().filter(l -> l.startsWith("Bootstrap admin token")).findFirst().orElseThrow().replaceAll(".*: ", "");
            assertThat(server.stdout()).anyMatch(l -> l.contains("gatehouse admin-token reset --data " + data));
            String refused = gatehouse("admin-token", "reset", "--data", data.toString());
            assertThat(refused).startsWith("exit 1:").contains("error: the store in").contains("is in use by a running Gatehouse server: stop it first");
            assertThat(get(server.baseUri(), "v1/identities", lost).statusCode()).as("a refused reset changes nothing").isEqualTo(200);
        }
        String reset = gatehouse("admin-token", "reset", "--data", data.toString());
        assertThat(reset).startsWith("exit 0:");
        String fresh = reset.substring(reset.indexOf("export GATEHOUSE_TOKEN=") + "export GATEHOUSE_TOKEN=".length()).strip();
        try (ServerProcess again = ServerProcess.start(Map.of(), "--port", "0", "--data", data.toString())) {
            assertThat(get(again.baseUri(), "v1/identities", lost).statusCode()).isEqualTo(401);
            assertThat(get(again.baseUri(), "v1/identities", fresh).statusCode()).isEqualTo(200);
            String events = get(again.baseUri(), "v1/audit/events?type=admin.token.reset", fresh).body();
            assertThat(events).contains("admin.token.reset").contains("system:admin-token-reset").doesNotContain(fresh);
        }
        assertThat(gatehouse("admin-token", "reset", "--data", tmp.resolve("nothing-here").toString()))
                .startsWith("exit 1:").contains("error: no Gatehouse store in");
        assertThat(tmp.resolve("nothing-here")).doesNotExist();
    }

    /** Runs `serve` to its end; returns "exit N:" and the last line of its output. */
    private static String runToEnd(String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("serve"));
        all.addAll(List.of(args));
        String out = gatehouse(all.toArray(String[]::new));
        String status = out.substring(0, out.indexOf(':') + 1);
        List<String> lines = out.substring(status.length()).strip().lines().toList();
        return status + " " + (lines.isEmpty() ? "" : lines.get(lines.size() - 1));
    }

    /** Runs the jar with {@code args} to its end; returns "exit N:" and its whole output. */
    private static String gatehouse(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", ServerProcess.jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        return "exit " + p.waitFor() + ": " + output;
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
