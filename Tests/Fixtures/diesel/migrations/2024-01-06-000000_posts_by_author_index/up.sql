CREATE INDEX CONCURRENTLY posts_published_idx ON posts (author_id, (lower(title))) WHERE published_at IS NOT NULL
