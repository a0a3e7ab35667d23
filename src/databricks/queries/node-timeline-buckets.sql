-- Node metrics of one cluster during an update (system.compute.node_timeline: classic compute only,
-- one row per instance and minute, 90-day retention), per instance and bucket of :bucket_seconds
-- (the bot picks 60 s, or wider for an update longer than 12 h so an instance has at most 720
-- buckets): the mean of each percentage and of the per-minute network bytes, the highest swap,
-- and how many minutes the bucket holds.
-- docs.databricks.com/aws/en/admin/system-tables/compute (node_timeline).
-- Rows: at most 20,000.
-- Parameters: :cluster_id, :start_time, :end_time (timestamps), :bucket_seconds.
SELECT cluster_id, instance_id, driver, node_type,
  MIN(start_time) AS start_time, MAX(end_time) AS end_time,
  COUNT(*) AS minutes,
  AVG(cpu_user_percent) AS cpu_user_percent, AVG(cpu_system_percent) AS cpu_system_percent,
  AVG(cpu_wait_percent) AS cpu_wait_percent, AVG(mem_used_percent) AS mem_used_percent,
  MAX(mem_swap_percent) AS mem_swap_percent,
  AVG(network_sent_bytes) AS network_sent_bytes, AVG(network_received_bytes) AS network_received_bytes
FROM system.compute.node_timeline
WHERE cluster_id = :cluster_id
  AND start_time >= CAST(:start_time AS TIMESTAMP)
  AND start_time <= CAST(:end_time AS TIMESTAMP)
GROUP BY cluster_id, instance_id, driver, node_type,
  floor(unix_timestamp(start_time) / :bucket_seconds)
ORDER BY start_time, instance_id
LIMIT 20000
