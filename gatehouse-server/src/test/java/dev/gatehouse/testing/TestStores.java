package dev.gatehouse.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The two stores every repository test runs on: embedded H2 in a temp directory and the real
 * PostgreSQL named by the {@code gatehouse.test.pg} system property (CI: 127.0.0.1:5432/test),
 * each test getting its own fresh schema there.
 */
public final class TestStores {
    public enum Kind { H2, POSTGRES }

    private TestStores() {}

    public static String pgBaseUrl() {
        return System.getProperty("gatehouse.test.pg", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    /** A JDBC URL to an empty store of {@code kind}. */
    public static String freshUrl(Kind kind, Path tempDir) {
        if (kind == Kind.H2) {
            return "jdbc:h2:file:" + tempDir.resolve("gh-" + UUID.randomUUID()).toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
        }
        String schema = "gh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(pgBaseUrl(), pgUser(), null); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + pgBaseUrl() + " is required for the repository suite: " + e.getMessage(), e);
        }
        return pgBaseUrl() + (pgBaseUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static String pgUser() {
        return System.getProperty("gatehouse.test.pg.user", "postgres");
    }
}
