package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * One transaction per command. A service opens it with {@link #inTransaction}; repositories
 * called inside take {@link #connection()} and never commit on their own, so a command that
 * touches several features (e.g. a registry change and its audit record) commits or fails whole.
 *
 * <p>Lock order, the same in every transaction so that none can deadlock with another: identities
 * (and groups, tool servers) → tasks → access tokens → gateway state → approvals → the audit head,
 * always last. The audit log keeps the last place structurally: events recorded inside a
 * transaction are appended by a {@linkplain #beforeCommit before-commit} step, after all other work.
 */
public final class Transactions {
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    private final DataSource dataSource;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();
    private final ThreadLocal<List<Runnable>> beforeCommit = new ThreadLocal<>();
    private final ThreadLocal<List<Runnable>> afterCommit = new ThreadLocal<>();
    private final ThreadLocal<Map<Object, Object>> locals = new ThreadLocal<>();

    public Transactions(DataSource dataSource) { this.dataSource = dataSource; }

    public <T> T inTransaction(Work<T> work) {
        if (current.get() != null) {
            return runJoined(work); // nested call joins the outer transaction
        }
        return execute(work, true);
    }

    /**
     * Runs {@code work} in a transaction that is always rolled back: a dry run that takes the real code
     * path (the same validation, constraints, listeners and before-commit steps) and keeps nothing; its
     * after-commit steps never run. Cannot join an outer transaction, whose own changes it would discard.
     */
    public <T> T inRolledBackTransaction(Work<T> work) {
        if (current.get() != null) throw new IllegalStateException("a rolled-back transaction cannot join one in progress");
        return execute(work, false);
    }

    private <T> T execute(Work<T> work, boolean commit) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            current.set(connection);
            beforeCommit.set(new ArrayList<>());
            afterCommit.set(new ArrayList<>());
            locals.set(new HashMap<>());
            try {
                T result = work.run();
                // Steps may register further steps (an audit record of a step's own work); run until none is left.
                List<Runnable> steps = beforeCommit.get();
                for (int i = 0; i < steps.size(); i++) steps.get(i).run();
                if (!commit) {
                    rollbackQuietly(connection, null);
                    return result;
                }
                connection.commit();
                List<Runnable> committed = afterCommit.get();
                current.remove();
                afterCommit.remove(); // a step's own afterCommit, outside any transaction now, runs at once
                // What must follow a durable change on this node (in-memory views), on the caller's thread, before it returns.
                for (Runnable step : committed) step.run();
                return result;
            } catch (Throwable t) {
                if (current.get() != null) rollbackQuietly(connection, t);
                throw t;
            } finally {
                current.remove();
                beforeCommit.remove();
                afterCommit.remove();
                locals.remove();
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    public void run(Runnable work) {
        inTransaction(() -> { work.run(); return null; });
    }

    /**
     * Runs {@code step} at the end of the transaction in progress, after its work and before its commit
     * (a failing step rolls the whole transaction back). Steps run in registration order.
     */
    public void beforeCommit(Runnable step) {
        List<Runnable> steps = beforeCommit.get();
        if (steps == null) throw new IllegalStateException("beforeCommit outside a transaction");
        steps.add(step);
    }

    /**
     * Runs {@code step} once the transaction in progress has committed (never after a rollback), on the
     * committing thread before {@link #inTransaction} returns, outside the transaction — e.g. to update an
     * in-memory view or wake a reader of what it wrote. Outside a transaction it runs at once. A step that
     * throws is the step's problem: the commit stands, and the exception reaches the caller.
     */
    public void afterCommit(Runnable step) {
        List<Runnable> steps = afterCommit.get();
        if (steps == null) step.run();
        else steps.add(step);
    }

    /** A value that lives as long as the transaction in progress: created by {@code create} on first use under {@code key}. */
    @SuppressWarnings("unchecked")
    public <T> T transactionLocal(Object key, Supplier<T> create) {
        Map<Object, Object> values = locals.get();
        if (values == null) throw new IllegalStateException("transactionLocal outside a transaction");
        return (T) values.computeIfAbsent(key, k -> create.get());
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
            if (cause == null) throw new StoreException(e);
            cause.addSuppressed(e);
        }
    }
}
