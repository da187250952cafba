-- api: login sessions and API tokens.
CREATE TABLE sessions (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_agent  text,
    ip_address  inet,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_account_id_idx ON sessions (account_id);

CREATE TABLE api_tokens (
    id          bigserial PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL,
    scopes      text[] NOT NULL DEFAULT '{}',
    last_used_at timestamptz,
    revoked_at  timestamptz,
    UNIQUE (token_hash)
);
CREATE INDEX ON api_tokens (account_id) WHERE revoked_at IS NULL;
