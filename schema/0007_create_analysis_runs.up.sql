-- analyzer: one run per (repository, commit).
CREATE TYPE analysis_status AS ENUM ('queued', 'running', 'succeeded', 'failed');

CREATE TABLE analysis_runs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    repository_id bigint NOT NULL,
    commit_sha    char(40) NOT NULL,
    status        analysis_status NOT NULL DEFAULT 'queued',
    started_at    timestamptz,
    finished_at   timestamptz,
    error_message text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT analysis_runs_commit_fkey FOREIGN KEY (repository_id, commit_sha)
        REFERENCES commits (repository_id, sha) ON DELETE CASCADE,
    CHECK (finished_at IS NULL OR finished_at >= started_at)
);
CREATE UNIQUE INDEX analysis_runs_repository_commit_key ON analysis_runs (repository_id, commit_sha);
CREATE INDEX analysis_runs_queued_idx ON analysis_runs (created_at) WHERE status = 'queued';
