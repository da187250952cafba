-- Deploy flipr:functions/user_label (reworked)
BEGIN;
CREATE OR REPLACE VIEW app.user_label AS SELECT id, name AS label, email FROM app.users;
COMMIT;
