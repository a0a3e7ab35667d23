-- The system.billing.usage rows of one pipeline, as the table holds them (CONTRACT.md §1
-- usage.jsonl, written by `export`): every record that pipeline-cost.sql sums over [:since, :until)
-- (same bounds), plus every record of update :update_id (what update-cost.sql sums, whenever it
-- ran). A bundle's cost is then computed from these rows by costFromRows and equals the live one.
-- usage_date is bounded outside the OR (an OR with an unbounded branch defeats partition pruning):
-- from the day before the earlier of :since and :update_start to the day after the later of
-- :until and :update_end (UTC days; LEAST/GREATEST skip NULL, so no update means the window alone).
-- *_day_before / *_day_after: the UTC day of that timestamp parameter minus / plus one, derived by
-- src/databricks/billing-days.ts (never CAST(:ts AS DATE), which reads the warehouse session time zone).
-- Parameters: :pipeline_id, :update_id (string; '' when none), :since, :until, :update_start,
-- :update_end (timestamps; the update's span, NULL when none).
SELECT *
FROM system.billing.usage u
WHERE u.usage_metadata.dlt_pipeline_id = :pipeline_id
  AND u.usage_date >= LEAST(CAST(:since_day_before AS DATE), CAST(:update_start_day_before AS DATE))
  AND u.usage_date <= GREATEST(CAST(:until_day_after AS DATE), CAST(:update_end_day_after AS DATE))
  AND ((u.usage_start_time >= CAST(:since AS TIMESTAMP)
        AND u.usage_start_time < CAST(:until AS TIMESTAMP))
    OR u.usage_metadata.dlt_update_id = :update_id)
ORDER BY u.usage_start_time, u.record_id
