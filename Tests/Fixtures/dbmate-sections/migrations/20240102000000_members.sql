-- migrate:up
CREATE TABLE members (team_id int REFERENCES teams, login text NOT NULL, PRIMARY KEY (team_id, login));
-- migrate:down
DROP TABLE members;
