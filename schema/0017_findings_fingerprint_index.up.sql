-- Alone in its file: golang-migrate sends a file as one query, and CREATE INDEX
-- CONCURRENTLY cannot run inside the implicit transaction of a multi-statement query.
CREATE INDEX CONCURRENTLY IF NOT EXISTS findings_fingerprint_idx ON findings (fingerprint);
