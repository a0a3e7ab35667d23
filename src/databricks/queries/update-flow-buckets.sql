-- Per flow and time bucket of one update: what its flow_progress and stream_progress events
-- report, summed (rows written, upserted, deleted, bytes, executor and CPU time, dropped records,
-- micro-batch durations, the intervals between reports) and the last backlog figures of the bucket.
-- Event shapes: docs.databricks.com/aws/en/ldp/monitor-event-log-schema (FlowProgress.metrics:
-- num_output_rows, num_upserted_rows, num_deleted_rows, num_output_bytes, executor_time_ms,
-- executor_cpu_time_ms, backlog_bytes/records/files/seconds; data_quality.dropped_records;
-- stream_progress.progress_json, Spark's StreamingQueryProgress, batchDuration ms). The docs'
-- throughput query sums num_output_rows per flow the same way.
-- series_max_ms: the newest report with metrics or micro-batch of the bucket (where the flow's
-- throughput series ends). Buckets start 60 s wide and double until the update (or its window) fits in
-- least(480, 24000 / flows) buckets per flow, so the row count stays bounded whatever the update's
-- length. A report's interval is the time since the flow's previous report with metrics (≤ 30 min,
-- else it was a pause).
-- Rows: at most 25,000 (24,000 by the width rule; LIMIT for more than 24,000 flows).
-- Parameters: :pipeline_id, :update_id, :window_minutes (rows older than the update's newest event
-- minus this many minutes are not read; 0: the whole update). Event source as update-events.sql.
WITH ev AS {{update_events}},
fp AS (
  SELECT id, unix_millis(timestamp) AS t_ms, flow_name, event_type,
    CASE WHEN event_type = 'flow_progress' THEN get_json_object(details, '$.flow_progress.metrics') END AS m,
    CASE WHEN event_type = 'flow_progress' THEN get_json_object(details, '$.flow_progress.data_quality.dropped_records') END AS dropped,
    CASE WHEN event_type = 'stream_progress' THEN get_json_object(details, '$.stream_progress.progress_json') END AS sp
  FROM ev
  WHERE event_type IN ('flow_progress', 'stream_progress')
    AND flow_name IS NOT NULL AND flow_name <> 'pipelines.flowTimeMetrics.missingFlowName'
    AND (:window_minutes <= 0 OR unix_millis(timestamp) >= (SELECT MAX(unix_millis(timestamp)) FROM ev) - :window_minutes * 60000)
),
span AS (
  SELECT greatest(1, MAX(t_ms) - MIN(t_ms)) AS span_ms, greatest(1, COUNT(DISTINCT flow_name)) AS flows FROM fp
),
w AS (
  SELECT CAST(60000 * power(2, greatest(0, ceil(log2(span_ms / 60000.0 / greatest(1, least(480, 24000 / flows)))))) AS BIGINT) AS width_ms
  FROM span
),
v AS (
  SELECT id, t_ms, flow_name, m IS NOT NULL AS has_metrics,
    try_cast(get_json_object(m, '$.num_output_rows') AS DOUBLE) AS out_rows,
    try_cast(get_json_object(m, '$.num_upserted_rows') AS DOUBLE) AS ups_rows,
    try_cast(get_json_object(m, '$.num_deleted_rows') AS DOUBLE) AS del_rows,
    try_cast(get_json_object(m, '$.num_output_bytes') AS DOUBLE) AS out_bytes,
    try_cast(get_json_object(m, '$.executor_time_ms') AS DOUBLE) AS exec_ms,
    try_cast(get_json_object(m, '$.executor_cpu_time_ms') AS DOUBLE) AS cpu_ms,
    try_cast(get_json_object(m, '$.backlog_bytes') AS DOUBLE) AS bb,
    try_cast(get_json_object(m, '$.backlog_records') AS DOUBLE) AS br,
    try_cast(get_json_object(m, '$.backlog_files') AS DOUBLE) AS bf,
    try_cast(get_json_object(m, '$.backlog_seconds') AS DOUBLE) AS bs,
    try_cast(dropped AS DOUBLE) AS dropped,
    try_cast(get_json_object(sp, '$.batchDuration') AS DOUBLE) AS batch_ms,
    event_type
  FROM fp
),
r AS (
  SELECT *,
    CASE WHEN has_metrics THEN t_ms - lag(t_ms) OVER (PARTITION BY flow_name, has_metrics ORDER BY t_ms, id) END AS iv
  FROM v
)
SELECT flow_name,
  CAST(floor(t_ms / width_ms) AS BIGINT) * width_ms AS bucket_ms,
  MAX(width_ms) AS width_ms,
  MIN(t_ms) AS min_ms,
  MAX(t_ms) AS max_ms,
  MAX(CASE WHEN has_metrics OR batch_ms >= 0 THEN t_ms END) AS series_max_ms,
  count_if(event_type = 'flow_progress') AS progress_events,
  count_if(has_metrics) AS reports,
  SUM(out_rows) AS output_rows,
  SUM(ups_rows) AS upserted_rows,
  SUM(del_rows) AS deleted_rows,
  SUM(out_bytes) AS output_bytes,
  SUM(exec_ms) AS executor_time_ms,
  SUM(cpu_ms) AS executor_cpu_time_ms,
  SUM(dropped) AS dropped_records,
  SUM(CASE WHEN has_metrics AND coalesce(out_rows, 0) + coalesce(ups_rows, 0) > 0 THEN coalesce(out_rows, 0) + coalesce(ups_rows, 0) END) AS stream_rows,
  count_if(batch_ms >= 0) AS batches,
  SUM(CASE WHEN batch_ms >= 0 THEN batch_ms END) AS batch_ms_sum,
  count_if(iv > 0 AND iv <= 1800000) AS intervals,
  SUM(CASE WHEN iv > 0 AND iv <= 1800000 THEN iv END) AS interval_ms_sum,
  MAX(CASE WHEN bb IS NOT NULL OR br IS NOT NULL OR bf IS NOT NULL OR bs IS NOT NULL THEN t_ms END) AS backlog_ms,
  max_by(bb, CASE WHEN bb IS NOT NULL THEN t_ms END) AS backlog_bytes,
  max_by(br, CASE WHEN br IS NOT NULL THEN t_ms END) AS backlog_records,
  max_by(bf, CASE WHEN bf IS NOT NULL THEN t_ms END) AS backlog_files,
  max_by(bs, CASE WHEN bs IS NOT NULL THEN t_ms END) AS backlog_seconds
FROM r CROSS JOIN w
GROUP BY flow_name, CAST(floor(t_ms / width_ms) AS BIGINT) * width_ms
ORDER BY flow_name, bucket_ms
LIMIT 25000
