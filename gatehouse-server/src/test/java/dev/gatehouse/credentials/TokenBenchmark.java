package dev.gatehouse.credentials;

import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.testing.TestStores;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token issuance throughput and introspection latency, recorded in docs/benchmarks.md. Not part
 * of the suite (no timing assertions); run on purpose:
 * {@code mvn -o -B test -pl gatehouse-server -am -Dtest=TokenBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dgatehouse.bench=true [-Dgatehouse.bench.store=POSTGRES]}
 */
@EnabledIfSystemProperty(named = "gatehouse.bench", matches = "true")
class TokenBenchmark {
    @TempDir Path dir;

    @Test
    void issuanceAndIntrospection() throws Exception {
        TestStores.Kind store = TestStores.Kind.valueOf(System.getProperty("gatehouse.bench.store", "H2"));
        try (TestGatehouse gh = TestGatehouse.start(dir, TestStores.freshUrl(store, dir), Map.of())) {
            Broker b = new Broker(gh).standard();
            String secret = b.addSecret("triage-bot").path("secret").asText();
            for (int i = 0; i < 200; i++) b.accessToken("triage-bot", secret); // warm-up (JIT, pools)

            int sequential = 1000;
            long t0 = System.nanoTime();
            for (int i = 0; i < sequential; i++) b.accessToken("triage-bot", secret, "scope", "github/list_issues read");
            double seqSeconds = (System.nanoTime() - t0) / 1e9;

            int threads = 8;
            int perThread = 250;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long t1 = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) b.accessToken("triage-bot", secret);
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
            double parSeconds = (System.nanoTime() - t1) / 1e9;
            pool.shutdown();

            String token = b.accessToken("triage-bot", secret);
            List<Long> http = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                long s = System.nanoTime();
                HttpResponse<String> r = b.form("/oauth2/introspect", Map.of("token", token), null, null, TestGatehouse.ADMIN_TOKEN);
                http.add(System.nanoTime() - s);
                if (r.statusCode() != 200) throw new AssertionError(r.body());
            }
            List<Long> inProcess = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                long s = System.nanoTime();
                if (!(gh.gatehouse().tokens().check(token) instanceof TokenStatus.Active)) throw new AssertionError("inactive");
                inProcess.add(System.nanoTime() - s);
            }
            System.out.printf("BENCH store=%s cores=%d%n", store, Runtime.getRuntime().availableProcessors());
            System.out.printf("BENCH issuance sequential: %d tokens in %.2fs = %.0f tokens/s%n", sequential, seqSeconds, sequential / seqSeconds);
            System.out.printf("BENCH issuance %d threads: %d tokens in %.2fs = %.0f tokens/s%n", threads, threads * perThread, parSeconds,
                    threads * perThread / parSeconds);
            System.out.printf("BENCH introspection over HTTP (admin bearer): %s%n", percentiles(http));
            System.out.printf("BENCH TokenService.check in process (gateway path): %s%n", percentiles(inProcess));
        }
    }

    private static String percentiles(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format("p50 %.2f ms, p95 %.2f ms, p99 %.2f ms (n=%d)", ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99), sorted.size());
    }

    private static double ms(List<Long> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.round(q * (sorted.size() - 1)))) / 1e6;
    }
}
