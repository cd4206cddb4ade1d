package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.core.Json;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.testing.TestStores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The acknowledgment promise under a hard crash: a server in its own JVM takes writes from a load
 * generator, is killed with SIGKILL mid-load, and after a restart on the same store the chain
 * verifies and every write the server acknowledged (HTTP 201) has its audit record.
 */
class AuditDurabilityTest {
    private static final Pattern LISTENING = Pattern.compile("Gatehouse listening on (http://\\S+)");

    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void everyAcknowledgedEventSurvivesSigkill(TestStores.Kind kind) throws Exception {
        Path data = dir.resolve("data");
        String dbUrl = kind == TestStores.Kind.H2 ? null : TestStores.freshUrl(kind, dir);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.gatehouse.cli.Main", "serve", "--port", "0", "--data", data.toString()));
        if (dbUrl != null) command.addAll(List.of("--db", dbUrl, "--db-user", TestStores.pgUser()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
        if (dbUrl != null) pb.environment().put("GATEHOUSE_SERVER_PUBLIC_URL", "http://gatehouse.test");
        pb.environment().put("GATEHOUSE_BOOTSTRAP_TOKEN", TestGatehouse.ADMIN_TOKEN);
        // every authenticated request records an event through the group-commit writer
        pb.environment().put("GATEHOUSE_AUDIT_AUTH_SUCCESS_SECONDS", "0");
        Process server = pb.start();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicLong acknowledgedReads = new java.util.concurrent.atomic.AtomicLong();
        try {
            URI base = awaitListening(server);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> load = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                Thread worker = new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String id = "u-" + thread + "-" + i;
                        String body = Json.write(Map.of("id", id, "kind", "human", "displayName", id, "email", id + "@example.com"));
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/identities"))
                                    .header("Authorization", "Bearer " + TestGatehouse.ADMIN_TOKEN)
                                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 201) acknowledged.add(id);
                            HttpResponse<String> read = http.send(HttpRequest.newBuilder(base.resolve("/v1/groups"))
                                    .header("Authorization", "Bearer " + TestGatehouse.ADMIN_TOKEN).timeout(Duration.ofSeconds(10))
                                    .GET().build(), HttpResponse.BodyHandlers.ofString());
                            if (read.statusCode() == 200) acknowledgedReads.incrementAndGet();
                        } catch (Exception e) {
                            return; // the server is gone
                        }
                    }
                });
                worker.start();
                load.add(worker);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.size() < 200 && System.nanoTime() < deadline) Thread.sleep(20);
            // SIGKILL while the generator is still writing: no shutdown hook, no pool close, no flush.
            Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(server.pid())).start();
            assertThat(kill.waitFor()).isZero();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isEqualTo(137);
            stop.set(true);
            for (Thread w : load) w.join(15_000);
        } finally {
            server.destroyForcibly();
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(200);

        try (TestGatehouse restarted = TestGatehouse.start(data, dbUrl, Map.of())) {
            List<String> lines = restarted.http("GET", "/v1/audit/export", null, TestGatehouse.ADMIN_TOKEN).body().lines().toList();
            JWKSet keys = JWKSet.parse(restarted.http("GET", "/v1/audit/jwks", null, TestGatehouse.ADMIN_TOKEN).body());
            ChainVerifier.Result result = ChainVerifier.verify(lines, List.of(), keys, false);
            assertThat(result).isInstanceOf(ChainVerifier.Intact.class);

            Set<String> created = new HashSet<>();
            long readsRecorded = 0;
            for (String line : lines) {
                JsonNode n = Json.MAPPER.readTree(line);
                if (n.has("type") && n.get("type").asText().equals("identity.create")) created.add(n.get("subject").asText());
                if (n.has("type") && n.get("type").asText().equals("admin.auth") && "GET /v1/groups".equals(n.path("action").asText())) {
                    readsRecorded++;
                }
            }
            // in-transaction path: each acknowledged create has its record
            assertThat(created).containsAll(acknowledged);
            // group-commit path: each acknowledged read was preceded by its durable authentication record
            assertThat(acknowledgedReads.get()).isPositive();
            assertThat(readsRecorded).isGreaterThanOrEqualTo(acknowledgedReads.get());
        }
    }

    private static URI awaitListening(Process server) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) { /* keep the pipe from filling up */ }
                    } catch (java.io.IOException ignored) {
                        // process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return URI.create(m.group(1));
            }
        }
        throw new AssertionError("server exited before listening:\n" + seen);
    }
}
