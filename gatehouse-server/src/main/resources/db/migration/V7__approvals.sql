-- Approvals: held calls and their one-time grants, per-human approver tokens, break-glass grants,
-- and the outbox of approval webhook notifications. Portable SQL: H2 2.x and PostgreSQL 12+.

-- A gateway call held for a human decision. No raw arguments: the digest binds a grant to the exact call,
-- the summary (classified values masked by the gateway) is what the approver reads.
-- status: pending | approved | denied | used; a pending or approved row past expires_at reads as expired.
-- While pending, expires_at is the deadline for a decision; once approved, it is the grant's deadline.
CREATE TABLE approval_requests (
    id               VARCHAR(40)   PRIMARY KEY,
    identity_id      VARCHAR(64)   NOT NULL,
    chain            VARCHAR(2000) NOT NULL,
    on_behalf_of     VARCHAR(64),
    task_id          VARCHAR(64)   NOT NULL,
    intent           VARCHAR(2000),
    tool_id          VARCHAR(300)  NOT NULL,
    arguments_digest VARCHAR(64)   NOT NULL,
    summary          VARCHAR(4000),
    risk             VARCHAR(16),
    policies         VARCHAR(8000) NOT NULL,
    approvers        VARCHAR(4000) NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_by       VARCHAR(64),
    reason           VARCHAR(2000),
    decided_at       TIMESTAMP WITH TIME ZONE,
    used_at          TIMESTAMP WITH TIME ZONE,
    -- digest of (task, tool, arguments digest) while the request is pending, else NULL: the unique index keeps
    -- two gateway nodes holding the same call at once from opening two requests (two grants would run it twice).
    pending_key      VARCHAR(64)   UNIQUE
);
CREATE INDEX approval_requests_call ON approval_requests (task_id, tool_id, arguments_digest, status);
CREATE INDEX approval_requests_status ON approval_requests (status, created_at);
CREATE INDEX approval_requests_identity ON approval_requests (identity_id, created_at);

-- A human authenticating as itself to approve, deny or break glass. Only SHA-256 of the token is kept.
CREATE TABLE approver_tokens (
    id          VARCHAR(40)  PRIMARY KEY,
    human_id    VARCHAR(64)  NOT NULL REFERENCES identities (id),
    name        VARCHAR(200) NOT NULL,
    token_hash  VARCHAR(64)  NOT NULL UNIQUE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by  VARCHAR(200) NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    revoked_by  VARCHAR(200),
    last_used   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX approver_tokens_human ON approver_tokens (human_id);

-- Emergency, time-boxed access a human gave an identity: bypasses approval holds (never hard guards).
CREATE TABLE break_glass_grants (
    id            VARCHAR(40)   PRIMARY KEY,
    identity_id   VARCHAR(64)   NOT NULL REFERENCES identities (id),
    tools         VARCHAR(4000) NOT NULL,
    justification VARCHAR(2000) NOT NULL,
    granted_by    VARCHAR(64)   NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at    TIMESTAMP WITH TIME ZONE,
    revoked_by    VARCHAR(200)
);
CREATE INDEX break_glass_identity ON break_glass_grants (identity_id, expires_at);

-- Outbox of approval webhook notifications, written in the transaction of the event they announce and
-- delivered (signed, retried with backoff) by a background thread. lease_until keeps two nodes from
-- sending the same row at the same moment.
CREATE TABLE approval_notifications (
    id              VARCHAR(40)    PRIMARY KEY,
    event           VARCHAR(64)    NOT NULL,
    body            VARCHAR(16000) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts        INTEGER        NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at    TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(500)
);
CREATE INDEX approval_notifications_due ON approval_notifications (delivered_at, next_attempt_at);
