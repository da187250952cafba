ALTER TABLE run_metrics RENAME COLUMN peak_rss_kb TO peak_memory_kb;
ALTER TABLE run_metrics ADD COLUMN cpu_ms integer;
