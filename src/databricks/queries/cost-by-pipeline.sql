-- One statement for ALL pipelines in scope over [:since, :until): DBUs, dollars, maintenance DBUs
-- per pipeline (digests). The warehouse scans; the bot receives one row per pipeline.
-- billing_origin_product = 'DLT' keeps pipelines proper (dlt_pipeline_id is also set for DBSQL
-- MVs/STs, online tables, …). :workspace_id NULL means every workspace the principal can see.
-- *_day_before / *_day_after: the UTC day of that timestamp parameter minus / plus one, derived by
-- src/databricks/billing-days.ts (never CAST(:ts AS DATE), which reads the warehouse session time zone).
-- Parameters: :since, :until (timestamps), :workspace_id (string or NULL).
SELECT
  u.usage_metadata.dlt_pipeline_id AS pipeline_id,
  SUM(u.usage_quantity) AS dbus,
  coalesce(SUM(u.usage_quantity * lp.pricing.effective_list.default), 0) AS dollars,
  coalesce(SUM(CASE WHEN u.usage_metadata.dlt_maintenance_id IS NOT NULL THEN u.usage_quantity END), 0) AS maintenance_dbus,
  COUNT(DISTINCT u.usage_metadata.dlt_update_id) AS updates,
  count_if(lp.sku_name IS NULL) AS unpriced_rows
FROM system.billing.usage u
LEFT JOIN system.billing.list_prices lp
  ON u.sku_name = lp.sku_name AND u.cloud = lp.cloud AND u.usage_unit = lp.usage_unit
 AND u.usage_end_time >= lp.price_start_time
 AND (lp.price_end_time IS NULL OR u.usage_end_time < lp.price_end_time)
WHERE u.usage_metadata.dlt_pipeline_id IS NOT NULL
  AND u.billing_origin_product = 'DLT'
  AND (:workspace_id IS NULL OR u.workspace_id = :workspace_id)
  AND u.usage_date >= CAST(:since_day_before AS DATE)
  AND u.usage_date <= CAST(:until_day_after AS DATE)
  AND u.usage_start_time >= CAST(:since AS TIMESTAMP)
  AND u.usage_start_time < CAST(:until AS TIMESTAMP)
GROUP BY u.usage_metadata.dlt_pipeline_id
ORDER BY dollars DESC, pipeline_id
