/** Billing: node types, SKUs and list prices; system.billing.usage rows per update-hour and daily maintenance. */
import type { Ctx, ScenarioDef, UpdatePlan } from './model.js';
import { clusterIdFor } from './facts.js';
import { CLOUD, DAY, HOUR, MIN, USAGE_DAYS, day, iso, round } from './units.js';

export const NODE_TYPES: Record<string, { cores: number; dbuPerHour: number }> = {
  'i3.xlarge': { cores: 4, dbuPerHour: 1 },
  'i3.2xlarge': { cores: 8, dbuPerHour: 2 },
  'i3.4xlarge': { cores: 16, dbuPerHour: 4 },
  'm5d.2xlarge': { cores: 8, dbuPerHour: 1.5 },
};
export const PHOTON_DBU_MULTIPLIER = 2;
/** serverless DBUs per hour of update, for a small pipeline */
export const SERVERLESS_DBU_PER_HOUR = 9;
export const SERVERLESS_SKU = 'PREMIUM_JOBS_SERVERLESS_COMPUTE_US_EAST_N_VIRGINIA';
export const PRICES: Record<string, number> = {
  PREMIUM_DLT_CORE_COMPUTE: 0.3,
  'PREMIUM_DLT_CORE_COMPUTE_(PHOTON)': 0.3,
  PREMIUM_DLT_PRO_COMPUTE: 0.38,
  'PREMIUM_DLT_PRO_COMPUTE_(PHOTON)': 0.38,
  PREMIUM_DLT_ADVANCED_COMPUTE: 0.54,
  'PREMIUM_DLT_ADVANCED_COMPUTE_(PHOTON)': 0.54,
  [SERVERLESS_SKU]: 0.45,
};

export function skuOf(def: ScenarioDef, photon: boolean): string {
  if (def.serverless) return SERVERLESS_SKU;
  return `PREMIUM_DLT_${def.edition ?? 'ADVANCED'}_COMPUTE${photon ? '_(PHOTON)' : ''}`;
}

export function usageRow(ctx: Ctx, o: { start: number; quantity: number; sku: string; photon: boolean; updateId: string | null; maintenanceId: string | null; clusterId: string | null; nodeType: string | null }): Record<string, unknown> {
  return {
    record_id: ctx.rng.uuid(),
    account_id: ctx.accountId,
    workspace_id: ctx.workspaceId,
    sku_name: o.sku,
    cloud: CLOUD,
    usage_start_time: iso(o.start),
    usage_end_time: iso(o.start + HOUR),
    usage_date: day(o.start),
    custom_tags: { team: ctx.def.schema },
    usage_unit: 'DBU',
    usage_quantity: round(o.quantity, 6),
    usage_metadata: {
      cluster_id: o.clusterId,
      instance_pool_id: null,
      node_type: o.nodeType,
      job_id: null,
      job_run_id: null,
      dlt_pipeline_id: ctx.pipelineId,
      dlt_update_id: o.updateId,
      dlt_maintenance_id: o.maintenanceId,
    },
    identity_metadata: { run_as: ctx.def.owner, owned_by: null, created_by: null },
    record_type: 'ORIGINAL',
    ingestion_date: day(o.start + 6 * HOUR),
    billing_origin_product: 'DLT',
    product_features: { dlt_tier: ctx.def.serverless ? null : (ctx.def.edition ?? 'ADVANCED'), is_serverless: !!ctx.def.serverless, is_photon: o.photon },
    usage_type: 'COMPUTE_TIME',
  };
}

export function genUsage(ctx: Ctx, u: UpdatePlan, from: number, to: number, nodesAt: (t: number) => number): void {
  const { def } = ctx;
  const nodeType = def.cluster?.nodeType ?? null;
  const dbuRate = def.serverless ? SERVERLESS_DBU_PER_HOUR : (NODE_TYPES[nodeType ?? '']?.dbuPerHour ?? 2) * (def.photon ? PHOTON_DBU_MULTIPLIER : 1);
  for (let h = Math.floor(from / HOUR) * HOUR; h < to; h += HOUR) {
    const a = Math.max(from, h);
    const b = Math.min(to, h + HOUR);
    if (b <= a) continue;
    // node count sampled every 5 minutes of the overlap
    let nodeHours = 0;
    for (let t = a; t < b; t += 5 * MIN) nodeHours += (def.serverless ? 1 : nodesAt(t)) * (Math.min(b, t + 5 * MIN) - t) / HOUR;
    ctx.usage.push(usageRow(ctx, { start: h, quantity: nodeHours * dbuRate, sku: skuOf(def, def.photon), photon: def.photon && !def.serverless, updateId: u.id, maintenanceId: null, clusterId: def.serverless ? null : u.clusterId, nodeType }));
  }
}

export function genMaintenance(ctx: Ctx, now: number): void {
  const { rng, def } = ctx;
  const firstDay = Math.floor((now - USAGE_DAYS * DAY) / DAY) * DAY;
  for (let d = firstDay; d < now - 3 * HOUR; d += DAY) {
    const start = d + 3 * HOUR;
    if (start >= now) break;
    const clusterId = def.serverless ? null : clusterIdFor(rng, start);
    ctx.usage.push(
      usageRow(ctx, {
        start,
        quantity: def.serverless ? rng.range(0.4, 1.2) : rng.range(0.8, 2.4),
        sku: skuOf(def, false),
        photon: false,
        updateId: null,
        maintenanceId: rng.uuid(),
        clusterId,
        nodeType: def.serverless ? null : (def.cluster?.nodeType ?? null),
      }),
    );
  }
}

export function listPrices(skus: Set<string>, accountId: string): Record<string, unknown>[] {
  return [...skus].sort().map((sku) => {
    const p = PRICES[sku] ?? 0.5;
    return {
      price_start_time: '2025-01-01T00:00:00.000Z',
      price_end_time: null,
      account_id: accountId,
      sku_name: sku,
      cloud: CLOUD,
      currency_code: 'USD',
      usage_unit: 'DBU',
      pricing: { default: p, promotional: { default: p }, effective_list: { default: p } },
    };
  });
}
