/**
 * Rows of system.billing.usage and system.billing.list_prices → the update's and period's
 * DBUs and list-price dollars (the period: SAVINGS_PERIOD_DAYS, a week, unless told). docs.databricks.com/aws/en/admin/system-tables/billing
 */
import type { ListPriceRow, UsageRow } from '../../databricks/schemas.js';
import type { CostInfo } from '../evidence.js';
import { SAVINGS_PERIOD_DAYS } from '../right-size.js';

export function costFromRows(
  usage: UsageRow[],
  prices: ListPriceRow[],
  opts: { pipelineId: string; updateId?: string; now: number; days?: number },
): CostInfo | null {
  const days = opts.days ?? SAVINGS_PERIOD_DAYS;
  const rows = usage.filter((r) => r.usage_metadata?.dlt_pipeline_id === opts.pipelineId);
  if (rows.length === 0) return null;
  const since = opts.now - days * 86_400_000;
  const priceOf = (r: UsageRow): number | null => {
    let best: ListPriceRow | null = null;
    for (const p of prices) {
      if (p.sku_name !== r.sku_name) continue;
      if (p.cloud && r.cloud && p.cloud !== r.cloud) continue;
      if (p.usage_unit && r.usage_unit && p.usage_unit !== r.usage_unit) continue;
      if (r.usage_end_time < p.price_start_time) continue;
      if (p.price_end_time !== null && p.price_end_time !== undefined && r.usage_end_time >= p.price_end_time) continue;
      if (best === null || p.price_start_time > best.price_start_time) best = p;
    }
    if (!best) return null;
    // docs recommend effective_list (accounts for promotions) over the plain list price
    return best.pricing?.effective_list?.default ?? best.pricing?.default ?? null;
  };
  let updateDbus: number | null = null;
  let updateDollars: number | null = null;
  let periodDbus = 0;
  let periodDollars = 0;
  let maintenanceDbus = 0;
  let maintenanceDollars = 0;
  for (const r of rows) {
    const q = r.usage_quantity; // RETRACTION rows are negative: always sum across record types
    const price = priceOf(r);
    const dollars = price === null ? 0 : q * price;
    if (opts.updateId !== undefined && r.usage_metadata?.dlt_update_id === opts.updateId) {
      updateDbus = (updateDbus ?? 0) + q;
      updateDollars = (updateDollars ?? 0) + dollars;
    }
    if (r.usage_end_time > since && r.usage_start_time <= opts.now) {
      periodDbus += q;
      periodDollars += dollars;
      if (r.usage_metadata?.dlt_maintenance_id) {
        maintenanceDbus += q;
        maintenanceDollars += dollars;
      }
    }
  }
  return { updateDbus, updateDollars, periodDbus, periodDollars, maintenanceDbus, maintenanceDollars, periodDays: days };
}
