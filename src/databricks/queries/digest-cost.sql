-- Digest section "cost": ONE statement for every pipeline in scope, aggregated in the warehouse.
-- Per pipeline: DBUs and list-price dollars (pricing.effective_list.default, which accounts for
-- promotions) for the current period [:period_start, :period_end) and the previous one
-- [:previous_start, :period_start); maintenance DBUs (usage_metadata.dlt_maintenance_id set) apart
-- from update DBUs; summed across record types (ORIGINAL/RETRACTION/RESTATEMENT).
-- billing_origin_product = 'DLT' keeps pipelines proper (dlt_pipeline_id is also set for DBSQL
-- MVs/STs, online tables, ...). Serverless pipelines have no cluster_id: billing is all we know;
-- serverless is product_features.is_serverless on the current period's rows (a pipeline with no
-- rows in the period is not called serverless from its settings).
-- photon_dollars: update dollars billed with product_features.is_photon — what Photon actually cost
-- in the period (not the current setting applied to the whole period).
-- :pipeline_ids is the digest's scope as a comma-separated list of pipeline ids, or NULL for all.
-- *_day_before / *_day_after: the UTC day of that timestamp parameter minus / plus one, derived by
-- src/databricks/billing-days.ts (never CAST(:ts AS DATE), which reads the warehouse session time zone).
-- Parameters: :previous_start, :period_start, :period_end (timestamps), :pipeline_ids (string or NULL).
SELECT
  u.usage_metadata.dlt_pipeline_id AS pipeline_id,
  coalesce(SUM(CASE WHEN u.usage_start_time >= CAST(:period_start AS TIMESTAMP) THEN u.usage_quantity END), 0) AS dbus,
  coalesce(SUM(CASE WHEN u.usage_start_time >= CAST(:period_start AS TIMESTAMP)
      THEN u.usage_quantity * lp.pricing.effective_list.default END), 0) AS dollars,
  coalesce(SUM(CASE WHEN u.usage_start_time >= CAST(:period_start AS TIMESTAMP)
      AND u.usage_metadata.dlt_maintenance_id IS NOT NULL THEN u.usage_quantity END), 0) AS maintenance_dbus,
  coalesce(SUM(CASE WHEN u.usage_start_time >= CAST(:period_start AS TIMESTAMP)
      AND u.usage_metadata.dlt_maintenance_id IS NOT NULL THEN u.usage_quantity * lp.pricing.effective_list.default END), 0) AS maintenance_dollars,
  coalesce(SUM(CASE WHEN u.usage_start_time < CAST(:period_start AS TIMESTAMP) THEN u.usage_quantity END), 0) AS previous_dbus,
  coalesce(SUM(CASE WHEN u.usage_start_time < CAST(:period_start AS TIMESTAMP)
      THEN u.usage_quantity * lp.pricing.effective_list.default END), 0) AS previous_dollars,
  COUNT(DISTINCT CASE WHEN u.usage_start_time >= CAST(:period_start AS TIMESTAMP) THEN u.usage_metadata.dlt_update_id END) AS updates,
  MAX(CASE WHEN u.usage_start_time >= CAST(:period_start AS TIMESTAMP) AND u.product_features.is_serverless THEN 1 ELSE 0 END) AS serverless,
  MAX(CASE WHEN u.product_features.is_photon THEN 1 ELSE 0 END) AS photon,
  coalesce(SUM(CASE WHEN u.usage_start_time >= CAST(:period_start AS TIMESTAMP) AND u.product_features.is_photon
      AND u.usage_metadata.dlt_maintenance_id IS NULL THEN u.usage_quantity * lp.pricing.effective_list.default END), 0) AS photon_dollars,
  count_if(u.usage_start_time >= CAST(:period_start AS TIMESTAMP) AND lp.sku_name IS NULL) AS unpriced_rows
FROM system.billing.usage u
LEFT JOIN system.billing.list_prices lp
  ON u.sku_name = lp.sku_name AND u.cloud = lp.cloud AND u.usage_unit = lp.usage_unit
 AND u.usage_end_time >= lp.price_start_time
 AND (lp.price_end_time IS NULL OR u.usage_end_time < lp.price_end_time)
WHERE u.usage_metadata.dlt_pipeline_id IS NOT NULL
  AND u.billing_origin_product = 'DLT'
  AND (:pipeline_ids IS NULL OR array_contains(split(:pipeline_ids, ','), u.usage_metadata.dlt_pipeline_id))
  AND u.usage_date >= CAST(:previous_start_day_before AS DATE)
  AND u.usage_date <= CAST(:period_end_day_after AS DATE)
  AND u.usage_start_time >= CAST(:previous_start AS TIMESTAMP)
  AND u.usage_start_time < CAST(:period_end AS TIMESTAMP)
GROUP BY u.usage_metadata.dlt_pipeline_id
ORDER BY dollars DESC, pipeline_id
