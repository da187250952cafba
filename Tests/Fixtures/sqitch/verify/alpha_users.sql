SELECT id, name FROM app.users WHERE false; DROP TABLE audit_log;
