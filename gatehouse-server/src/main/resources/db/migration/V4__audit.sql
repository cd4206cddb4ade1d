-- Audit trail: an append-only hash chain of security events, signed checkpoints over it, and
-- the public keys that verify those checkpoints. Portable SQL: H2 2.x and PostgreSQL 12+.

-- The chain head: one row, updated in the same transaction as every append. Appenders lock it
-- first (UPDATE before SELECT), which serialises appends across threads and across the nodes of
-- a clustered PostgreSQL, so seq and prev_hash are always consistent.
CREATE TABLE audit_head (
    id   INTEGER     PRIMARY KEY,
    seq  BIGINT      NOT NULL,
    hash VARCHAR(64) NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- body is the exact JSON (without "hash") whose RFC 8785 canonical form was hashed; the other
-- columns are copies of its fields for filtering and are never trusted by verification.
CREATE TABLE audit_events (
    seq          BIGINT        PRIMARY KEY,
    at           TIMESTAMP WITH TIME ZONE NOT NULL,
    type         VARCHAR(100)  NOT NULL,
    category     VARCHAR(16)   NOT NULL,
    outcome      VARCHAR(32),
    actor        VARCHAR(300),
    subject      VARCHAR(300),
    subject_kind VARCHAR(16),
    owner_id     VARCHAR(300),
    task_id      VARCHAR(300),
    token_id     VARCHAR(300),
    resource     VARCHAR(600),
    prev_hash    VARCHAR(64)   NOT NULL,
    hash         VARCHAR(64)   NOT NULL,
    body         VARCHAR(1000000) NOT NULL
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_type ON audit_events (type);
CREATE INDEX audit_events_subject ON audit_events (subject);
CREATE INDEX audit_events_actor ON audit_events (actor);
CREATE INDEX audit_events_owner ON audit_events (owner_id);
CREATE INDEX audit_events_task ON audit_events (task_id);
CREATE INDEX audit_events_token ON audit_events (token_id);
CREATE INDEX audit_events_resource ON audit_events (resource);

-- jws is the compact ES256 JWS over {"seq","hash","time"}; seq/hash/at are its payload, copied.
CREATE TABLE audit_checkpoints (
    seq  BIGINT       PRIMARY KEY,
    hash VARCHAR(64)  NOT NULL,
    at   TIMESTAMP WITH TIME ZONE NOT NULL,
    kid  VARCHAR(100) NOT NULL,
    jws  VARCHAR(4000) NOT NULL
);

-- Public halves only: every key that ever signed a checkpoint stays here so old checkpoints
-- remain verifiable after a key change or from another node of a cluster.
CREATE TABLE audit_keys (
    kid        VARCHAR(100)  PRIMARY KEY,
    public_jwk VARCHAR(4000) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- How far each export sink (the webhook) has delivered; delivery is at-least-once, in seq order.
CREATE TABLE audit_sink_cursors (
    name VARCHAR(100) PRIMARY KEY,
    seq  BIGINT       NOT NULL
);
