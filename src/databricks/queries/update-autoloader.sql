-- The Auto Loader listings of one update (operation_progress, type AUTO_LOADER_LISTING, the events
-- that carry duration_ms or auto_loader_details.num_files_listed), sampled like
-- update-cluster-resources.sql: at most 1,000 tiles, each standing for its first listing, plus the
-- last one. docs.databricks.com/aws/en/ldp/monitor-event-log-schema (OperationProgress).
-- Rows: at most 1,001.
-- Parameters: :pipeline_id, :update_id, :window_minutes (rows older than the update's newest event minus this many minutes are not read; 0: the whole update). Event source as update-events.sql.
WITH ev AS {{update_events}},
op AS (
  SELECT id, unix_millis(timestamp) AS t_ms,
    try_cast(get_json_object(details, '$.operation_progress.duration_ms') AS DOUBLE) AS duration_ms,
    try_cast(get_json_object(details, '$.operation_progress.auto_loader_details.num_files_listed') AS DOUBLE) AS num_files_listed,
    get_json_object(details, '$.operation_progress.auto_loader_details.source_path') AS source_path
  FROM ev
  WHERE event_type = 'operation_progress'
    AND get_json_object(details, '$.operation_progress.type') = 'AUTO_LOADER_LISTING'
    AND (:window_minutes <= 0 OR unix_millis(timestamp) >= (SELECT MAX(unix_millis(timestamp)) FROM ev) - :window_minutes * 60000)
),
t AS (
  SELECT *,
    CASE WHEN row_number() OVER (ORDER BY t_ms DESC, id DESC) = 1 THEN 0 ELSE ntile(1000) OVER (ORDER BY t_ms, id) END AS tile
  FROM op
  WHERE duration_ms IS NOT NULL OR num_files_listed IS NOT NULL
),
f AS (SELECT *, row_number() OVER (PARTITION BY tile ORDER BY t_ms, id) AS n FROM t)
SELECT t_ms, duration_ms, num_files_listed, source_path
FROM f
WHERE n = 1
ORDER BY t_ms
LIMIT 1001
