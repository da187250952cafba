-- One database role per service: grants below give each service only what it owns
-- plus the documented read paths. Roles are cluster-wide, hence the guards.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'svc_api') THEN CREATE ROLE svc_api NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'svc_collector') THEN CREATE ROLE svc_collector NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'svc_analyzer') THEN CREATE ROLE svc_analyzer NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'svc_billing') THEN CREATE ROLE svc_billing NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'svc_notifier') THEN CREATE ROLE svc_notifier NOLOGIN; END IF;
END
$$;
