-- billing: invoices and their lines.
CREATE TABLE billing.invoices (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id bigint NOT NULL REFERENCES billing.subscriptions (id),
    number          varchar(32) NOT NULL UNIQUE,
    amount_cents    bigint NOT NULL,
    currency        char(3) NOT NULL DEFAULT 'EUR',
    issued_at       timestamptz NOT NULL DEFAULT now(),
    paid_at         timestamptz
);

CREATE TABLE billing.invoice_lines (
    invoice_id  bigint NOT NULL REFERENCES billing.invoices (id) ON DELETE CASCADE,
    position    smallint NOT NULL,
    description text NOT NULL,
    quantity    numeric(12,3) NOT NULL DEFAULT 1,
    unit_cents  bigint NOT NULL,
    PRIMARY KEY (invoice_id, position)
);
