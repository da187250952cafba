-- migrate:up
CREATE TABLE teams (id serial PRIMARY KEY, name text NOT NULL UNIQUE);

-- migrate:down
DROP TABLE teams;
