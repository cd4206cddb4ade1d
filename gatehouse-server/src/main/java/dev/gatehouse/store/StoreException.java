package dev.gatehouse.store;

import java.sql.SQLException;

/** The store failed; callers treat it as unavailable, never as an answer. */
public final class StoreException extends RuntimeException {
    public StoreException(SQLException cause) { super("store error: " + cause.getMessage(), cause); }

    /** True when the cause is a unique-key violation (SQLState class 23, unique 23505 on both H2 and PostgreSQL). */
    public boolean isUniqueViolation() {
        return cause() != null && "23505".equals(cause().getSQLState());
    }

    private SQLException cause() { return (SQLException) getCause(); }
}
