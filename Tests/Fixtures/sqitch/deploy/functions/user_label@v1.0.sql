-- Deploy flipr:functions/user_label as of @v1.0
BEGIN;
CREATE OR REPLACE VIEW app.user_label AS SELECT id, name AS label FROM app.users;
COMMIT;
