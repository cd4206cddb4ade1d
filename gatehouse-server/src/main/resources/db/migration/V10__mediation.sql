-- Complete mediation at the gateway. Portable SQL: H2 2.x and PostgreSQL 12+.

-- Every feature a tool server offers (MCP server features): tools, resources (exact URI, URI template or
-- prefix*) and prompts, each classified and pinned. Replaces the tools-only table.
-- pinned_digest: SHA-256 of the definition an admin approved (NULL: approved before first seen, pinned then);
-- pinned_fields: digest of each field of that definition (JSON), to name what changed; input_schema: the JSON
-- Schema of its arguments as last seen (types context.input); suggested: what its MCP annotations suggest;
-- seen_digest / seen_at / changed_fields: the definition the upstream shows now when it differs (quarantine).
CREATE TABLE server_features (
    server_id      VARCHAR(64)   NOT NULL REFERENCES tool_servers (id) ON DELETE CASCADE,
    kind           VARCHAR(16)   NOT NULL,
    name           VARCHAR(2000) NOT NULL,
    description    VARCHAR(4000),
    effect         VARCHAR(16)   NOT NULL,
    risk           VARCHAR(16)   NOT NULL,
    destination    VARCHAR(16)   NOT NULL,
    classified     BOOLEAN       NOT NULL,
    pinned_digest  VARCHAR(64),
    seen_digest    VARCHAR(64),
    seen_at        TIMESTAMP WITH TIME ZONE,
    changed_fields VARCHAR(1000),
    pinned_fields  VARCHAR(4000),
    input_schema   VARCHAR(100000),
    suggested      VARCHAR(200),
    PRIMARY KEY (server_id, kind, name)
);
INSERT INTO server_features (server_id, kind, name, description, effect, risk, destination, classified)
    SELECT server_id, 'tool', name, description, effect, risk, destination, classified FROM tools;
DROP TABLE tools;

-- Taint that follows an identity across its tasks: when a task of an identity (or a task delegated to it)
-- reads data of a sensitive classification level, a row records the level for every identity of the chain. Policies see the
-- highest level raised within the configured window as context.session.identityTaintLevel.
-- Rows are only appended (no contention between concurrent tasks) and expire with the window.
CREATE TABLE gateway_identity_taint (
    identity_id VARCHAR(64) NOT NULL,
    level       INTEGER     NOT NULL,
    raised_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    task_id     VARCHAR(40) NOT NULL
);
CREATE INDEX gateway_identity_taint_identity ON gateway_identity_taint (identity_id, raised_at);

-- The client credentials a token was minted with, every hop of its chain: [{"id":…,"version":…}]. version is the
-- SHA-256 of the client secret that authenticated (or the key's thumbprint), so a token dies with the secret it
-- came from once that secret is rotated out, revoked or expired.
ALTER TABLE access_tokens ADD COLUMN credentials_json VARCHAR(4000);

-- Held calls name any governed object (a resource id can be a long URI).
ALTER TABLE approval_requests ALTER COLUMN tool_id SET DATA TYPE VARCHAR(2100);
