-- The console: signed-in browser sessions, sign-ins in flight at the IdP, and humans' step-up factors.
-- Portable SQL: H2 2.x and PostgreSQL 12+. No secret is stored in the clear: session ids and OIDC states
-- as SHA-256, TOTP seeds sealed under the key-encryption key, WebAuthn keys are public keys.

-- One browser session. principal: human:<id> (OIDC) or admin-token:<id> (the token form, for first set-up).
-- roles: comma-separated console roles decided at sign-in. step_up_*: the last second factor proved in this
-- session (approving and break-glass need one younger than console.stepUpMaxAgeSeconds).
CREATE TABLE console_sessions (
    id_hash          VARCHAR(64)  PRIMARY KEY,
    principal        VARCHAR(200) NOT NULL,
    human_id         VARCHAR(64)  REFERENCES identities (id),
    display_name     VARCHAR(200) NOT NULL,
    roles            VARCHAR(200) NOT NULL,
    signed_in_with   VARCHAR(32)  NOT NULL,
    csrf_token       VARCHAR(64)  NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen        TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    step_up_at       TIMESTAMP WITH TIME ZONE,
    step_up_factor   VARCHAR(200),
    challenge        VARCHAR(200),
    challenge_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);
CREATE INDEX console_sessions_human ON console_sessions (human_id);

-- An authorization-code sign-in between the redirect to the IdP and its callback (minutes). The PKCE
-- verifier and nonce stay here, never in the browser; browser_hash binds the callback to the browser that
-- started it (a login-CSRF defence).
CREATE TABLE console_sign_ins (
    state_hash     VARCHAR(64)  PRIMARY KEY,
    browser_hash   VARCHAR(64)  NOT NULL,
    code_verifier  VARCHAR(200) NOT NULL,
    nonce          VARCHAR(200) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A human's second factor. type webauthn: credential_id (base64url) and the attested credential data
-- (public key, CBOR, base64url) with its signature counter; type totp: the RFC 6238 seed, sealed, and the
-- last time step accepted (a code is good once).
CREATE TABLE console_factors (
    id              VARCHAR(40)   PRIMARY KEY,
    human_id        VARCHAR(64)   NOT NULL REFERENCES identities (id),
    type            VARCHAR(16)   NOT NULL,
    name            VARCHAR(200)  NOT NULL,
    credential_id   VARCHAR(1400) UNIQUE,
    public_key      VARCHAR(8000),
    sign_count      BIGINT        NOT NULL,
    sealed_secret   VARCHAR(1000),
    last_step       BIGINT,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    -- a TOTP seed counts only once a code made from it was entered (proof the authenticator app holds it)
    confirmed_at    TIMESTAMP WITH TIME ZONE,
    last_used       TIMESTAMP WITH TIME ZONE,
    revoked_at      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX console_factors_human ON console_factors (human_id);
