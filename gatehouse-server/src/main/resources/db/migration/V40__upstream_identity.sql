-- Every hop keeps its identity upstream (issue 18).

-- How the gateway authenticates to a tool server: 'static' (injected upstream credentials, as before),
-- 'gatehouse-jwt' (a JWT minted per request) or 'oauth' (MCP authorization: token exchange at the upstream's
-- authorization server). upstream_resource: the RFC 8707 resource indicator, when it is not the URL.
ALTER TABLE tool_servers ADD COLUMN upstream_auth VARCHAR(32) DEFAULT 'static' NOT NULL;
ALTER TABLE tool_servers ADD COLUMN upstream_resource VARCHAR(2000);

-- Static upstream credentials may be bound to one identity, or to the owner an assistive agent acts for,
-- instead of the whole server: bound_kind 'server' (bound_id ''), 'identity' or 'owner'. The key changes, so
-- the rows move to a new table (H2 and PostgreSQL name primary-key constraints differently).
CREATE TABLE gateway_upstream_secrets (
    server_id     VARCHAR(64)   NOT NULL REFERENCES tool_servers (id) ON DELETE CASCADE,
    bound_kind    VARCHAR(16)   NOT NULL,
    bound_id      VARCHAR(64)   NOT NULL,
    type          VARCHAR(32)   NOT NULL,
    header_name   VARCHAR(128),
    token_url     VARCHAR(2000),
    client_id     VARCHAR(500),
    scope         VARCHAR(1000),
    secret_sealed VARCHAR(8000) NOT NULL,
    version       BIGINT        NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by    VARCHAR(200)  NOT NULL,
    PRIMARY KEY (server_id, bound_kind, bound_id)
);
INSERT INTO gateway_upstream_secrets (server_id, bound_kind, bound_id, type, header_name, token_url, client_id, scope, secret_sealed,
                                      version, updated_at, updated_by)
    SELECT server_id, 'server', '', type, header_name, token_url, client_id, scope, secret_sealed, version, updated_at, updated_by
    FROM gateway_upstream_credentials;
DROP TABLE gateway_upstream_credentials;
