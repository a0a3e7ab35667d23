-- DBUs and list-price dollars of one pipeline over [:since, :until), maintenance
-- (usage_metadata.dlt_maintenance_id IS NOT NULL) reported separately; summed across record types.
-- usage_date bounds let Databricks prune partitions.
-- *_day_before / *_day_after: the UTC day of that timestamp parameter minus / plus one, derived by
-- src/databricks/billing-days.ts (never CAST(:ts AS DATE), which reads the warehouse session time zone).
-- Parameters: :pipeline_id, :since, :until (timestamps).
SELECT
  coalesce(SUM(u.usage_quantity), 0) AS dbus,
  coalesce(SUM(u.usage_quantity * lp.pricing.effective_list.default), 0) AS dollars,
  coalesce(SUM(CASE WHEN u.usage_metadata.dlt_maintenance_id IS NOT NULL THEN u.usage_quantity END), 0) AS maintenance_dbus,
  coalesce(SUM(CASE WHEN u.usage_metadata.dlt_maintenance_id IS NOT NULL
      THEN u.usage_quantity * lp.pricing.effective_list.default END), 0) AS maintenance_dollars,
  COUNT(DISTINCT u.usage_metadata.dlt_update_id) AS updates,
  count_if(u.usage_quantity IS NOT NULL AND lp.sku_name IS NULL) AS unpriced_rows
FROM system.billing.usage u
LEFT JOIN system.billing.list_prices lp
  ON u.sku_name = lp.sku_name AND u.cloud = lp.cloud AND u.usage_unit = lp.usage_unit
 AND u.usage_end_time >= lp.price_start_time
 AND (lp.price_end_time IS NULL OR u.usage_end_time < lp.price_end_time)
WHERE u.usage_metadata.dlt_pipeline_id = :pipeline_id
  AND u.usage_date >= CAST(:since_day_before AS DATE)
  AND u.usage_date <= CAST(:until_day_after AS DATE)
  AND u.usage_start_time >= CAST(:since AS TIMESTAMP)
  AND u.usage_start_time < CAST(:until AS TIMESTAMP)
