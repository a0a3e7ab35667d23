-- Not a statement: the relation the update summary statements read ({{update_events}} in
-- update-flow-buckets.sql, update-flow-statuses.sql, update-cluster-resources.sql,
-- update-autoloader.sql, update-overview.sql), the event-log rows of one update with the columns
-- they use. src/databricks/sql.ts puts it in place of {{update_events}}; for a published event log
-- the literal `event_log(:pipeline_id)` is then swapped for the table as in update-events.sql; the
-- pipeline events system table has update-events.relation.system-table.sql.
-- Parameters: :pipeline_id, :update_id.
(SELECT id, timestamp, event_type, level, message, details,
   origin.flow_name AS flow_name, origin.cluster_id AS cluster_id
 FROM event_log(:pipeline_id)
 WHERE origin.update_id = :update_id)
