CREATE TABLE events (
    id bigint NOT NULL,
    at timestamptz NOT NULL,
    order_id int REFERENCES orders (id),
    body jsonb,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE events_old (id bigint NOT NULL, at timestamptz NOT NULL, order_id int, body jsonb);
ALTER TABLE events ATTACH PARTITION events_old FOR VALUES FROM ('2000-01-01') TO ('2026-01-01');
ALTER TABLE events ADD COLUMN source text NOT NULL DEFAULT 'api';
ALTER TABLE events ALTER COLUMN body TYPE json;
