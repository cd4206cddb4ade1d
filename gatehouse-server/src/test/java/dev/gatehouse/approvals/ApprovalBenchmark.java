package dev.gatehouse.approvals;

import dev.gatehouse.core.Secrets;
import dev.gatehouse.testing.TestGatehouse;
import dev.gatehouse.testing.TestStores;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * What approvals add to the gateway's path, in process against the production wiring: a grant lookup
 * that finds nothing (the common case), a break-glass check that finds nothing, and a full
 * hold → approve → consume cycle. Run with {@code -Dgatehouse.bench=true [-Dgatehouse.bench.store=POSTGRES]}.
 */
@EnabledIfSystemProperty(named = "gatehouse.bench", matches = "true")
class ApprovalBenchmark {
    @TempDir
    Path tmp;

    @Test
    void approvalsOnTheGatewayPath() throws Exception {
        TestStores.Kind store = TestStores.Kind.valueOf(System.getProperty("gatehouse.bench.store", "H2"));
        try (TestGatehouse gh = TestGatehouse.start(tmp, TestStores.freshUrl(store, tmp), Map.of())) {
            ApprovalFixture f = new ApprovalFixture(gh);
            ApprovalService approvals = gh.gatehouse().approvals();
            int cycles = 500;
            for (int i = 0; i < 200; i++) cycle(approvals, f, "warm-" + i);
            long start = System.nanoTime();
            for (int i = 0; i < cycles; i++) cycle(approvals, f, "task-" + i);
            double cyclesPerSecond = cycles / ((System.nanoTime() - start) / 1e9);

            int n = 5000;
            long[] miss = new long[n];
            long[] glass = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                approvals.consumeGrant("task-" + (i % cycles), "ops/deploy_service", ApprovalFixture.DIGEST);
                miss[i] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                approvals.breakGlassCovers("deployer", "ops/deploy_service");
                glass[i] = System.nanoTime() - t0;
            }
            System.out.printf("approvals bench [%s]: hold+approve+consume %.0f cycles/s; consumeGrant miss %s; breakGlassCovers miss %s%n",
                    store, cyclesPerSecond, percentiles(miss), percentiles(glass));
        }
    }

    private static void cycle(ApprovalService approvals, ApprovalFixture f, String task) {
        String digest = Secrets.sha256Hex(task);
        ApprovalRequest r = approvals.hold(f.call(task, digest, List.of("owner")));
        approvals.approve(r.id(), "alice", dev.gatehouse.approvals.ApproverProof.approverToken("bench", java.time.Instant.now()), null);
        if (!approvals.consumeGrant(task, "ops/deploy_service", digest)) throw new AssertionError("grant not consumed");
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("p50 %.2f / p95 %.2f / p99 %.2f ms", sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.95)] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6);
    }
}
