-- Cases the catalog comparison proves against PostgreSQL.
CREATE TABLE pk_unique (id int PRIMARY KEY UNIQUE);
CREATE TABLE pk_named (id int PRIMARY KEY, CONSTRAINT pk_named_by_unique UNIQUE (id), code text UNIQUE);

CREATE TYPE mood_scale AS ENUM ('sad', 'happy');
ALTER TYPE mood_scale ADD VALUE 'ok' BEFORE 'happy';
ALTER TYPE mood_scale ADD VALUE 'ecstatic' AFTER 'happy';

CREATE TYPE money_pair AS (amount numeric(12,2), currency char(3));
CREATE TYPE doomed_pair AS (y text);
DROP TYPE doomed_pair;

CREATE TABLE priced (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    price money_pair,
    currency char(3) NOT NULL DEFAULT 'USD',
    label varchar(16) DEFAULT NULL,
    ratio numeric DEFAULT (1 + 2) * 3,
    span interval(3),
    window_length interval day to second DEFAULT '1 day',
    total numeric GENERATED ALWAYS AS ((price).amount * 2) STORED,
    CHECK ((ratio + 1) * 2 > 0),
    CHECK (char_length(currency) = 3 AND (ratio IS NULL OR ratio >= 0))
);
ALTER TABLE priced ALTER COLUMN currency TYPE text, ALTER COLUMN label TYPE text;
CREATE INDEX priced_expr ON priced ((id - (id - 1)), lower(currency)) WHERE ratio IS NOT NULL AND (ratio > 1 OR ratio < -1);
COMMENT ON TABLE priced IS 'Prices, with ''quotes''';
COMMENT ON COLUMN priced.ratio IS 'a ratio';

CREATE MATERIALIZED VIEW priced_summary AS SELECT currency, count(*) AS n FROM priced GROUP BY currency;
CREATE UNIQUE INDEX priced_summary_currency ON priced_summary (currency);
CREATE VIEW priced_recent AS SELECT p.id, p.ratio * 2 AS doubled FROM priced p WHERE p.ratio > (1 + 2) * 3;
COMMENT ON VIEW priced_recent IS 'recent prices';
DROP MATERIALIZED VIEW priced_summary;
CREATE INDEX priced_summary_currency ON priced (currency);

CREATE SCHEMA scoped;
BEGIN;
SET LOCAL search_path TO scoped;
CREATE TABLE inside_transaction (id int);
COMMIT;
CREATE TABLE after_transaction (id int);

CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE TABLE null_defaults (a timestamptz DEFAULT NULL, b varchar(10) DEFAULT NULL, c positive_int DEFAULT NULL, d text, n int, m int);
ALTER TABLE null_defaults ALTER COLUMN d SET DEFAULT NULL;
CREATE SEQUENCE null_defaults_n_seq OWNED BY null_defaults.n;
CREATE SEQUENCE null_defaults_m_seq;
ALTER SEQUENCE null_defaults_m_seq OWNED BY null_defaults.m;
ALTER TABLE null_defaults RENAME COLUMN m TO mm;
ALTER TABLE null_defaults DROP COLUMN n;

CREATE TABLE renamed_later (a int CHECK (a > 0), b int, g int GENERATED ALWAYS AS (a * 2) STORED);
CREATE INDEX renamed_later_expr ON renamed_later ((a + b)) WHERE a IS NOT NULL;
ALTER TABLE renamed_later RENAME COLUMN a TO "Renamed";

DO $$ BEGIN CREATE ROLE steward_fixture_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE granted (id int, secret text);
CREATE SEQUENCE granted_seq;
GRANT ALL PRIVILEGES ON granted TO steward_fixture_reader;
REVOKE TRUNCATE, TRIGGER ON TABLE granted FROM steward_fixture_reader;
GRANT SELECT ON granted TO PUBLIC;
GRANT SELECT (secret) ON granted TO steward_fixture_reader;
GRANT USAGE ON SEQUENCE granted_seq TO steward_fixture_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA scoped TO steward_fixture_reader;
CREATE TABLE scoped.created_after_the_grant (id int);
ALTER TABLE granted RENAME TO granted_renamed;
CREATE VIEW granted_view AS SELECT id FROM granted_renamed;
GRANT SELECT ON granted_view TO steward_fixture_reader;
CREATE OR REPLACE VIEW granted_view AS SELECT id, secret FROM granted_renamed;
