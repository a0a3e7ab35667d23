/**
 * The demo warehouse's `system.lakeflow.pipeline_update_timeline` (Public Preview), as the DuckDB
 * view system_lakeflow_pipeline_update_timeline derived from the demo's event log, so an update the
 * demo starts (REST) appears here too. Table listed in the lakeflow system-table reference
 * (https://docs.databricks.com/aws/en/admin/system-tables/jobs). The columns fleet-update-states.sql
 * reads (pipeline_id, update_id, period_start_time, period_end_time, result_state) are the ones
 * Databricks names at https://databricks.com/devhub/docs/lakehouse/pipelines; the others here
 * (account_id, workspace_id, update_type, trigger_type) come from public queries against the real
 * table and were not checked against the reference's column table (not retrievable, 2026-12). The
 * real table is periodised (one row per time slice of an update); the demo writes one slice per update.
 * `revoked` leaves the view out so a statement fails as on a warehouse without the grant.
 */
export const UPDATE_TIMELINE_VIEW = `CREATE VIEW system_lakeflow_pipeline_update_timeline AS
SELECT
  CAST(NULL AS VARCHAR) AS account_id,
  CAST(NULL AS VARCHAR) AS workspace_id,
  origin.pipeline_id AS pipeline_id,
  origin.update_id AS update_id,
  CASE WHEN bool_or(json_extract_string(details, '$.create_update.full_refresh') = 'true') THEN 'FULL_REFRESH' ELSE 'REFRESH' END AS update_type,
  max_by(json_extract_string(details, '$.create_update.cause'), CASE WHEN event_type = 'create_update' THEN "timestamp" END) AS trigger_type,
  MIN("timestamp") AS period_start_time,
  MAX(CASE WHEN event_type = 'update_progress'
        AND json_extract_string(details, '$.update_progress.state') IN ('COMPLETED', 'FAILED', 'CANCELED')
      THEN "timestamp" END) AS period_end_time,
  max_by(CASE WHEN json_extract_string(details, '$.update_progress.state') IN ('COMPLETED', 'FAILED', 'CANCELED')
      THEN json_extract_string(details, '$.update_progress.state') END,
    CASE WHEN event_type = 'update_progress' THEN "timestamp" END) AS result_state
FROM event_log_rows
WHERE origin.update_id IS NOT NULL
GROUP BY origin.pipeline_id, origin.update_id`;
