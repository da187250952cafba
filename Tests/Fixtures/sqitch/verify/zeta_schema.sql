SELECT 1/count(*) FROM pg_namespace WHERE nspname = 'app';
