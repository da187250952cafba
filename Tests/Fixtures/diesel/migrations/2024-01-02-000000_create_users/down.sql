-- Must never be replayed: a down migration.
DROP TABLE users;
