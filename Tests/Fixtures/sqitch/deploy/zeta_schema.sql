-- Deploy flipr:zeta_schema to pg
\set ON_ERROR_STOP 1

BEGIN;
CREATE SCHEMA app;
-- psql substitutes the registry variable that sqitch passes with --set.
SELECT :'registry' AS registry_schema;
COMMIT;
