package dev.gatehouse.audit;

import dev.gatehouse.store.Database;
import dev.gatehouse.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Append throughput with the chain, group commit and durable acknowledgment, on embedded H2 and
 * PostgreSQL: {@code callers} threads each record events one at a time (every record() waits for
 * its commit), then the chain is exported and verified. Not a unit test (no timing assertions);
 * run by hand, results in docs/benchmarks.md:
 * <pre>java -cp "$(cat cp.txt):target/classes:target/test-classes" dev.gatehouse.audit.AuditAppendBenchmark h2 64 200000</pre>
 * {@code -Dbench.h2suffix=";PAGE_SIZE=16384"} appends settings to the embedded URL to compare H2 tunings.
 */
public final class AuditAppendBenchmark {
    public static void main(String[] args) throws Exception {
        TestStores.Kind kind = args.length > 0 && args[0].equals("pg") ? TestStores.Kind.POSTGRES : TestStores.Kind.H2;
        int callers = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int total = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        Path dir = Files.createTempDirectory("gh-bench");
        String url = kind == TestStores.Kind.H2 ? Database.embeddedUrl(dir) + System.getProperty("bench.h2suffix", "") : TestStores.freshUrl(kind, dir);
        try (Database db = Database.open(url, kind == TestStores.Kind.POSTGRES ? TestStores.pgUser() : null, null, 10);
             JdbcAuditLog log = new JdbcAuditLog(db.transactions(), Clock.systemUTC())) {
            run(log, callers, Math.min(total / 10, 5_000)); // warm-up
            long start = System.nanoTime();
            run(log, callers, total);
            double seconds = (System.nanoTime() - start) / 1e9;
            Checkpoints cps = new Checkpoints(db.transactions(), LocalKeyCheckpointSigner.loadOrCreate(dir.resolve("k.jwk")),
                    Clock.systemUTC(), 1_000_000, Duration.ofHours(1));
            List<String> lines = new ArrayList<>();
            long verifyStart = System.nanoTime();
            new JdbcAuditTrail(db.transactions(), cps).export(0, lines::add);
            ChainVerifier.Result result = ChainVerifier.verify(lines, List.of(), null, false);
            double verifySeconds = (System.nanoTime() - verifyStart) / 1e9;
            System.out.printf("%s: %d events from %d callers in %.2f s = %.0f events/s; export+verify of %d records %.2f s: %s%n",
                    kind, total, callers, seconds, total / seconds, lines.size(), verifySeconds,
                    result instanceof ChainVerifier.Intact ? "intact" : result);
        }
    }

    private static void run(JdbcAuditLog log, int callers, int total) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<?>> futures = new ArrayList<>();
        int per = total / callers;
        for (int c = 0; c < callers; c++) {
            int caller = c;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < per; i++) {
                    log.record(AuditEvent.of("policy.decision", AuditEvent.Category.ACCESS, "allow", "identity:agent-" + caller)
                            .withSubject("agent-" + caller, "agent", "alice").withTask("task-" + caller, "jti-" + caller)
                            .withAction("read", "git/read_file").withPolicy(List.of("p-read"), "v1")
                            .withDetail(Map.of("i", i)));
                }
                return null;
            }));
        }
        for (Future<?> f : futures) f.get();
        pool.shutdown();
    }
}
