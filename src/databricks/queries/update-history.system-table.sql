-- Variant of update-history.sql over the pipeline events system table (see
-- update-events.system-table.sql): update_id and pipeline_id are top-level columns.
-- Parameters: :pipeline_id, :since (timestamp).
SELECT
  update_id,
  MIN(CASE WHEN event_type = 'create_update' THEN event_time END) AS created_at,
  MIN(event_time) AS first_event_at,
  MAX(CASE WHEN event_type = 'update_progress'
        AND up_state IN ('COMPLETED', 'FAILED', 'CANCELED')
      THEN event_time END) AS ended_at,
  max_by(up_state,
         CASE WHEN event_type = 'update_progress' THEN event_time END) AS state,
  max_by(get_json_object(to_json(details), '$.create_update.cause'),
         CASE WHEN event_type = 'create_update' THEN event_time END) AS cause,
  max_by(get_json_object(to_json(details), '$.create_update.full_refresh'),
         CASE WHEN event_type = 'create_update' THEN event_time END) AS full_refresh,
  MIN(CASE WHEN event_type = 'update_progress'
        AND up_state = 'CREATED' THEN event_time END) AS created_state_at,
  MIN(CASE WHEN event_type = 'update_progress'
        AND up_state = 'QUEUED' THEN event_time END) AS queued_at,
  MIN(CASE WHEN event_type = 'update_progress'
        AND up_state = 'WAITING_FOR_RESOURCES' THEN event_time END) AS waiting_at,
  MIN(CASE WHEN event_type = 'update_progress'
        AND up_state = 'INITIALIZING' THEN event_time END) AS initializing_at,
  MIN(CASE WHEN event_type = 'update_progress'
        AND up_state = 'SETTING_UP_TABLES' THEN event_time END) AS setting_up_at,
  MIN(CASE WHEN event_type = 'update_progress'
        AND up_state = 'RESETTING' THEN event_time END) AS resetting_at,
  MIN(CASE WHEN event_type = 'update_progress'
        AND up_state = 'RUNNING' THEN event_time END) AS running_at,
  max_by(get_json_object(to_json(details), '$.runtime_details.runtime_version.dbr_version'),
         CASE WHEN event_type = 'runtime_details' THEN event_time END) AS dbr_version,
  MAX(CASE WHEN event_type = 'cluster_resources' THEN coalesce(
        try_cast(get_json_object(to_json(details), '$.cluster_resources.task_slot_metrics.num_executors') AS INT),
        try_cast(get_json_object(to_json(details), '$.cluster_resources.num_executors') AS INT)) END) AS peak_executors,
  COUNT(DISTINCT CASE WHEN event_type = 'flow_progress'
        AND get_json_object(to_json(details), '$.flow_progress.status') IS NOT NULL THEN origin.flow_name END) AS flows,
  SUM(CASE WHEN event_type = 'flow_progress' THEN
        coalesce(try_cast(get_json_object(to_json(details), '$.flow_progress.metrics.num_output_rows') AS BIGINT), 0)
      + coalesce(try_cast(get_json_object(to_json(details), '$.flow_progress.metrics.num_upserted_rows') AS BIGINT), 0)
      END) AS output_rows,
  count_if(event_type = 'flow_progress'
        AND get_json_object(to_json(details), '$.flow_progress.metrics') IS NOT NULL) AS flow_metric_events
FROM (
  -- a row without details carries the state in its message, as in update-history.sql
  SELECT *,
    CASE WHEN event_type = 'update_progress' THEN upper(coalesce(get_json_object(to_json(details), '$.update_progress.state'),
      CASE WHEN details IS NULL THEN nullif(regexp_extract(message, '(^|[^A-Za-z0-9_])(is|has) ([A-Z][A-Z_]+)[.]?[ ]*$', 3), '') END)) END AS up_state
  FROM {{pipeline_events}}
) ev
WHERE pipeline_id = :pipeline_id
  AND event_time >= CAST(:since AS TIMESTAMP)
  AND event_type IN ('create_update', 'update_progress', 'flow_progress', 'runtime_details', 'cluster_resources')
  AND update_id IS NOT NULL
GROUP BY update_id
ORDER BY first_event_at DESC
