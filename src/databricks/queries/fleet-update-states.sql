-- The latest updates of every pipeline in one statement, for the pipeline list and the alert poll.
-- Source: system.lakeflow.pipeline_update_timeline (Public Preview), listed in the jobs/pipelines
-- system-table reference (https://docs.databricks.com/aws/en/admin/system-tables/jobs). The columns
-- read here are the ones Databricks' own page names (https://databricks.com/devhub/docs/lakehouse/pipelines:
-- "records every pipeline update with pipeline_id, update_id, period_start_time, period_end_time,
-- result_state (one of COMPLETED, FAILED, CANCELED)"); the reference's full column table was not
-- retrievable when this was checked (2026-12), so nothing else (update_type, trigger_*) is read.
-- The table is periodised (one row per time slice of an update), so slices are folded per update
-- first; result_state is set on the terminal slice only (MAX ignores the NULLs of earlier slices).
-- The table covers every workspace of the account in the region; rows of pipelines the REST list
-- does not show are ignored by the caller.
-- Parameters: :since (timestamp; updates started before it are not read).
-- Row bound: at most 11 rows per pipeline (the latest update + up to 10 prior ones, enough for the
-- baseline median of 10 prior COMPLETED durations).
WITH u AS (
  SELECT
    pipeline_id,
    update_id,
    MIN(period_start_time) AS started_at,
    MAX(period_end_time) AS ended_at,
    MAX(result_state) AS result_state
  FROM system.lakeflow.pipeline_update_timeline
  WHERE period_start_time >= :since
  GROUP BY pipeline_id, update_id
),
r AS (
  SELECT u.*, ROW_NUMBER() OVER (PARTITION BY pipeline_id ORDER BY started_at DESC, update_id DESC) AS rn
  FROM u
)
SELECT pipeline_id, update_id, started_at, ended_at, result_state, rn
FROM r
WHERE rn <= 11
ORDER BY pipeline_id, rn
