-- migrate:up
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id bigint REFERENCES users (id),
    total numeric(10,2) NOT NUL
);
CREATE INDEX orders_user_id_idx ON orders (user_id);
-- migrate:down
DROP TABLE orders;
