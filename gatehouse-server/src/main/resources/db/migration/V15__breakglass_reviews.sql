-- Every break-glass grant opens a review that another approver must close within approvals.breakGlassReviewSeconds
-- (issue 13). status: open | closed; an open review past due_at reads as overdue. outcome: appropriate | inappropriate.
CREATE TABLE breakglass_reviews (
    id          VARCHAR(40)   PRIMARY KEY,
    grant_id    VARCHAR(40)   NOT NULL UNIQUE,
    identity_id VARCHAR(64)   NOT NULL,
    granted_by  VARCHAR(64)   NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    due_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    status      VARCHAR(16)   NOT NULL,
    closed_by   VARCHAR(64),
    closed_at   TIMESTAMP WITH TIME ZONE,
    outcome     VARCHAR(16),
    note        VARCHAR(2000)
);
CREATE INDEX breakglass_reviews_status ON breakglass_reviews (status, due_at);
