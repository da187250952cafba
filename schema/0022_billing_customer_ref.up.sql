-- billing: external payment-provider customer per organization.
CREATE TABLE billing.customers (
    organization_id bigint PRIMARY KEY,
    provider        varchar(20) NOT NULL DEFAULT 'stripe',
    provider_ref    varchar(64) NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider, provider_ref)
);
COMMENT ON COLUMN billing.customers.organization_id IS 'organizations.id in the api service; no foreign key on purpose';
