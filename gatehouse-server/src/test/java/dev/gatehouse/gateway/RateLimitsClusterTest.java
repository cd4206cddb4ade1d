package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.Database;
import dev.gatehouse.store.LeasedBudgets;
import dev.gatehouse.testing.TestStores;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gateway limits on two nodes of one PostgreSQL hold cluster-wide within 10 %, whichever node the calls reach. */
class RateLimitsClusterTest {
    @TempDir
    Path tmp;

    @Test
    void twoNodesTogetherAdmitTheLimitNotTwiceIt() throws Exception {
        String url = TestStores.freshUrl(TestStores.Kind.POSTGRES, tmp);
        try (Database one = Database.open(url, TestStores.pgUser(), null, 4); Database two = Database.open(url, TestStores.pgUser(), null, 4)) {
            RateLimits a = new RateLimits(new McpGateway.Limits(0, 200, 0, 0, new LeasedBudgets(one.transactions(), Clock.systemUTC())),
                    Clock.systemUTC());
            RateLimits b = new RateLimits(new McpGateway.Limits(0, 200, 0, 0, new LeasedBudgets(two.transactions(), Clock.systemUTC())),
                    Clock.systemUTC());
            // Alternating, then all on one node: the pattern that strands the most capacity in the other node's lease.
            int admitted = 0;
            for (int i = 0; i < 300; i++) {
                RateLimits node = i < 150 && i % 2 == 0 ? a : b;
                if (node.admit("bot", "task-1", 10).isEmpty()) admitted++;
            }
            assertThat(admitted).isBetween(180, 200);
            // Another task has its own budget.
            assertThat(a.admit("bot", "task-2", 10)).isEmpty();
        }
    }
}
