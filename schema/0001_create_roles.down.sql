DROP ROLE IF EXISTS svc_notifier, svc_billing, svc_analyzer, svc_collector, svc_api;
