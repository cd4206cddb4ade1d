-- MCP gateway. Portable SQL: runs unchanged on embedded H2 2.x and PostgreSQL 12+.

-- Session state of a task as the gateway sees it, shared by every node: the highest classification
-- level (0 public .. 3 restricted) the task has read through any tool (its taint, which only rises)
-- and how many tool calls it made. Policies see them as context.session.{taintLevel, calls}.
CREATE TABLE gateway_task_state (
    task_id     VARCHAR(40) PRIMARY KEY REFERENCES tasks (id),
    taint_level INTEGER     NOT NULL,
    calls       BIGINT      NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Credentials the gateway injects when it forwards to an upstream tool server, so agents never hold
-- them and rotating them touches no agent. type: header (a static header, e.g. X-Api-Key) |
-- oauth_client_credentials (the gateway fetches and caches a token from the upstream's authorization
-- server). Secrets are AES-256-GCM sealed under the key-encryption key, bound to the server id.
CREATE TABLE gateway_upstream_credentials (
    server_id     VARCHAR(64)   PRIMARY KEY REFERENCES tool_servers (id) ON DELETE CASCADE,
    type          VARCHAR(32)   NOT NULL,
    header_name   VARCHAR(128),
    token_url     VARCHAR(2000),
    client_id     VARCHAR(500),
    scope         VARCHAR(1000),
    secret_sealed VARCHAR(8000) NOT NULL,
    version       BIGINT        NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by    VARCHAR(200)  NOT NULL
);
