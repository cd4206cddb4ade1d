-- Cluster coordination (issue 13): named locks, the change feed, shared rate budgets, key activation times.
-- Portable SQL: H2 2.x and PostgreSQL 12+.

-- Rows locked with SELECT … FOR UPDATE to serialise work every node might start at once (store/Locks).
CREATE TABLE store_locks (
    name VARCHAR(64) PRIMARY KEY
);
INSERT INTO store_locks (name) VALUES ('bootstrap');
INSERT INTO store_locks (name) VALUES ('signing_keys');

-- The change feed (store/ChangeFeed). Publishing increments the head row, whose lock is held until commit, so
-- sequence order is commit order and a reader that has seen seq n has seen everything before it.
CREATE TABLE change_feed_head (
    id  INTEGER PRIMARY KEY,
    seq BIGINT  NOT NULL
);
INSERT INTO change_feed_head (id, seq) VALUES (1, 0);

CREATE TABLE change_log (
    seq        BIGINT       PRIMARY KEY,
    topic      VARCHAR(64)  NOT NULL,
    change_key VARCHAR(500) NOT NULL,
    at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX change_log_at ON change_log (at);

-- Cluster-wide limits (store/LeasedBudgets): how much of a budget the nodes together have taken in one window.
CREATE TABLE shared_budgets (
    budget_key   VARCHAR(300) NOT NULL,
    window_start BIGINT       NOT NULL,
    used         BIGINT       NOT NULL,
    PRIMARY KEY (budget_key, window_start)
);
CREATE INDEX shared_budgets_window ON shared_budgets (window_start);

-- A signing key signs from activate_at on: after every node has published it in its JWKS.
ALTER TABLE signing_keys ADD COLUMN activate_at TIMESTAMP WITH TIME ZONE;
UPDATE signing_keys SET activate_at = created_at;
