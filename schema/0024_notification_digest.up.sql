-- notifier: weekly digest state.
CREATE TABLE digest_runs (
    id          serial PRIMARY KEY,
    week_start  date NOT NULL UNIQUE,
    sent_count  integer NOT NULL DEFAULT 0,
    finished_at timestamp(0)
);
ALTER TABLE outbound_emails ADD COLUMN digest_run_id integer REFERENCES digest_runs ON DELETE SET NULL;
