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
