-- +goose Up
CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id));
LOCK TABLE users IN SHARE MODE;
-- +goose Down
DROP TABLE orders;
