-- Not a statement: update-events.relation.sql over the pipeline events system table
-- ({{pipeline_events}}, resolved at run time): the event id is pipeline_event_id, the time
-- event_time, update_id a top-level column and details a VARIANT (to_json gives event_log()'s text).
-- Parameters: :pipeline_id, :update_id.
(SELECT pipeline_event_id AS id, event_time AS timestamp, event_type, level, message,
   to_json(details) AS details, origin.flow_name AS flow_name, origin.cluster_id AS cluster_id
 FROM {{pipeline_events}}
 WHERE pipeline_id = :pipeline_id AND update_id = :update_id)
