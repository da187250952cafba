CREATE OR REPLACE VIEW app.user_label AS SELECT id, name AS label FROM app.users;
