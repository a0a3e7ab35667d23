-- Each flow's status timeline in one update: the flow_progress events where its status changed
-- (the first of each run of equal statuses). The status is details.flow_progress.status; events
-- without details (REST-shaped logs) carry it in the message ("Flow 'x' is RUNNING.", real logs
-- also "Flow 'x' has COMPLETED."). docs.databricks.com/aws/en/ldp/monitor-event-log-schema.
-- Rows: per flow its first 250 and last 250 changes; at most 50,000 in all.
-- Parameters: :pipeline_id, :update_id. Event source as update-events.sql.
WITH ev AS {{update_events}},
s AS (
  SELECT id, flow_name, unix_millis(timestamp) AS t_ms,
    upper(coalesce(get_json_object(details, '$.flow_progress.status'),
      CASE WHEN details IS NULL THEN nullif(regexp_extract(message, '(^|[^A-Za-z0-9_])(is|has) ([A-Z][A-Z_]+)[.]?[ ]*$', 3), '') END)) AS status
  FROM ev
  WHERE event_type = 'flow_progress'
    AND flow_name IS NOT NULL AND flow_name <> 'pipelines.flowTimeMetrics.missingFlowName'
),
c AS (
  SELECT id, flow_name, t_ms, status, lag(status) OVER (PARTITION BY flow_name ORDER BY t_ms, id) AS prev
  FROM s WHERE status IS NOT NULL
),
ch AS (
  SELECT flow_name, t_ms, status, id,
    row_number() OVER (PARTITION BY flow_name ORDER BY t_ms, id) AS n_first,
    row_number() OVER (PARTITION BY flow_name ORDER BY t_ms DESC, id DESC) AS n_last
  FROM c WHERE prev IS NULL OR prev <> status
)
SELECT flow_name, t_ms, status
FROM ch
WHERE n_first <= 250 OR n_last <= 250
ORDER BY flow_name, t_ms, id
LIMIT 50000
