-- billing owns its own schema: every object in it is billing's.
CREATE SCHEMA billing;

CREATE TYPE billing.plan_interval AS ENUM ('month', 'year');

CREATE TABLE billing.plans (
    id            smallserial PRIMARY KEY,
    code          varchar(32) NOT NULL UNIQUE,
    name          text NOT NULL,
    price_cents   integer NOT NULL CHECK (price_cents >= 0),
    interval      billing.plan_interval NOT NULL DEFAULT 'month',
    seats_included integer NOT NULL DEFAULT 1
);

CREATE TABLE billing.subscriptions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id bigint NOT NULL REFERENCES organizations (id),
    plan_id         smallint NOT NULL REFERENCES billing.plans (id),
    status          varchar(20) NOT NULL DEFAULT 'trialing',
    current_period_start timestamptz NOT NULL,
    current_period_end   timestamptz NOT NULL,
    canceled_at     timestamptz,
    CONSTRAINT subscriptions_period_check CHECK (current_period_end > current_period_start)
);
CREATE UNIQUE INDEX subscriptions_one_active_per_org ON billing.subscriptions (organization_id) WHERE canceled_at IS NULL;
