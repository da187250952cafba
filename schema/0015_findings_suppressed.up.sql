ALTER TABLE findings ADD COLUMN suppressed boolean NOT NULL DEFAULT false;
ALTER TABLE findings ADD COLUMN suppressed_reason text;
