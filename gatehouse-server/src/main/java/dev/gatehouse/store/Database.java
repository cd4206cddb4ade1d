package dev.gatehouse.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/**
 * The store: a pooled DataSource on embedded H2 (a file under the data directory) or on
 * PostgreSQL, migrated by Flyway on start. One schema, one repository implementation; the
 * SQL in migrations and repositories sticks to what both engines accept.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Transactions transactions;
    private final boolean postgres;
    private final String url;
    private final String user;
    private final String password;

    private Database(HikariDataSource dataSource, boolean postgres, String url, String user, String password) {
        this.dataSource = dataSource;
        this.postgres = postgres;
        this.url = url;
        this.user = user;
        this.password = password;
        this.transactions = new Transactions(dataSource);
    }

    /** The embedded default: {@code <dataDir>/gatehouse.mv.db}. */
    public static String embeddedUrl(Path dataDir) {
        // DB_CLOSE_ON_EXIT=FALSE: the server closes the pool itself on shutdown, in order.
        // QUERY_CACHE_SIZE: a gateway call or a token issuance runs a few dozen distinct statements on a pooled
        // connection; H2 keeps 8 parsed per session by default and re-parsed the rest every time.
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("gatehouse")
                + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=256";
    }

    public static Database open(String url, String user, String password, int poolSize) {
        boolean postgres = url.startsWith("jdbc:postgresql:");
        if (!postgres && !url.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException("unsupported database URL (expected jdbc:h2:… or jdbc:postgresql:…)");
        }
        if (url.startsWith("jdbc:h2:file:")) {
            createParentDirectory(url);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null) config.setUsername(user);
        if (password != null) config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("gatehouse");
        config.setAutoCommit(true);
        config.setInitializationFailTimeout(10_000);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (com.zaxxer.hikari.pool.HikariPool.PoolInitializationException e) {
            throw new dev.gatehouse.core.StartupFailure(unreachable(url, e), e);
        }
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration")
                    .failOnMissingLocations(true).load().migrate();
            if (!postgres) {
                // H2 otherwise keeps commits in memory for up to WRITE_DELAY (500 ms): a crash would
                // lose writes (and audit records) the server already acknowledged.
                try (Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement()) {
                    s.execute("SET WRITE_DELAY 0");
                }
            }
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        } catch (SQLException e) {
            ds.close();
            throw new StoreException(e);
        }
        return new Database(ds, postgres, url, user, password);
    }

    /** Why the store cannot be opened, without the URL's parameters (they may carry credentials). */
    private static String unreachable(String url, Exception e) {
        String where = url.split("[;?]", 2)[0];
        String cause = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
        if (cause != null && cause.contains("already in use")) {
            return "the embedded store " + where.substring("jdbc:h2:file:".length())
                    + " is in use by another Gatehouse process (one server per data directory; use PostgreSQL for several nodes)";
        }
        return "cannot open the store at " + where + ": " + (cause == null ? e.getClass().getSimpleName() : cause);
    }

    private static void createParentDirectory(String url) {
        String path = url.substring("jdbc:h2:file:".length()).split(";", 2)[0];
        Path parent = Path.of(path).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create data directory " + parent + ": " + e.getMessage(), e);
        }
    }

    public Transactions transactions() { return transactions; }

    public javax.sql.DataSource dataSource() { return dataSource; }

    public boolean isPostgres() { return postgres; }

    /**
     * A connection outside the pool, for a holder that keeps it for the life of the process (the change feed's
     * LISTEN session): holding a pooled one would shrink the pool for everyone else.
     */
    public Connection openDedicatedConnection() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Readiness: a connection can be had and answers a trivial query. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() { dataSource.close(); }
}
