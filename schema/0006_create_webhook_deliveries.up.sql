-- collector: raw GitHub webhook deliveries, partitioned by month.
CREATE TABLE webhook_deliveries (
    delivery_id  uuid NOT NULL,
    received_at  timestamptz NOT NULL,
    event        varchar(64) NOT NULL,
    payload      jsonb NOT NULL,
    processed_at timestamptz,
    PRIMARY KEY (delivery_id, received_at)
) PARTITION BY RANGE (received_at);

CREATE TABLE webhook_deliveries_2026_10 PARTITION OF webhook_deliveries
    FOR VALUES FROM ('2026-10-01') TO ('2026-11-01');
CREATE TABLE webhook_deliveries_2026_11 PARTITION OF webhook_deliveries
    FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
