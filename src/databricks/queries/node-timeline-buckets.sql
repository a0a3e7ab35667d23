-- Node metrics of one cluster during an update (system.compute.node_timeline: classic compute only,
-- one row per instance and minute, 90-day retention), per instance and time bucket: the mean of
-- each percentage and of the per-minute network bytes, the highest swap, and how many minutes the
-- bucket holds. Buckets are a minute wide (the table's own rows) until the cluster's rows in the
-- window would exceed least(720, 19,000 / instances) per instance; then a whole number of minutes
-- wide, so a week-long update on a large cluster stays bounded.
-- docs.databricks.com/aws/en/admin/system-tables/compute (node_timeline).
-- Rows: at most 20,000 (19,000 + one partial bucket per instance by the width rule).
-- Parameters: :cluster_id, :start_time, :end_time (timestamps).
WITH r AS (
  SELECT cluster_id, instance_id, driver, node_type, start_time, end_time,
    cpu_user_percent, cpu_system_percent, cpu_wait_percent, mem_used_percent, mem_swap_percent,
    network_sent_bytes, network_received_bytes
  FROM system.compute.node_timeline
  WHERE cluster_id = :cluster_id
    AND start_time >= CAST(:start_time AS TIMESTAMP)
    AND start_time <= CAST(:end_time AS TIMESTAMP)
),
w AS (
  SELECT 60 * greatest(1, CAST(ceil(((unix_timestamp(MAX(start_time)) - unix_timestamp(MIN(start_time))) / 60.0 + 1)
           / least(720, floor(19000 / greatest(1, COUNT(DISTINCT instance_id))))) AS BIGINT)) AS bucket_s
  FROM r
)
SELECT cluster_id, instance_id, driver, node_type,
  MIN(start_time) AS start_time, MAX(end_time) AS end_time,
  COUNT(*) AS minutes,
  AVG(cpu_user_percent) AS cpu_user_percent, AVG(cpu_system_percent) AS cpu_system_percent,
  AVG(cpu_wait_percent) AS cpu_wait_percent, AVG(mem_used_percent) AS mem_used_percent,
  MAX(mem_swap_percent) AS mem_swap_percent,
  AVG(network_sent_bytes) AS network_sent_bytes, AVG(network_received_bytes) AS network_received_bytes
FROM r CROSS JOIN w
GROUP BY cluster_id, instance_id, driver, node_type, floor(unix_timestamp(start_time) / bucket_s)
ORDER BY start_time, instance_id
LIMIT 20000
