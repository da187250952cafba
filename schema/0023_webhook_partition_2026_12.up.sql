CREATE TABLE webhook_deliveries_2026_12 PARTITION OF webhook_deliveries
    FOR VALUES FROM ('2026-12-01') TO ('2027-01-01');
CREATE INDEX webhook_deliveries_unprocessed_idx ON webhook_deliveries (received_at) WHERE processed_at IS NULL;
