-- One row per update of a pipeline since :since: start, end, final state, cause, output rows.
-- From create_update, update_progress and flow_progress events (docs "monitor-event-logs":
-- update durations, throughput per flow). Output rows = num_output_rows + num_upserted_rows
-- summed over the update's flow_progress events.
-- Parameters: :pipeline_id, :since (timestamp). Event source swapped like update-events.sql.
SELECT
  origin.update_id AS update_id,
  MIN(CASE WHEN event_type = 'create_update' THEN timestamp END) AS created_at,
  MIN(timestamp) AS first_event_at,
  MAX(CASE WHEN event_type = 'update_progress'
        AND get_json_object(details, '$.update_progress.state') IN ('COMPLETED', 'FAILED', 'CANCELED')
      THEN timestamp END) AS ended_at,
  max_by(get_json_object(details, '$.update_progress.state'),
         CASE WHEN event_type = 'update_progress' THEN timestamp END) AS state,
  max_by(get_json_object(details, '$.create_update.cause'),
         CASE WHEN event_type = 'create_update' THEN timestamp END) AS cause,
  max_by(get_json_object(details, '$.create_update.full_refresh'),
         CASE WHEN event_type = 'create_update' THEN timestamp END) AS full_refresh,
  SUM(CASE WHEN event_type = 'flow_progress' THEN
        coalesce(try_cast(get_json_object(details, '$.flow_progress.metrics.num_output_rows') AS BIGINT), 0)
      + coalesce(try_cast(get_json_object(details, '$.flow_progress.metrics.num_upserted_rows') AS BIGINT), 0)
      END) AS output_rows,
  count_if(event_type = 'flow_progress'
        AND get_json_object(details, '$.flow_progress.metrics') IS NOT NULL) AS flow_metric_events
FROM event_log(:pipeline_id)
WHERE timestamp >= CAST(:since AS TIMESTAMP)
  AND event_type IN ('create_update', 'update_progress', 'flow_progress')
  AND origin.update_id IS NOT NULL
GROUP BY origin.update_id
ORDER BY first_event_at DESC
