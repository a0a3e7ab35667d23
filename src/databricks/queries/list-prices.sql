-- The system.billing.list_prices rows for the SKUs that pipeline-usage.sql returns (same filter),
-- every price period of them (CONTRACT.md §1 list_prices.jsonl, written by `export`).
-- Parameters: :pipeline_id, :update_id (string; '' when none), :since, :until (timestamps).
SELECT *
FROM system.billing.list_prices lp
WHERE lp.sku_name IN (
  SELECT DISTINCT u.sku_name
  FROM system.billing.usage u
  WHERE u.usage_metadata.dlt_pipeline_id = :pipeline_id
    AND ((u.usage_date >= CAST(:since AS DATE)
          AND u.usage_date <= CAST(:until AS DATE)
          AND u.usage_start_time >= CAST(:since AS TIMESTAMP)
          AND u.usage_start_time < CAST(:until AS TIMESTAMP))
      OR u.usage_metadata.dlt_update_id = :update_id))
ORDER BY lp.sku_name, lp.cloud, lp.usage_unit, lp.price_start_time
