-- Digest section "efficiency": ONE statement over the event log of every pipeline in scope.
-- Reads the pipeline events system table, the one event table that holds ALL pipelines' events
-- (the event_log(<id>) table function is per pipeline and would need one query per pipeline).
-- {{pipeline_events}} is the table src/databricks/sql.ts resolved at run time: Beta puts it at
-- system.lakeflow_pipeline_events_preview.pipeline_events, GA at system.lakeflow.pipeline_events, or
-- DLT_DOCTOR_PIPELINE_EVENTS_TABLE (a validated identifier, never user input). Needs USE SCHEMA and
-- SELECT on that table's schema (plus USE CATALOG system). An optional digest section: without the
-- table the digest leaves it out with a note (src/digest/compute.ts).
-- details is a VARIANT there, hence get_json_object(to_json(details), ...) (valid on both
-- warehouses). Per pipeline over [:period_start, :period_end):
--  output_rows: num_output_rows + num_upserted_rows over flow_progress events (guide 1.2: DBU per
--    million records);
--  slot_utilization: mean cluster_resources avg_task_slot_utilization (0..1), nested
--    (task_slot_metrics.*) or flat form; NULL for serverless;
--  flows / udf_flows: distinct flows defined, and those whose plan (flow_definition.explain_text)
--    evaluates a Python UDF — BatchEvalPython / ArrowEvalPython — the part Photon cannot run
--    (guide 4.4, 6.4). DataFrame code written in Python runs in Photon: language is not the test.
-- Parameters: :period_start, :period_end (timestamps), :pipeline_ids (comma-separated string or NULL).
SELECT
  pipeline_id,
  coalesce(SUM(CASE WHEN event_type = 'flow_progress' THEN
        coalesce(try_cast(get_json_object(to_json(details), '$.flow_progress.metrics.num_output_rows') AS BIGINT), 0)
      + coalesce(try_cast(get_json_object(to_json(details), '$.flow_progress.metrics.num_upserted_rows') AS BIGINT), 0)
      END), 0) AS output_rows,
  avg(CASE WHEN event_type = 'cluster_resources' THEN coalesce(
        try_cast(get_json_object(to_json(details), '$.cluster_resources.task_slot_metrics.avg_task_slot_utilization') AS DOUBLE),
        try_cast(get_json_object(to_json(details), '$.cluster_resources.avg_task_slot_utilization') AS DOUBLE)) END) AS slot_utilization,
  COUNT(DISTINCT CASE WHEN event_type = 'flow_definition' THEN origin.flow_name END) AS flows,
  COUNT(DISTINCT CASE WHEN event_type = 'flow_definition'
      AND (get_json_object(to_json(details), '$.flow_definition.explain_text') LIKE '%BatchEvalPython%'
        OR get_json_object(to_json(details), '$.flow_definition.explain_text') LIKE '%ArrowEvalPython%') THEN origin.flow_name END) AS udf_flows,
  COUNT(DISTINCT update_id) AS updates
FROM {{pipeline_events}}
WHERE event_time >= CAST(:period_start AS TIMESTAMP)
  AND event_time < CAST(:period_end AS TIMESTAMP)
  AND event_type IN ('flow_progress', 'cluster_resources', 'flow_definition')
  AND (:pipeline_ids IS NULL OR array_contains(split(:pipeline_ids, ','), pipeline_id))
GROUP BY pipeline_id
ORDER BY pipeline_id
