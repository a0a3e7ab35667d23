-- Digest section "daily spend" (the chart): ONE statement, one row per pipeline and UTC day of the
-- current period [:period_start, :period_end), DBUs and list-price dollars (effective_list), all
-- record types summed. Same scope and pricing join as digest-cost.sql.
-- *_day_before / *_day_after: the UTC day of that timestamp parameter minus / plus one, derived by
-- src/databricks/billing-days.ts (never CAST(:ts AS DATE), which reads the warehouse session time zone).
-- Parameters: :period_start, :period_end (timestamps), :pipeline_ids (comma-separated string or NULL).
SELECT
  u.usage_metadata.dlt_pipeline_id AS pipeline_id,
  CAST(u.usage_date AS STRING) AS day,
  coalesce(SUM(u.usage_quantity), 0) AS dbus,
  coalesce(SUM(u.usage_quantity * lp.pricing.effective_list.default), 0) AS dollars
FROM system.billing.usage u
LEFT JOIN system.billing.list_prices lp
  ON u.sku_name = lp.sku_name AND u.cloud = lp.cloud AND u.usage_unit = lp.usage_unit
 AND u.usage_end_time >= lp.price_start_time
 AND (lp.price_end_time IS NULL OR u.usage_end_time < lp.price_end_time)
WHERE u.usage_metadata.dlt_pipeline_id IS NOT NULL
  AND u.billing_origin_product = 'DLT'
  AND (:pipeline_ids IS NULL OR array_contains(split(:pipeline_ids, ','), u.usage_metadata.dlt_pipeline_id))
  AND u.usage_date >= CAST(:period_start_day_before AS DATE)
  AND u.usage_date <= CAST(:period_end_day_after AS DATE)
  AND u.usage_start_time >= CAST(:period_start AS TIMESTAMP)
  AND u.usage_start_time < CAST(:period_end AS TIMESTAMP)
GROUP BY u.usage_metadata.dlt_pipeline_id, CAST(u.usage_date AS STRING)
ORDER BY pipeline_id, day
