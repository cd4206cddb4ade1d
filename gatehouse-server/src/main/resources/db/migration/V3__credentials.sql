-- Credential broker: signing keys, client credentials, assertion replay cache, tasks and their tokens.
-- Portable SQL: runs unchanged on embedded H2 2.x and PostgreSQL 12+.

-- Token signing keys. The private JWK is AES-256-GCM sealed under the key-encryption key (never plaintext).
-- status: active (signs) | retiring (verifies until verify_until) | retired (gone from the JWKS).
CREATE TABLE signing_keys (
    kid            VARCHAR(64)   PRIMARY KEY,
    alg            VARCHAR(16)   NOT NULL,
    public_jwk     VARCHAR(4000) NOT NULL,
    private_sealed VARCHAR(8000) NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by     VARCHAR(200)  NOT NULL,
    rotated_at     TIMESTAMP WITH TIME ZONE,
    verify_until   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX signing_keys_status ON signing_keys (status);

-- How a workload or agent authenticates. Client secrets are kept only as SHA-256 of a 256-bit random value;
-- after rotation the previous hash keeps working until previous_valid_until (the overlap window).
CREATE TABLE client_credentials (
    id                   VARCHAR(40)   PRIMARY KEY,
    identity_id          VARCHAR(64)   NOT NULL REFERENCES identities (id),
    type                 VARCHAR(24)   NOT NULL,
    secret_hash          VARCHAR(64)   UNIQUE,
    previous_secret_hash VARCHAR(64),
    previous_valid_until TIMESTAMP WITH TIME ZONE,
    public_jwk           VARCHAR(8000),
    jwk_thumbprint       VARCHAR(64),
    issuer               VARCHAR(500),
    subject              VARCHAR(500),
    expires_at           TIMESTAMP WITH TIME ZONE,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by           VARCHAR(200)  NOT NULL,
    rotated_at           TIMESTAMP WITH TIME ZONE,
    revoked_at           TIMESTAMP WITH TIME ZONE,
    revoked_by           VARCHAR(200),
    last_used            TIMESTAMP WITH TIME ZONE
);
CREATE INDEX client_credentials_identity ON client_credentials (identity_id);
CREATE INDEX client_credentials_previous ON client_credentials (previous_secret_hash);
CREATE INDEX client_credentials_federated ON client_credentials (issuer, subject);

-- JWT client assertions seen (private_key_jwt, federated): a (issuer, jti) pair is accepted once.
-- Rows are kept until the assertion expires, after which a replay fails on exp anyway.
CREATE TABLE assertion_jtis (
    issuer     VARCHAR(500) NOT NULL,
    jti        VARCHAR(256) NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (issuer, jti)
);
CREATE INDEX assertion_jtis_expiry ON assertion_jtis (expires_at);

-- A unit of authorised work: who, why (intent), within what scope, until when.
-- status: active | completed | revoked; an active task past expires_at is reported expired.
CREATE TABLE tasks (
    id            VARCHAR(40)    PRIMARY KEY,
    identity_id   VARCHAR(64)    NOT NULL REFERENCES identities (id),
    owner_id      VARCHAR(64),
    intent        VARCHAR(2000)  NOT NULL,
    scope_json    VARCHAR(20000) NOT NULL,
    credential_id VARCHAR(40),
    attested      BOOLEAN        NOT NULL,
    status        VARCHAR(16)    NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at      TIMESTAMP WITH TIME ZONE,
    ended_by      VARCHAR(200),
    end_reason    VARCHAR(2000)
);
CREATE INDEX tasks_identity ON tasks (identity_id, status);
CREATE INDEX tasks_owner ON tasks (owner_id, status);
CREATE INDEX tasks_status_expiry ON tasks (status, expires_at);

-- Every access token issued (by jti), so that revocation and introspection need no token value.
-- identity_id is the token subject (the task's identity); holder_id the identity that presents it
-- (differs after delegation); chain_json the delegation chain, delegator first.
CREATE TABLE access_tokens (
    jti           VARCHAR(64)    PRIMARY KEY,
    task_id       VARCHAR(40)    NOT NULL REFERENCES tasks (id),
    identity_id   VARCHAR(64)    NOT NULL,
    holder_id     VARCHAR(64)    NOT NULL,
    parent_jti    VARCHAR(64),
    depth         INTEGER        NOT NULL,
    chain_json    VARCHAR(4000)  NOT NULL,
    scope_json    VARCHAR(20000) NOT NULL,
    kid           VARCHAR(64)    NOT NULL,
    issued_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at    TIMESTAMP WITH TIME ZONE,
    revoked_by    VARCHAR(200),
    revoke_reason VARCHAR(2000)
);
CREATE INDEX access_tokens_task ON access_tokens (task_id);
CREATE INDEX access_tokens_identity ON access_tokens (identity_id);
CREATE INDEX access_tokens_holder ON access_tokens (holder_id);
