-- The audit chain's query columns move to a derived table. Every index on audit_events was rewritten by
-- every append's commit (most of an embedded append's cost); audit_index is filled from the chain
-- after the fact, many records per commit, by whichever node gets to it first (audit_index_head is
-- its lock and high-water mark), and every query brings it up to the chain's head before it runs.
-- The chain (audit_events) stays the record; this table can be rebuilt from it at any time.
CREATE TABLE audit_index (
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
    resource     VARCHAR(600)
);
INSERT INTO audit_index (seq, at, type, category, outcome, actor, subject, subject_kind, owner_id, task_id, token_id, resource)
    SELECT seq, at, type, category, outcome, actor, subject, subject_kind, owner_id, task_id, token_id, resource FROM audit_events;

CREATE TABLE audit_index_head (
    id  INTEGER PRIMARY KEY,
    seq BIGINT  NOT NULL
);
INSERT INTO audit_index_head (id, seq) SELECT 1, COALESCE(MAX(seq), 0) FROM audit_events;

DROP INDEX audit_events_at;
DROP INDEX audit_events_type;
DROP INDEX audit_events_subject;
DROP INDEX audit_events_actor;
DROP INDEX audit_events_owner;
DROP INDEX audit_events_task;
DROP INDEX audit_events_token;
DROP INDEX audit_events_resource;

CREATE INDEX audit_index_at ON audit_index (at);
CREATE INDEX audit_index_type ON audit_index (type);
CREATE INDEX audit_index_subject ON audit_index (subject);
CREATE INDEX audit_index_actor ON audit_index (actor);
CREATE INDEX audit_index_owner ON audit_index (owner_id);
CREATE INDEX audit_index_task ON audit_index (task_id);
CREATE INDEX audit_index_token ON audit_index (token_id);
CREATE INDEX audit_index_resource ON audit_index (resource);
