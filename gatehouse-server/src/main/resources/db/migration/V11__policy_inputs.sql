-- What policies can weigh beyond the call itself. Portable SQL: H2 2.x and PostgreSQL 12+.

-- The use case a task was opened for (NULL: the identity declares none), its data ceiling (0 public ..
-- 3 restricted) and allowed destinations; how its identity authenticated (client_secret, private_key_jwt,
-- federated) and the federated issuer.
ALTER TABLE tasks ADD COLUMN use_case VARCHAR(64);
ALTER TABLE tasks ADD COLUMN data_ceiling INTEGER DEFAULT 3 NOT NULL;
ALTER TABLE tasks ADD COLUMN destinations_json VARCHAR(4000);
ALTER TABLE tasks ADD COLUMN auth_method VARCHAR(32);
ALTER TABLE tasks ADD COLUMN auth_issuer VARCHAR(500);

-- Calls a task made, by effect (context.session.effectCounts) …
ALTER TABLE gateway_task_state ADD COLUMN read_calls BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE gateway_task_state ADD COLUMN write_calls BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE gateway_task_state ADD COLUMN execute_calls BIGINT DEFAULT 0 NOT NULL;
-- … and by object (context.session.toolCalls). Written under the task row's lock, so never contended.
CREATE TABLE gateway_task_object_calls (
    task_id   VARCHAR(40)   NOT NULL REFERENCES tasks (id),
    object_id VARCHAR(2100) NOT NULL,
    calls     BIGINT        NOT NULL,
    PRIMARY KEY (task_id, object_id)
);
