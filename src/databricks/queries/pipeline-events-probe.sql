-- Is the pipeline events system table readable at {{pipeline_events}}? src/databricks/sql.ts runs
-- this once per candidate (Beta: system.lakeflow_pipeline_events_preview.pipeline_events, then GA:
-- system.lakeflow.pipeline_events) and caches the first that answers; TABLE_OR_VIEW_NOT_FOUND or a
-- missing grant moves on to the next. LIMIT 0: the table is resolved and checked, no row is read.
-- Docs: docs.databricks.com/aws/en/admin/system-tables/pipeline-events ("Available pipeline event tables").
-- Parameters: none.
SELECT 1 AS present FROM {{pipeline_events}} LIMIT 0
