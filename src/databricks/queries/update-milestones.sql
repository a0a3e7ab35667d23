-- The few event-log rows of an update that are read whole, in Databricks' own shape (as
-- update-events.sql): create_update, update_progress, runtime_details and autoscale events; the
-- update's planning_information (the latest per flow) and flow definitions (the latest per flow in
-- this update, and the latest per flow in the pipeline's log, for flows this update did not
-- redefine); its errors (ERROR events, WARN events with an exception) and the pipeline's errors
-- without an update id in the update's time span. Everything else an update writes is summed by
-- update-flow-buckets.sql, update-flow-statuses.sql, update-cluster-resources.sql and
-- update-autoloader.sql. kind_total: how many rows of the row's kind there were before the cap.
-- Rows: create_update/update_progress/runtime_details/autoscale at most 1,000 each, errors 200,
-- definitions and plans 2,000 flows each (LIMIT 10,000 in all).
-- Parameters: :pipeline_id, :update_id. Event source swapped like update-events.sql.
WITH upd AS (
  SELECT MIN(timestamp) AS t0, MAX(timestamp) AS t1
  FROM event_log(:pipeline_id)
  WHERE origin.update_id = :update_id
),
e AS (
  SELECT l.id, l.sequence, l.origin, l.timestamp, l.message, l.level, l.maturity_level, l.error, l.details, l.event_type,
    CASE
      WHEN l.origin.update_id IS NOT NULL AND l.origin.update_id <> :update_id THEN 'other_definition'
      WHEN l.origin.update_id = :update_id AND l.event_type IN ('create_update', 'update_progress', 'runtime_details', 'autoscale') THEN l.event_type
      WHEN l.origin.update_id = :update_id AND l.event_type IN ('flow_definition', 'planning_information') AND upper(l.level) IS DISTINCT FROM 'ERROR' THEN l.event_type
      ELSE 'error'
    END AS kind,
    coalesce(l.origin.flow_name, l.origin.dataset_name) AS flow
  FROM event_log(:pipeline_id) l CROSS JOIN upd
  WHERE (l.origin.update_id = :update_id
          AND (l.event_type IN ('create_update', 'update_progress', 'runtime_details', 'autoscale', 'flow_definition', 'planning_information')
               OR upper(l.level) = 'ERROR' OR (upper(l.level) = 'WARN' AND l.error IS NOT NULL)))
     OR (l.origin.update_id IS NULL AND l.timestamp >= upd.t0 AND l.timestamp <= upd.t1
          AND (upper(l.level) = 'ERROR' OR (upper(l.level) = 'WARN' AND l.error IS NOT NULL)))
     OR (l.event_type = 'flow_definition' AND l.origin.update_id IS NOT NULL AND l.origin.update_id <> :update_id)
),
n AS (
  SELECT *,
    row_number() OVER (PARTITION BY kind, CASE WHEN kind IN ('flow_definition', 'planning_information', 'other_definition') THEN flow END
                       ORDER BY CASE WHEN kind IN ('flow_definition', 'planning_information', 'other_definition') THEN timestamp END DESC,
                                timestamp, id) AS n_in_kind,
    COUNT(*) OVER (PARTITION BY kind) AS kind_total,
    dense_rank() OVER (PARTITION BY kind ORDER BY flow) AS flow_rank
  FROM e
)
SELECT id, sequence, origin, timestamp, message, level, maturity_level, error, details, event_type, kind, kind_total
FROM n
WHERE (kind IN ('flow_definition', 'planning_information', 'other_definition') AND n_in_kind = 1 AND flow_rank <= 2000)
   OR (kind = 'error' AND n_in_kind <= 200)
   OR (kind IN ('create_update', 'update_progress', 'runtime_details', 'autoscale') AND n_in_kind <= 1000)
ORDER BY timestamp, id
LIMIT 10000
