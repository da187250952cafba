-- billing: metered usage, written by the analyzer through billing's API, read by billing.
CREATE TABLE billing.usage_records (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id bigint NOT NULL,
    metric          varchar(40) NOT NULL,
    quantity        integer NOT NULL CHECK (quantity > 0),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    idempotency_key uuid NOT NULL UNIQUE
);
CREATE INDEX usage_records_org_metric_idx ON billing.usage_records (organization_id, metric, recorded_at);
