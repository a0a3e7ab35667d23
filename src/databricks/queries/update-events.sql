-- All event-log rows of one pipeline update, in Databricks' own shape (CONTRACT.md §1 events.jsonl).
-- Parameters: :pipeline_id, :update_id.
-- `event_log(:pipeline_id)`: Databricks' event_log() table function takes a pipeline-id STRING
-- (a literal or a named parameter marker; both are constant-folded) or TABLE(<st/mv>). It is
-- readable only by the pipeline owner (run-as identity). When the pipeline publishes its event
-- log (`event_log {catalog, schema, name}`) or DLT_DOCTOR_EVENT_SOURCE=published|system_table,
-- src/databricks/sql.ts swaps this exact text `event_log(:pipeline_id)` for the validated,
-- backtick-quoted table name (identifiers cannot be parameters), or picks
-- update-events.system-table.sql.
SELECT id, sequence, origin, timestamp, message, level, maturity_level, error, details, event_type
FROM event_log(:pipeline_id)
WHERE origin.update_id = :update_id
ORDER BY timestamp, id
