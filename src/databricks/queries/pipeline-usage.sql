-- The system.billing.usage rows of one pipeline, as the table holds them (CONTRACT.md §1
-- usage.jsonl, written by `export`): every record that pipeline-cost.sql sums over [:since, :until)
-- (same bounds), plus every record of update :update_id (what update-cost.sql sums, whenever it
-- ran). A bundle's cost is then computed from these rows by costFromRows and equals the live one.
-- Parameters: :pipeline_id, :update_id (string; '' when none), :since, :until (timestamps).
SELECT *
FROM system.billing.usage u
WHERE u.usage_metadata.dlt_pipeline_id = :pipeline_id
  AND ((u.usage_date >= CAST(:since AS DATE)
        AND u.usage_date <= CAST(:until AS DATE)
        AND u.usage_start_time >= CAST(:since AS TIMESTAMP)
        AND u.usage_start_time < CAST(:until AS TIMESTAMP))
    OR u.usage_metadata.dlt_update_id = :update_id)
ORDER BY u.usage_start_time, u.record_id
