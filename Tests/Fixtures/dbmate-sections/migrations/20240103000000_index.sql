-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY members_login_idx ON members (login);

-- migrate:down
DROP INDEX members_login_idx;
