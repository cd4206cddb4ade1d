-- HTTP APIs governed through Envoy's ext_authz: the routes of a tool server, each mapped to one of its tools.
CREATE TABLE http_routes (
    server_id  VARCHAR(64)   NOT NULL REFERENCES tool_servers (id) ON DELETE CASCADE,
    position   INT           NOT NULL,
    method     VARCHAR(10)   NOT NULL,
    path       VARCHAR(1000) NOT NULL,
    tool       VARCHAR(128)  NOT NULL,
    PRIMARY KEY (server_id, position)
);
