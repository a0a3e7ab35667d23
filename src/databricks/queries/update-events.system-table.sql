-- Variant of update-events.sql over the pipeline events system table (Beta; moves from
-- system.lakeflow_pipeline_events_preview to system.lakeflow at GA; "details of the schema may
-- change"; {{pipeline_events}} is the table resolved at run time by src/databricks/sql.ts): pipeline_id/update_id are top-level columns, the event id is pipeline_event_id, the
-- time event_time, and details a VARIANT (to_json gives the same JSON text as event_log()).
-- origin is returned as the table has it; `update_id` is added beside it.
-- Parameters: :pipeline_id, :update_id.
SELECT pipeline_event_id AS id, CAST(NULL AS STRING) AS sequence, origin, event_time AS timestamp,
  message, level, maturity_level, error, to_json(details) AS details, event_type, update_id
FROM {{pipeline_events}}
WHERE pipeline_id = :pipeline_id AND update_id = :update_id
ORDER BY event_time, pipeline_event_id
