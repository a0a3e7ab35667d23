-- The size and span of one update's event log, per cluster its events name (one row with
-- cluster_id NULL for events that name none): events, events with details, first and last event
-- time (epoch ms). The update runs on the cluster most of its events name (buildEvidence); no rows
-- means the event log does not have the update.
-- Rows: at most 100 (an update names one cluster, a few when it was restarted).
-- Parameters: :pipeline_id, :update_id. Event source as update-events.sql ({{update_events}}:
-- update-events.relation.sql).
WITH ev AS {{update_events}}
SELECT cluster_id,
  COUNT(*) AS events,
  count_if(details IS NOT NULL) AS detailed,
  unix_millis(MIN(timestamp)) AS min_ms,
  unix_millis(MAX(timestamp)) AS max_ms
FROM ev
GROUP BY cluster_id
ORDER BY events DESC
LIMIT 100
