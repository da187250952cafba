-- Each service role writes what it owns.
GRANT SELECT, INSERT, UPDATE, DELETE ON accounts, organizations, memberships, sessions, api_tokens, audit_events TO svc_api;
GRANT SELECT, INSERT, UPDATE, DELETE ON repositories, commits, webhook_deliveries TO svc_collector;
GRANT SELECT, INSERT, UPDATE, DELETE ON analysis_runs, findings, run_metrics TO svc_analyzer;
GRANT USAGE ON SCHEMA billing TO svc_billing;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA billing TO svc_billing;
GRANT SELECT, INSERT, UPDATE, DELETE ON notification_preferences, outbound_emails TO svc_notifier;
-- Documented read paths.
GRANT SELECT ON repositories, commits TO svc_analyzer;
GRANT SELECT ON repository_dashboard TO svc_api;
