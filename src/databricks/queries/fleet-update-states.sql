-- The latest updates of every pipeline in one statement, for the pipeline list and the alert poll.
-- Source: system.lakeflow.pipeline_update_timeline (Public Preview; lakeflow system-table reference,
-- https://docs.databricks.com/aws/en/admin/system-tables/jobs). The table is periodised (one row per
-- time slice of an update), so slices are folded per update first.
-- Parameters: :since (timestamp; updates started before it are not read).
-- Row bound: at most 11 rows per pipeline (the latest update + up to 10 prior ones, enough for the
-- baseline median of 10 prior COMPLETED durations).
WITH u AS (
  SELECT
    pipeline_id,
    update_id,
    MIN(period_start_time) AS started_at,
    MAX(period_end_time) AS ended_at,
    MAX(result_state) AS result_state,
    MAX(update_type) AS update_type
  FROM system.lakeflow.pipeline_update_timeline
  WHERE period_start_time >= :since
  GROUP BY pipeline_id, update_id
),
r AS (
  SELECT u.*, ROW_NUMBER() OVER (PARTITION BY pipeline_id ORDER BY started_at DESC, update_id DESC) AS rn
  FROM u
)
SELECT pipeline_id, update_id, started_at, ended_at, result_state, update_type, rn
FROM r
WHERE rn <= 11
ORDER BY pipeline_id, rn
