-- Per-minute, per-instance node metrics of one cluster during an update
-- (system.compute.node_timeline: classic compute only, 90-day retention).
-- Parameters: :cluster_id, :start_time, :end_time (timestamps).
SELECT cluster_id, instance_id, driver, start_time, end_time,
  cpu_user_percent, cpu_system_percent, cpu_wait_percent,
  mem_used_percent, mem_swap_percent, network_sent_bytes, network_received_bytes, node_type
FROM system.compute.node_timeline
WHERE cluster_id = :cluster_id
  AND start_time >= CAST(:start_time AS TIMESTAMP)
  AND start_time <= CAST(:end_time AS TIMESTAMP)
ORDER BY start_time, instance_id
