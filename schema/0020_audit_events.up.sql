-- api: security audit trail.
CREATE TABLE audit_events (
    id          bigint GENERATED ALWAYS AS IDENTITY,
    account_id  bigint REFERENCES accounts (id) ON DELETE SET NULL,
    action      varchar(64) NOT NULL,
    target      text,
    metadata    jsonb,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id)
);
CREATE INDEX audit_events_account_occurred_idx ON audit_events (account_id, occurred_at DESC);
