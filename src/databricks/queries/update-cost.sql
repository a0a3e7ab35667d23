-- DBUs and list-price dollars of one pipeline update. usage × list_prices at the price in force
-- when the usage ended, pricing.effective_list.default (accounts for promotions); summed across
-- record types (ORIGINAL, RETRACTION, RESTATEMENT), as the billing docs require.
-- Bounded by usage_date (the billing table is partitioned by it; without a bound the warehouse
-- scans the account's whole billing history): the UTC days of the update's span [:update_start,
-- :update_end], widened by a day each side (hourly usage records start before the update and may
-- end after it).
-- *_day_before / *_day_after: the UTC day of that timestamp parameter minus / plus one, derived by
-- src/databricks/billing-days.ts (never CAST(:ts AS DATE), which reads the warehouse session time zone).
-- Parameters: :pipeline_id, :update_id, :update_start, :update_end (timestamps).
SELECT
  SUM(u.usage_quantity) AS dbus,
  SUM(u.usage_quantity * lp.pricing.effective_list.default) AS dollars,
  COUNT(*) AS usage_rows,
  count_if(lp.sku_name IS NULL) AS unpriced_rows
FROM system.billing.usage u
LEFT JOIN system.billing.list_prices lp
  ON u.sku_name = lp.sku_name AND u.cloud = lp.cloud AND u.usage_unit = lp.usage_unit
 AND u.usage_end_time >= lp.price_start_time
 AND (lp.price_end_time IS NULL OR u.usage_end_time < lp.price_end_time)
WHERE u.usage_metadata.dlt_pipeline_id = :pipeline_id
  AND u.usage_metadata.dlt_update_id = :update_id
  AND u.usage_date >= CAST(:update_start_day_before AS DATE)
  AND u.usage_date <= CAST(:update_end_day_after AS DATE)
