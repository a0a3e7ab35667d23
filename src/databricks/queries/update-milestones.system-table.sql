-- update-milestones.sql over the pipeline events system table ({{pipeline_events}}, resolved at run
-- time; see update-events.system-table.sql for the column differences). origin is returned as the
-- table has it; update_id is added beside it.
-- Rows and parameters as update-milestones.sql.
WITH upd AS (
  SELECT MIN(event_time) AS t0, MAX(event_time) AS t1
  FROM {{pipeline_events}}
  WHERE pipeline_id = :pipeline_id AND update_id = :update_id
),
e AS (
  SELECT l.pipeline_event_id AS id, CAST(NULL AS STRING) AS sequence, l.origin, l.event_time AS timestamp, l.message, l.level,
    l.maturity_level, l.error, to_json(l.details) AS details, l.event_type, l.update_id,
    CASE
      WHEN l.update_id IS NOT NULL AND l.update_id <> :update_id THEN 'other_definition'
      WHEN l.update_id = :update_id AND l.event_type IN ('create_update', 'update_progress', 'runtime_details', 'autoscale') THEN l.event_type
      WHEN l.update_id = :update_id AND l.event_type IN ('flow_definition', 'planning_information') AND upper(l.level) IS DISTINCT FROM 'ERROR' THEN l.event_type
      ELSE 'error'
    END AS kind,
    coalesce(l.origin.flow_name, l.origin.dataset_name) AS flow
  FROM {{pipeline_events}} l CROSS JOIN upd
  WHERE l.pipeline_id = :pipeline_id
    AND ((l.update_id = :update_id
          AND (l.event_type IN ('create_update', 'update_progress', 'runtime_details', 'autoscale', 'flow_definition', 'planning_information')
               OR upper(l.level) = 'ERROR' OR (upper(l.level) = 'WARN' AND l.error IS NOT NULL)))
     OR (l.update_id IS NULL AND l.event_time >= upd.t0 AND l.event_time <= upd.t1
          AND (upper(l.level) = 'ERROR' OR (upper(l.level) = 'WARN' AND l.error IS NOT NULL)))
     OR (l.event_type = 'flow_definition' AND l.update_id IS NOT NULL AND l.update_id <> :update_id))
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
SELECT id, sequence, origin, timestamp, message, level, maturity_level, error, details, event_type, update_id, kind, kind_total
FROM n
WHERE (kind IN ('flow_definition', 'planning_information', 'other_definition') AND n_in_kind = 1 AND flow_rank <= 2000)
   OR (kind = 'error' AND n_in_kind <= 200)
   OR (kind IN ('create_update', 'update_progress', 'runtime_details', 'autoscale') AND n_in_kind <= 1000)
ORDER BY timestamp, id
LIMIT 10000
