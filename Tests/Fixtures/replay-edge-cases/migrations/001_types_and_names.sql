-- Type spellings and generated names that must match Postgres's catalog exactly.
CREATE SCHEMA app;
CREATE TYPE app."Mood" AS ENUM ('happy', 'sad');
CREATE TABLE "CamelCase" (
    "Id" serial PRIMARY KEY,
    a numeric(10),
    b numeric(12, 4),
    c numeric,
    d timestamp(3),
    e timestamptz(6),
    f time,
    g timetz,
    h char,
    i char(5),
    j varchar,
    k bit,
    l bit varying(8),
    m double precision,
    n float,
    o float(10),
    p real,
    q interval,
    r int4[],
    s text[][],
    t app."Mood" NOT NULL DEFAULT 'happy',
    u app."Mood"[],
    v decimal(5,2),
    w bool,
    x int8,
    y smallint CHECK (y > 0),
    z bigserial UNIQUE,
    CHECK (a > 0 AND b > 0),
    CHECK (c IS NOT NULL OR m IS NOT NULL)
);
CREATE TABLE app.this_is_a_very_long_table_name_that_will_need_truncation_in_names (
    this_is_a_very_long_column_name_that_also_needs_to_be_truncated int UNIQUE,
    other_column int UNIQUE,
    ref int REFERENCES "CamelCase" ("Id")
);
CREATE TABLE dup (x int UNIQUE, y int);
ALTER TABLE dup ADD UNIQUE (x);
ALTER TABLE dup ADD FOREIGN KEY (y) REFERENCES dup (x);
ALTER TABLE dup ADD FOREIGN KEY (y) REFERENCES dup (x);
CREATE INDEX ON dup (x);
CREATE INDEX ON dup (lower(y::text));
