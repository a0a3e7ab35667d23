-- Digest section "utilization": ONE statement, mean worker CPU (user + system) per pipeline over the
-- current period, from system.compute.node_timeline (classic compute only, per minute, 90 days)
-- joined to the pipelines' update clusters, found in billing (usage_metadata.cluster_id; NULL for
-- serverless, so serverless pipelines get no row). Maintenance clusters are left out: their CPU
-- says nothing about the update cluster's size. wait_avg (cpu_wait_percent) and net_avg (bytes sent +
-- received per worker-minute) tell idle CPUs that wait on storage or the network — an I/O- or
-- shuffle-bound cluster, which fewer workers would make slower — from an oversized one; mem_avg
-- (mem_used_percent) tells a cluster held back by memory (GC, spill), which fewer nodes would worsen.
-- skewed_minutes / counted_minutes: minutes (with >= 3 workers reporting) in which the busiest worker
-- ran at >= 60% CPU and >= 3x the median worker — the data-skew rule's per-minute test: one worker
-- doing the work is skew, not too many workers. driver_cpu_avg / driver_mem_avg: a driver-bound
-- pipeline (collect(), planning, Python on the driver) leaves workers idle that it still needs.
-- *_day_before / *_day_after: the UTC day of that timestamp parameter minus / plus one, derived by
-- src/databricks/billing-days.ts (never CAST(:ts AS DATE), which reads the warehouse session time zone).
-- Parameters: :period_start, :period_end (timestamps), :pipeline_ids (comma-separated string or NULL).
WITH pipeline_clusters AS (
  SELECT DISTINCT u.usage_metadata.dlt_pipeline_id AS pipeline_id, u.usage_metadata.cluster_id AS cluster_id
  FROM system.billing.usage u
  WHERE u.usage_metadata.dlt_pipeline_id IS NOT NULL
    AND u.usage_metadata.cluster_id IS NOT NULL
    AND u.usage_metadata.dlt_maintenance_id IS NULL
    AND u.billing_origin_product = 'DLT'
    AND (:pipeline_ids IS NULL OR array_contains(split(:pipeline_ids, ','), u.usage_metadata.dlt_pipeline_id))
    AND u.usage_date >= CAST(:period_start_day_before AS DATE)
    AND u.usage_date <= CAST(:period_end_day_after AS DATE)
    AND u.usage_start_time >= CAST(:period_start AS TIMESTAMP)
    AND u.usage_start_time < CAST(:period_end AS TIMESTAMP)
),
-- the period's node_timeline rows of those clusters, read once for the three aggregates below
nodes AS (
  SELECT c.pipeline_id, n.cluster_id, n.start_time, n.driver,
    n.cpu_user_percent + n.cpu_system_percent AS cpu,
    n.cpu_wait_percent, n.mem_used_percent,
    coalesce(n.network_sent_bytes, 0) + coalesce(n.network_received_bytes, 0) AS net_bytes
  FROM system.compute.node_timeline n
  JOIN pipeline_clusters c ON n.cluster_id = c.cluster_id
  WHERE n.start_time >= CAST(:period_start AS TIMESTAMP)
    AND n.start_time < CAST(:period_end AS TIMESTAMP)
),
worker_minutes AS (
  SELECT pipeline_id, cluster_id, start_time, max(cpu) AS busiest, median(cpu) AS med, COUNT(*) AS workers
  FROM nodes
  WHERE driver = false
  GROUP BY pipeline_id, cluster_id, start_time
),
skew AS (
  SELECT pipeline_id,
    SUM(CASE WHEN workers >= 3 AND busiest >= 60 AND busiest >= 3 * greatest(med, 1) THEN 1 ELSE 0 END) AS skewed_minutes,
    SUM(CASE WHEN workers >= 3 THEN 1 ELSE 0 END) AS counted_minutes
  FROM worker_minutes
  GROUP BY pipeline_id
),
driver AS (
  SELECT pipeline_id, avg(cpu) AS driver_cpu_avg, avg(mem_used_percent) AS driver_mem_avg
  FROM nodes
  WHERE driver = true
  GROUP BY pipeline_id
),
workers AS (
  SELECT pipeline_id,
    avg(cpu) AS cpu_avg,
    avg(cpu_wait_percent) AS wait_avg,
    avg(mem_used_percent) AS mem_avg,
    avg(net_bytes) AS net_avg,
    COUNT(*) AS worker_minutes,
    COUNT(DISTINCT cluster_id) AS clusters
  FROM nodes
  WHERE driver = false
  GROUP BY pipeline_id
)
SELECT w.pipeline_id, w.cpu_avg, w.wait_avg, w.mem_avg, w.net_avg, w.worker_minutes, w.clusters,
  s.skewed_minutes, s.counted_minutes, d.driver_cpu_avg, d.driver_mem_avg
FROM workers w
LEFT JOIN skew s ON s.pipeline_id = w.pipeline_id
LEFT JOIN driver d ON d.pipeline_id = w.pipeline_id
ORDER BY w.pipeline_id
