package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One transaction per command. A service opens it with {@link #inTransaction}; repositories
 * called inside take {@link #connection()} and never commit on their own, so a command that
 * touches several features (e.g. a registry change and its audit record) commits or fails whole.
 */
public final class Transactions {
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    private final DataSource dataSource;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();

    public Transactions(DataSource dataSource) { this.dataSource = dataSource; }

    public <T> T inTransaction(Work<T> work) {
        if (current.get() != null) {
            return runJoined(work); // nested call joins the outer transaction
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            current.set(connection);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (Throwable t) {
                rollbackQuietly(connection, t);
                throw t;
            } finally {
                current.remove();
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Runs {@code work} in a transaction that is always rolled back: a dry run that takes the real code
     * path (the same validation, constraints and listeners) and keeps nothing. Cannot join an outer
     * transaction, whose own changes it would otherwise discard.
     */
    public <T> T inRolledBackTransaction(Work<T> work) {
        if (current.get() != null) throw new IllegalStateException("a rolled-back transaction cannot join one in progress");
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            current.set(connection);
            try {
                return work.run();
            } finally {
                current.remove();
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    public void run(Runnable work) {
        inTransaction(() -> { work.run(); return null; });
    }

    /** True when this thread is inside {@link #inTransaction}, so work joins that transaction. */
    public boolean inProgress() { return current.get() != null; }

    /** The connection of the transaction in progress on this thread. */
    public Connection connection() {
        Connection connection = current.get();
        if (connection == null) {
            throw new IllegalStateException("repository used outside a transaction");
        }
        return connection;
    }

    private static <T> T runJoined(Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
