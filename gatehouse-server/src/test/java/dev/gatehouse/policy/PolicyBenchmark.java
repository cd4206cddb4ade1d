package dev.gatehouse.policy;

import static dev.gatehouse.policy.PolicyTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestGatehouse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decision benchmark (opt-in: {@code -Dgatehouse.bench=true}); numbers go to docs/policy-benchmarks.md (a section for docs/benchmarks.md).
 * In-process decisions through the full pipeline (guards, inventory reads, Cedar) for 10, 100 and
 * 1,000 policies, then {@code POST /access/v1/evaluation} over HTTP, sequential and concurrent.
 */
@EnabledIfSystemProperty(named = "gatehouse.bench", matches = "true")
class PolicyBenchmark {
    private static final int WARMUP = 200;
    private static final int MEASURED = 1500;

    @TempDir
    Path tmp;

    /** N policies shaped like real ones: half scoped permits, half conditional forbids. */
    static String policies(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
                s.append("@id(\"p").append(i).append("\")\npermit(principal is Gatehouse::Agent, action == Gatehouse::Action::\"read\", ")
                        .append("resource is Gatehouse::Tool) when { context.request.inScope && principal.tags.contains(\"team-")
                        .append(i).append("\") || resource.name == \"get_issue\" };\n");
            } else {
                s.append("@id(\"f").append(i).append("\")\nforbid(principal, action, resource is Gatehouse::Tool) ")
                        .append("when { resource.destination == \"external\" && context.data.level >= ").append(2 + i).append(" };\n");
            }
        }
        return s.toString();
    }

    /** The N policies in files of at most 1,000 (a file is at most 500,000 characters). */
    static Map<String, String> files(int n) {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        String all = policies(n);
        String[] statements = all.split("(?<=;\n)");
        for (int i = 0; i < statements.length; i += 1000) {
            files.put("p" + (i / 1000) + ".cedar", String.join("", java.util.Arrays.copyOfRange(statements, i, Math.min(i + 1000, statements.length))));
        }
        return files;
    }

    @Test
    void decisions() throws Exception {
        List<String> lines = new ArrayList<>();
        try (TestGatehouse server = TestGatehouse.start(tmp, null, Map.of("server.maxBodyBytes", "16777216"))) {
            human(server, "alice");
            agent(server, "triage-bot", "alice", "assistive", "team-1");
            githubTools(server);
            DefaultDecisionService decisions = (DefaultDecisionService) server.gatehouse().decisions();
            DecisionRequest request = new DecisionRequest(DecisionRequest.EntityRef.of("agent", "triage-bot"), "read",
                    DecisionRequest.EntityRef.of("tool", "github/get_issue"), Map.of("data", Map.of("level", 1)));
            for (int n : new int[] {10, 100, 1000, 10_000}) {
                push(server, files(n), "activate", 201);
                for (int i = 0; i < WARMUP; i++) decisions.explain(request, "bench");
                long[] micros = new long[MEASURED];
                long start = System.nanoTime();
                for (int i = 0; i < MEASURED; i++) {
                    long t = System.nanoTime();
                    assertThat(decisions.explain(request, "bench").decision().allowed()).isTrue();
                    micros[i] = (System.nanoTime() - t) / 1000;
                }
                lines.add(row("in-process decide, " + n + " policies", MEASURED, System.nanoTime() - start, micros));
                // The same decision without its durable record: the pipeline and the engine alone.
                for (int i = 0; i < WARMUP * 10; i++) decisions.evaluate(request);
                long[] unrecorded = new long[MEASURED * 10];
                start = System.nanoTime();
                for (int i = 0; i < unrecorded.length; i++) {
                    long t = System.nanoTime();
                    assertThat(decisions.evaluate(request).allowed()).isTrue();
                    unrecorded[i] = (System.nanoTime() - t) / 1000;
                }
                lines.add(row("in-process evaluate (no record), " + n + " policies", unrecorded.length, System.nanoTime() - start, unrecorded));
            }

            push(server, policies(100));
            String body = "{\"subject\":{\"type\":\"agent\",\"id\":\"triage-bot\"},\"action\":{\"name\":\"read\"},"
                    + "\"resource\":{\"type\":\"tool\",\"id\":\"github/get_issue\"}}";
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest post = HttpRequest.newBuilder(URI.create(server.baseUri() + "access/v1/evaluation"))
                    .header("Authorization", "Bearer " + TestGatehouse.ADMIN_TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            for (int i = 0; i < WARMUP; i++) http.send(post, HttpResponse.BodyHandlers.ofString());
            long[] micros = new long[MEASURED];
            long start = System.nanoTime();
            for (int i = 0; i < MEASURED; i++) {
                long t = System.nanoTime();
                HttpResponse<String> r = http.send(post, HttpResponse.BodyHandlers.ofString());
                micros[i] = (System.nanoTime() - t) / 1000;
                assertThat(r.body()).isEqualTo("{\"decision\":true}");
            }
            lines.add(row("HTTP POST /access/v1/evaluation, 100 policies, 1 client", MEASURED, System.nanoTime() - start, micros));

            int clients = 4;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long[] all = new long[MEASURED];
            start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int offset = c;
                futures.add(pool.submit(() -> {
                    for (int i = offset; i < MEASURED; i += clients) {
                        long t = System.nanoTime();
                        http.send(post, HttpResponse.BodyHandlers.ofString());
                        all[i] = (System.nanoTime() - t) / 1000;
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
            lines.add(row("HTTP POST /access/v1/evaluation, 100 policies, " + clients + " clients", MEASURED, System.nanoTime() - start, all));
            pool.shutdown();
        }
        System.out.println("| scenario | requests | throughput (/s) | p50 (ms) | p99 (ms) |");
        System.out.println("|---|---|---|---|---|");
        lines.forEach(System.out::println);
    }

    private static String row(String name, int n, long nanos, long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        double throughput = n / (nanos / 1e9);
        return String.format(java.util.Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f |", name, n, throughput,
                sorted[n / 2] / 1000.0, sorted[(int) Math.ceil(n * 0.99) - 1] / 1000.0);
    }

}
