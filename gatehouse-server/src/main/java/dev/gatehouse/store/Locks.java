package dev.gatehouse.store;

/**
 * Named locks that every node of a cluster respects: a row of {@code store_locks} locked until the current
 * transaction ends. For work any node may start at the same moment on an empty store (bootstrap, first
 * signing key), where "check, then insert" would let two nodes both insert.
 */
public final class Locks {
    /** Known lock names; each is a row created by migration V13. */
    public static final String BOOTSTRAP = "bootstrap";
    public static final String SIGNING_KEYS = "signing_keys";

    private Locks() {}

    /** Blocks until this transaction holds {@code name}; released by commit or rollback. */
    public static void hold(Transactions tx, String name) {
        if (Sql.one(tx.connection(), "SELECT name FROM store_locks WHERE name = ? FOR UPDATE", r -> r.string("name"), name).isEmpty()) {
            throw new IllegalStateException("no store lock named " + name);
        }
    }
}
