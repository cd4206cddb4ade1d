package dev.gatehouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes started together on an empty PostgreSQL: one bootstrap admin token, one active signing key, every time. */
class ClusterStartTest {
    static final String KEK = "c2hhcmVkLWtleS1lbmNyeXB0aW9uLWtleS0zMmJ5dGU=";
    private static final int TRIES = Integer.getInteger("gatehouse.test.clusterStartTries", 20);
    private static final int NODES = 2;

    @TempDir
    Path tmp;

    /** Configuration of one node of a cluster on {@code dbUrl}: shared KEK and public URL, its own data directory. */
    static Map<String, String> node(Path dataDir, String dbUrl) {
        Map<String, String> c = new HashMap<>();
        c.put("server.port", "0");
        c.put("server.publicUrl", "https://gatehouse.test");
        c.put("dataDir", dataDir.toString());
        c.put("db.url", dbUrl);
        c.put("db.user", TestStores.pgUser());
        c.put("kek", KEK);
        return c;
    }

    @Test
    void nodesStartedTogetherOnAnEmptyStoreCreateOneAdminTokenAndOneActiveKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(NODES);
        try {
            for (int attempt = 1; attempt <= TRIES; attempt++) {
                String db = TestStores.freshUrl(TestStores.Kind.POSTGRES, tmp);
                CyclicBarrier together = new CyclicBarrier(NODES);
                List<Future<Gatehouse>> starts = new ArrayList<>();
                for (int n = 0; n < NODES; n++) {
                    Path data = tmp.resolve("try" + attempt + "-node" + n);
                    starts.add(pool.submit(() -> {
                        together.await();
                        Gatehouse g = new Gatehouse(ConfigLoader.load(null, Map.of(), node(data, db)), Clock.systemUTC());
                        g.bootstrap(null);
                        return g;
                    }));
                }
                List<Optional<String>> printed = new ArrayList<>();
                for (Future<Gatehouse> f : starts) {
                    try (Gatehouse g = f.get()) {
                        printed.add(Optional.empty());
                    }
                }
                assertThat(count(db, "SELECT COUNT(*) FROM admin_tokens")).as("admin tokens after try " + attempt).isEqualTo(1);
                assertThat(count(db, "SELECT COUNT(*) FROM signing_keys WHERE status = 'active'")).as("active keys after try " + attempt)
                        .isEqualTo(1);
                assertThat(count(db, "SELECT COUNT(*) FROM signing_keys")).as("keys after try " + attempt).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNodeOnPostgresqlWithoutAPublicUrlRefusesToStartWithOneLine() {
        Map<String, String> config = node(tmp.resolve("n"), TestStores.pgBaseUrl());
        config.remove("server.publicUrl");
        assertThatThrownBy(() -> new Gatehouse(ConfigLoader.load(null, Map.of(), config), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("server.publicUrl is required with PostgreSQL: every node must issue and accept tokens under the same URL "
                        + "(e.g. GATEHOUSE_SERVER_PUBLIC_URL=https://gatehouse.example.com)");
        config.put("server.publicUrl", "https://a.example");
        config.put("credentials.issuer", "https://b.example");
        assertThatThrownBy(() -> new Gatehouse(ConfigLoader.load(null, Map.of(), config), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("differ");
    }

    static long count(String db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db, TestStores.pgUser(), null);
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
