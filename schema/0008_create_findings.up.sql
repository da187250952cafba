-- analyzer: what each run found.
CREATE TYPE finding_severity AS ENUM ('info', 'warning', 'error');

CREATE TABLE findings (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id      bigint NOT NULL REFERENCES analysis_runs (id) ON DELETE CASCADE,
    rule        varchar(100) NOT NULL,
    severity    finding_severity NOT NULL,
    file_path   text NOT NULL,
    line        integer CHECK (line > 0),
    message     text NOT NULL,
    fingerprint bytea NOT NULL
);
CREATE INDEX findings_run_id_idx ON findings (run_id);
CREATE INDEX findings_rule_severity_idx ON findings (rule, severity);

CREATE TABLE run_metrics (
    run_id        bigint PRIMARY KEY REFERENCES analysis_runs (id) ON DELETE CASCADE,
    files_scanned integer NOT NULL DEFAULT 0,
    duration_ms   integer NOT NULL DEFAULT 0,
    peak_rss_kb   bigint
);
