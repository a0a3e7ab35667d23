-- Digest, changes dlt-doctor applied: ONE statement, per update of the pipelines in :pipeline_ids
-- (only those with an applied change in scope) over [:since, :until), for the before/after
-- comparison of src/digest/applied.ts ("did it pay off"). Run only when such a pipeline exists.
-- billed: DBUs, list-price dollars and the dollars billed with Photon (product_features.is_photon)
--   of the update's usage rows (dlt_update_id; maintenance rows have none), as in digest-cost.sql;
-- ran: from the pipeline events system table {{pipeline_events}} (resolved as for digest-efficiency.sql), the update's first and last
--   event, its output rows (num_output_rows + num_upserted_rows of flow_progress), whether it
--   COMPLETED and whether it was a full refresh (create_update.full_refresh).
-- started_at is the first event, else the first usage hour. About one row per update.
-- *_day_before / *_day_after: the UTC day of that timestamp parameter minus / plus one, derived by
-- src/databricks/billing-days.ts (never CAST(:ts AS DATE), which reads the warehouse session time zone).
-- Parameters: :since, :until (timestamps), :pipeline_ids (comma-separated string).
WITH billed AS (
  SELECT
    u.usage_metadata.dlt_pipeline_id AS pipeline_id,
    u.usage_metadata.dlt_update_id AS update_id,
    MIN(u.usage_start_time) AS billed_from,
    SUM(u.usage_quantity) AS dbus,
    SUM(u.usage_quantity * lp.pricing.effective_list.default) AS dollars,
    coalesce(SUM(CASE WHEN u.product_features.is_photon THEN u.usage_quantity * lp.pricing.effective_list.default END), 0) AS photon_dollars
  FROM system.billing.usage u
  LEFT JOIN system.billing.list_prices lp
    ON u.sku_name = lp.sku_name AND u.cloud = lp.cloud AND u.usage_unit = lp.usage_unit
   AND u.usage_end_time >= lp.price_start_time
   AND (lp.price_end_time IS NULL OR u.usage_end_time < lp.price_end_time)
  WHERE u.usage_metadata.dlt_pipeline_id IS NOT NULL
    AND u.usage_metadata.dlt_update_id IS NOT NULL
    AND u.billing_origin_product = 'DLT'
    AND array_contains(split(:pipeline_ids, ','), u.usage_metadata.dlt_pipeline_id)
    AND u.usage_date >= CAST(:since_day_before AS DATE)
    AND u.usage_date <= CAST(:until_day_after AS DATE)
    AND u.usage_start_time >= CAST(:since AS TIMESTAMP)
    AND u.usage_start_time < CAST(:until AS TIMESTAMP)
  GROUP BY u.usage_metadata.dlt_pipeline_id, u.usage_metadata.dlt_update_id
),
ran AS (
  SELECT
    pipeline_id,
    update_id,
    MIN(event_time) AS started_at,
    MAX(event_time) AS ended_at,
    coalesce(SUM(CASE WHEN event_type = 'flow_progress' THEN
          coalesce(try_cast(get_json_object(to_json(details), '$.flow_progress.metrics.num_output_rows') AS BIGINT), 0)
        + coalesce(try_cast(get_json_object(to_json(details), '$.flow_progress.metrics.num_upserted_rows') AS BIGINT), 0)
        END), 0) AS output_rows,
    MAX(CASE WHEN event_type = 'update_progress'
        AND get_json_object(to_json(details), '$.update_progress.state') = 'COMPLETED' THEN 1 ELSE 0 END) AS completed,
    MAX(CASE WHEN event_type = 'create_update'
        AND lower(get_json_object(to_json(details), '$.create_update.full_refresh')) = 'true' THEN 1 ELSE 0 END) AS full_refresh
  FROM {{pipeline_events}}
  WHERE event_time >= CAST(:since AS TIMESTAMP)
    AND event_time < CAST(:until AS TIMESTAMP)
    AND update_id IS NOT NULL
    AND event_type IN ('create_update', 'update_progress', 'flow_progress')
    AND array_contains(split(:pipeline_ids, ','), pipeline_id)
  GROUP BY pipeline_id, update_id
)
SELECT
  coalesce(r.pipeline_id, b.pipeline_id) AS pipeline_id,
  coalesce(r.update_id, b.update_id) AS update_id,
  coalesce(r.started_at, b.billed_from) AS started_at,
  r.ended_at AS ended_at,
  r.output_rows AS output_rows,
  coalesce(r.completed, 0) AS completed,
  coalesce(r.full_refresh, 0) AS full_refresh,
  coalesce(b.dbus, 0) AS dbus,
  coalesce(b.dollars, 0) AS dollars,
  coalesce(b.photon_dollars, 0) AS photon_dollars
FROM ran r
FULL OUTER JOIN billed b ON r.pipeline_id = b.pipeline_id AND r.update_id = b.update_id
ORDER BY pipeline_id, started_at, update_id
