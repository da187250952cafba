-- api: dashboard view over collector's and analyzer's tables.
CREATE VIEW repository_dashboard AS
SELECT r.id,
       r.full_name,
       count(ar.id) FILTER (WHERE ar.status = 'failed') AS failed_runs,
       max(ar.finished_at) AS last_run_at
FROM repositories r
LEFT JOIN analysis_runs ar ON ar.repository_id = r.id
GROUP BY r.id, r.full_name;
