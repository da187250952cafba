-- +goose Up
CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL);

-- +goose StatementBegin
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION touch();
DROP TABLE users;
