-- The stream backlog of every pipeline's latest update in ONE statement, for the pipeline list's
-- "falling behind" flag (issue 17 item 2). Reads the pipeline events system table, the one event
-- table that holds ALL pipelines' events ({{pipeline_events}}, resolved at run time as in
-- digest-efficiency.sql; details is a VARIANT there, hence get_json_object(to_json(details), ...)).
-- Backlog figures: FlowProgress.metrics backlog_bytes / backlog_records / backlog_files /
-- backlog_seconds (docs.databricks.com/aws/en/ldp/monitor-event-log-schema; the docs' own example
-- query charts backlog bytes per target table from these). The guide (§5.2) reads a backlog that
-- keeps growing through an update as a stream falling behind its source.
-- Per pipeline: its newest update with flow_progress events since :since; per flow of that update
-- and backlog metric, its reports cut into tenths by time and each tenth's median (one noisy report
-- decides nothing): the first and the last tenth's, the share of the nine steps between tenths that
-- did not go down (over medians: a backlog that swings report to report but climbs tenth after
-- tenth is still climbing), the largest value, the span.
-- The caller judges growth with the growing-backlog rule's defaults (src/databricks/fleet-backlog.ts);
-- `why-slow` is the diagnosis, this is the list's hint.
-- Parameters: :since (timestamp; older events are not read, which bounds the scan).
-- Row bound: one row per pipeline (the flow and metric that grew the most).
WITH fp AS (
  SELECT pipeline_id, update_id, origin.flow_name AS flow_name, event_time,
    try_cast(get_json_object(to_json(details), '$.flow_progress.metrics.backlog_bytes') AS DOUBLE) AS bb,
    try_cast(get_json_object(to_json(details), '$.flow_progress.metrics.backlog_records') AS DOUBLE) AS br,
    try_cast(get_json_object(to_json(details), '$.flow_progress.metrics.backlog_files') AS DOUBLE) AS bf,
    try_cast(get_json_object(to_json(details), '$.flow_progress.metrics.backlog_seconds') AS DOUBLE) AS bs
  FROM {{pipeline_events}}
  WHERE event_time >= CAST(:since AS TIMESTAMP)
    AND event_type = 'flow_progress'
    AND update_id IS NOT NULL
),
latest AS (
  SELECT pipeline_id, max_by(update_id, event_time) AS update_id
  FROM fp
  GROUP BY pipeline_id
),
s AS (
  SELECT pipeline_id, update_id, flow_name, event_time, 'bytes' AS metric, bb AS v FROM fp WHERE bb IS NOT NULL
  UNION ALL
  SELECT pipeline_id, update_id, flow_name, event_time, 'records' AS metric, br AS v FROM fp WHERE br IS NOT NULL
  UNION ALL
  SELECT pipeline_id, update_id, flow_name, event_time, 'files' AS metric, bf AS v FROM fp WHERE bf IS NOT NULL
  UNION ALL
  SELECT pipeline_id, update_id, flow_name, event_time, 'seconds' AS metric, bs AS v FROM fp WHERE bs IS NOT NULL
),
d AS (
  SELECT s.pipeline_id, s.update_id, s.flow_name, s.metric, s.event_time, s.v,
    ntile(10) OVER (PARTITION BY s.pipeline_id, s.flow_name, s.metric ORDER BY s.event_time) AS tenth
  FROM s
  JOIN latest ON s.pipeline_id = latest.pipeline_id AND s.update_id = latest.update_id
  WHERE s.flow_name IS NOT NULL
),
t AS (
  SELECT pipeline_id, update_id, flow_name, metric, tenth,
    COUNT(*) AS n, MIN(event_time) AS t0, MAX(event_time) AS t1, median(v) AS mv, MAX(v) AS mx
  FROM d
  GROUP BY pipeline_id, update_id, flow_name, metric, tenth
),
u AS (
  SELECT t.*, lag(mv) OVER (PARTITION BY pipeline_id, flow_name, metric ORDER BY tenth) AS prev
  FROM t
),
f AS (
  SELECT pipeline_id, update_id, flow_name, metric,
    SUM(n) AS reports,
    unix_millis(MIN(t0)) AS first_ms,
    unix_millis(MAX(t1)) AS last_ms,
    MAX(CASE WHEN tenth = 1 THEN mv END) AS first_value,
    MAX(CASE WHEN tenth = 10 THEN mv END) AS last_value,
    MAX(mx) AS max_value,
    avg(CASE WHEN prev IS NULL THEN NULL WHEN mv >= prev THEN 1.0 ELSE 0.0 END) AS non_decreasing_share
  FROM u
  GROUP BY pipeline_id, update_id, flow_name, metric
),
r AS (
  SELECT f.*,
    ROW_NUMBER() OVER (PARTITION BY pipeline_id ORDER BY
      CASE WHEN last_value > 0 AND first_value <= 0 THEN 1e18 WHEN first_value > 0 THEN last_value / first_value ELSE 0 END DESC,
      flow_name, metric) AS rn
  FROM f
)
SELECT pipeline_id, update_id, flow_name, metric, reports, first_ms, last_ms, first_value, last_value, max_value, non_decreasing_share
FROM r
WHERE rn = 1
ORDER BY pipeline_id
