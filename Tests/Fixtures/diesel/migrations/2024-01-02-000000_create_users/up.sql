CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email VARCHAR(320) NOT NULL UNIQUE,
    score INTEGER NOT NULL DEFAULT (1 + 2) * 3,
    created_at TIMESTAMP NOT NULL DEFAULT now(),
    CONSTRAINT users_score_check CHECK ((score + 1) * 2 > 0)
);
COMMENT ON TABLE users IS 'People who sign in';
