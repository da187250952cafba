BEGIN;
ALTER TABLE app.users ADD COLUMN email text;
CREATE UNIQUE INDEX users_email_key ON app.users (lower(email));
COMMIT;
