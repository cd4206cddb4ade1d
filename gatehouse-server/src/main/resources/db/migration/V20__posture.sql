-- Posture: identities over time. Access reviews, discovered (unmanaged) identities, activity rollups of the
-- audit trail (usage and anomaly baselines), anomaly alerts, the scheduler's cursors and notices, and the
-- outbox of posture webhook notifications. Portable SQL: H2 2.x and PostgreSQL 12+.

-- An access review (recertification): every workload and agent in scope, each item answered by its owner.
-- status: open | closed. scope_json: {"kinds":[…],"owners":[…],"environments":[…]} as asked.
CREATE TABLE access_reviews (
    id          VARCHAR(40)   PRIMARY KEY,
    name        VARCHAR(200)  NOT NULL,
    scope_json  VARCHAR(8000) NOT NULL,
    due_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    on_missed   VARCHAR(16)   NOT NULL,
    status      VARCHAR(16)   NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by  VARCHAR(200)  NOT NULL,
    closed_at   TIMESTAMP WITH TIME ZONE,
    closed_by   VARCHAR(200)
);
CREATE INDEX access_reviews_due ON access_reviews (status, due_at);

-- One identity of a review. decision: keep | reduce | revoke, or missed when the review closed unanswered;
-- outcome: what was done about it (kept, scope_reduced, retired, suspended, none, pending, skipped: …).
CREATE TABLE access_review_items (
    review_id    VARCHAR(40)    NOT NULL REFERENCES access_reviews (id),
    identity_id  VARCHAR(64)    NOT NULL,
    owner_id     VARCHAR(64),
    decision     VARCHAR(16),
    scope_json   VARCHAR(20000),
    comment      VARCHAR(2000),
    decided_by   VARCHAR(200),
    decided_at   TIMESTAMP WITH TIME ZONE,
    outcome      VARCHAR(200),
    PRIMARY KEY (review_id, identity_id)
);
CREATE INDEX access_review_items_owner ON access_review_items (owner_id);

-- Non-human identities found outside the inventory: imported from cloud and SaaS exports, or seen presenting a
-- verified federated token no identity is bound to. Kept apart from identities: they have no owner, purpose or
-- scope, are never granted anything, and adoption creates the inventory identity. status: unmanaged | adopted.
CREATE TABLE discovered_identities (
    id           VARCHAR(40)    PRIMARY KEY,
    source       VARCHAR(64)    NOT NULL,
    external_id  VARCHAR(1000)  NOT NULL,
    name         VARCHAR(300)   NOT NULL,
    status       VARCHAR(16)    NOT NULL,
    facts_json   VARCHAR(100000) NOT NULL,
    first_seen   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen    TIMESTAMP WITH TIME ZONE NOT NULL,
    seen_count   BIGINT         NOT NULL,
    adopted_as   VARCHAR(64),
    adopted_at   TIMESTAMP WITH TIME ZONE,
    adopted_by   VARCHAR(200),
    UNIQUE (source, external_id)
);
CREATE INDEX discovered_identities_status ON discovered_identities (status);

-- Rollups of the audit trail's gateway records, per identity (the token holder): calls per hour, and per UTC day
-- what was used. kind: tool (value = scope id, effect set) | server | destination | level (classification level
-- read) | finding (a content finding type the identity sent). Written only by the ingest, which holds the
-- activity cursor's row lock, so a plain update-else-insert has no competitor.
CREATE TABLE posture_activity_hours (
    identity_id VARCHAR(64) NOT NULL,
    hour_start  TIMESTAMP WITH TIME ZONE NOT NULL,
    calls       BIGINT      NOT NULL,
    PRIMARY KEY (identity_id, hour_start)
);
CREATE TABLE posture_usage_days (
    identity_id VARCHAR(64)   NOT NULL,
    usage_day   VARCHAR(10)   NOT NULL,
    kind        VARCHAR(16)   NOT NULL,
    item        VARCHAR(2100) NOT NULL,
    effect      VARCHAR(16),
    calls       BIGINT        NOT NULL,
    PRIMARY KEY (identity_id, usage_day, kind, item)
);
CREATE INDEX posture_usage_days_item ON posture_usage_days (identity_id, kind, item);

-- Alerts raised against an identity's baseline. seq: the audit record that raised it. action: none | suspend
-- (then action_done_at once the suspension happened or was moot).
CREATE TABLE anomaly_alerts (
    id             VARCHAR(40)   PRIMARY KEY,
    type           VARCHAR(64)   NOT NULL,
    identity_id    VARCHAR(64)   NOT NULL,
    severity       VARCHAR(16)   NOT NULL,
    seq            BIGINT        NOT NULL,
    occurred_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    detail_json    VARCHAR(8000) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    action         VARCHAR(16)   NOT NULL,
    action_done_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX anomaly_alerts_identity ON anomaly_alerts (identity_id, created_at);
CREATE INDEX anomaly_alerts_created ON anomaly_alerts (created_at);

-- Cursors of the posture scheduler over the audit chain (name activity: the last seq ingested). Every node
-- ingests under this row's lock, so a record is counted once on a cluster.
CREATE TABLE posture_cursors (
    name       VARCHAR(64) PRIMARY KEY,
    seq        BIGINT      NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO posture_cursors (name, seq, updated_at) VALUES ('activity', 0, CURRENT_TIMESTAMP);

-- Notices sent once (a credential warning per deadline, a review reminder per owner, an alert per hour …): the
-- primary key makes the first node to insert it the only one that sends it.
CREATE TABLE posture_notices (
    notice     VARCHAR(600) PRIMARY KEY,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Outbox of posture webhook notifications (same shape as approval_notifications).
CREATE TABLE posture_notifications (
    id              VARCHAR(40)    PRIMARY KEY,
    event           VARCHAR(64)    NOT NULL,
    body            VARCHAR(16000) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts        INTEGER        NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at    TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(500)
);
CREATE INDEX posture_notifications_due ON posture_notifications (delivered_at, next_attempt_at);
