DROP TABLE app.users; DROP TABLE audit_log;
