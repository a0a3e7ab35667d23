-- One row per update of a pipeline since :since: start, end, final state, cause, output rows, and
-- what a regression is compared on (what-changed.ts): the first time in each update_progress state
-- (the phases), the runtime version (runtime_details.runtime_version.dbr_version), the most
-- executors cluster_resources reported (nested task_slot_metrics or flat), the flows that reported
-- a status.
-- From create_update, update_progress and flow_progress events (docs "monitor-event-logs":
-- update durations, throughput per flow). Output rows = num_output_rows + num_upserted_rows
-- summed over the update's flow_progress events.
-- Parameters: :pipeline_id, :since (timestamp). Event source swapped like update-events.sql.
SELECT
  origin.update_id AS update_id,
  MIN(CASE WHEN event_type = 'create_update' THEN timestamp END) AS created_at,
  MIN(timestamp) AS first_event_at,
  MAX(CASE WHEN event_type = 'update_progress'
        AND up_state IN ('COMPLETED', 'FAILED', 'CANCELED')
      THEN timestamp END) AS ended_at,
  max_by(up_state,
         CASE WHEN event_type = 'update_progress' THEN timestamp END) AS state,
  max_by(get_json_object(details, '$.create_update.cause'),
         CASE WHEN event_type = 'create_update' THEN timestamp END) AS cause,
  max_by(get_json_object(details, '$.create_update.full_refresh'),
         CASE WHEN event_type = 'create_update' THEN timestamp END) AS full_refresh,
  MIN(CASE WHEN event_type = 'update_progress'
        AND up_state = 'CREATED' THEN timestamp END) AS created_state_at,
  MIN(CASE WHEN event_type = 'update_progress'
        AND up_state = 'QUEUED' THEN timestamp END) AS queued_at,
  MIN(CASE WHEN event_type = 'update_progress'
        AND up_state = 'WAITING_FOR_RESOURCES' THEN timestamp END) AS waiting_at,
  MIN(CASE WHEN event_type = 'update_progress'
        AND up_state = 'INITIALIZING' THEN timestamp END) AS initializing_at,
  MIN(CASE WHEN event_type = 'update_progress'
        AND up_state = 'SETTING_UP_TABLES' THEN timestamp END) AS setting_up_at,
  MIN(CASE WHEN event_type = 'update_progress'
        AND up_state = 'RESETTING' THEN timestamp END) AS resetting_at,
  MIN(CASE WHEN event_type = 'update_progress'
        AND up_state = 'RUNNING' THEN timestamp END) AS running_at,
  max_by(get_json_object(details, '$.runtime_details.runtime_version.dbr_version'),
         CASE WHEN event_type = 'runtime_details' THEN timestamp END) AS dbr_version,
  MAX(CASE WHEN event_type = 'cluster_resources' THEN coalesce(
        try_cast(get_json_object(details, '$.cluster_resources.task_slot_metrics.num_executors') AS INT),
        try_cast(get_json_object(details, '$.cluster_resources.num_executors') AS INT)) END) AS peak_executors,
  COUNT(DISTINCT CASE WHEN event_type = 'flow_progress'
        AND get_json_object(details, '$.flow_progress.status') IS NOT NULL THEN origin.flow_name END) AS flows,
  SUM(CASE WHEN event_type = 'flow_progress' THEN
        coalesce(try_cast(get_json_object(details, '$.flow_progress.metrics.num_output_rows') AS BIGINT), 0)
      + coalesce(try_cast(get_json_object(details, '$.flow_progress.metrics.num_upserted_rows') AS BIGINT), 0)
      END) AS output_rows,
  count_if(event_type = 'flow_progress'
        AND get_json_object(details, '$.flow_progress.metrics') IS NOT NULL) AS flow_metric_events
FROM (
  -- REST-shaped rows (no details: a bundle's earlier updates) carry the state in their message,
  -- "Update 1a2b is RUNNING.", read as update-flow-statuses.sql reads a flow's
  SELECT *,
    CASE WHEN event_type = 'update_progress' THEN upper(coalesce(get_json_object(details, '$.update_progress.state'),
      CASE WHEN details IS NULL THEN nullif(regexp_extract(message, '(^|[^A-Za-z0-9_])(is|has) ([A-Z][A-Z_]+)[.]?[ ]*$', 3), '') END)) END AS up_state
  FROM event_log(:pipeline_id)
) ev
WHERE timestamp >= CAST(:since AS TIMESTAMP)
  AND event_type IN ('create_update', 'update_progress', 'flow_progress', 'runtime_details', 'cluster_resources')
  AND origin.update_id IS NOT NULL
GROUP BY origin.update_id
ORDER BY first_event_at DESC
