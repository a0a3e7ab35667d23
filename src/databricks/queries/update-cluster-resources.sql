-- The cluster_resources (and older cluster_utilization) events of one update, sampled: at most
-- 2,000 tiles of consecutive events, each standing for its first event, plus the update's last event
-- on its own (a tile also carries its highest executor count and how many events it holds). Current
-- docs nest the figures (task_slot_metrics, autoscale_info), the docs' example queries and older
-- pipelines use flat fields: both are read, nested first.
-- docs.databricks.com/aws/en/ldp/monitor-event-log-schema (ClusterResources).
-- Rows: at most 2,001.
-- Parameters: :pipeline_id, :update_id, :window_minutes (rows older than the update's newest event minus this many minutes are not read; 0: the whole update). Event source as update-events.sql.
WITH ev AS {{update_events}},
cr AS (
  SELECT id, unix_millis(timestamp) AS t_ms,
    CASE WHEN event_type = 'cluster_resources' THEN get_json_object(details, '$.cluster_resources')
         ELSE get_json_object(details, '$.cluster_utilization') END AS j
  FROM ev
  WHERE event_type IN ('cluster_resources', 'cluster_utilization')
    AND (:window_minutes <= 0 OR unix_millis(timestamp) >= (SELECT MAX(unix_millis(timestamp)) FROM ev) - :window_minutes * 60000)
),
v AS (
  SELECT id, t_ms,
    coalesce(try_cast(get_json_object(j, '$.task_slot_metrics.num_executors') AS DOUBLE), try_cast(get_json_object(j, '$.num_executors') AS DOUBLE)) AS num_executors,
    coalesce(try_cast(get_json_object(j, '$.task_slot_metrics.num_task_slots') AS DOUBLE), try_cast(get_json_object(j, '$.num_task_slots') AS DOUBLE)) AS num_task_slots,
    coalesce(try_cast(get_json_object(j, '$.task_slot_metrics.avg_num_task_slots') AS DOUBLE), try_cast(get_json_object(j, '$.avg_num_task_slots') AS DOUBLE)) AS avg_num_task_slots,
    coalesce(get_json_object(j, '$.task_slot_metrics.avg_task_slot_utilization'), get_json_object(j, '$.avg_task_slot_utilization')) AS avg_task_slot_utilization,
    coalesce(try_cast(get_json_object(j, '$.task_slot_metrics.avg_num_queued_tasks') AS DOUBLE), try_cast(get_json_object(j, '$.avg_num_queued_tasks') AS DOUBLE)) AS avg_num_queued_tasks,
    coalesce(try_cast(get_json_object(j, '$.autoscale_info.optimal_num_executors') AS DOUBLE), try_cast(get_json_object(j, '$.optimal_num_executors') AS DOUBLE)) AS optimal_num_executors,
    coalesce(try_cast(get_json_object(j, '$.autoscale_info.latest_requested_num_executors') AS DOUBLE), try_cast(get_json_object(j, '$.latest_requested_num_executors') AS DOUBLE), try_cast(get_json_object(j, '$.requested_num_executors') AS DOUBLE)) AS requested_num_executors,
    coalesce(get_json_object(j, '$.autoscale_info.state'), get_json_object(j, '$.state')) AS state
  FROM cr
  WHERE j IS NOT NULL
),
t AS (
  SELECT *,
    CASE WHEN row_number() OVER (ORDER BY t_ms DESC, id DESC) = 1 THEN 0 ELSE ntile(2000) OVER (ORDER BY t_ms, id) END AS tile
  FROM v
),
f AS (
  SELECT *,
    row_number() OVER (PARTITION BY tile ORDER BY t_ms, id) AS n,
    COUNT(*) OVER (PARTITION BY tile) AS tile_events,
    MAX(num_executors) OVER (PARTITION BY tile) AS tile_max_executors
  FROM t
)
SELECT t_ms, num_executors, num_task_slots, avg_num_task_slots, avg_task_slot_utilization, avg_num_queued_tasks,
  optimal_num_executors, requested_num_executors, state, tile_events, tile_max_executors
FROM f
WHERE n = 1
ORDER BY t_ms
LIMIT 2001
