/**
 * The demo workspace bills an update started over REST as it ran (issue 13 item 6): its
 * system.billing.usage rows carry the settings in effect when it started — the SKU and
 * `product_features.is_photon` of the pipeline's Photon setting and edition, and DBUs for the node
 * type and worker count it ran with — not those of the generated history it replays. So after an
 * applied "Turn on Photon" and a new run, the billed data shows Photon, as Databricks' would.
 *
 * The rows are built like the generator's (generate/billing.ts): one row per hour the run
 * overlaps, quantity = nodes × hours × DBUs per node-hour (× PHOTON_DBU_MULTIPLIER with Photon).
 * Nodes: the replayed update's billed node-hours over its span give its mean node count; the
 * workers scale by the new to old worker capacity (as the replayed cluster_resources do), the
 * driver stays one. Pure and deterministic.
 *
 * Row shape: the billable usage table's schema (record_id, sku_name, usage_start_time/end_time,
 * usage_quantity, usage_metadata.dlt_pipeline_id / dlt_update_id, product_features.is_photon, …):
 * https://learn.microsoft.com/azure/databricks/admin/system-tables/billing — as the generator's
 * rows and src/databricks/schemas.ts read them.
 */
import { createHash } from 'node:crypto';
import { NODE_TYPES, PHOTON_DBU_MULTIPLIER, SERVERLESS_DBU_PER_HOUR, SERVERLESS_SKU } from './generate/billing.js';
import { demoNodeTypes } from './node-types.js';

type Json = Record<string, unknown>;
const HOUR = 3_600_000;

const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

/** The update cluster of a spec (label default/updates, else the first). */
export function updateCluster(spec: Json): Json | undefined {
  const clusters = Array.isArray(spec.clusters) ? (spec.clusters as Json[]) : [];
  return clusters.find((x) => x.label === undefined || x.label === 'default' || x.label === 'updates') ?? clusters[0];
}

/** DBUs per node-hour of a node type: the generator's table, else one DBU per 4 cores (the i3 ratio). */
export function dbuPerNodeHour(nodeType: string | null): number {
  if (nodeType && NODE_TYPES[nodeType]) return NODE_TYPES[nodeType].dbuPerHour;
  const cores = demoNodeTypes().find((n) => n.node_type_id === nodeType)?.num_cores;
  return typeof cores === 'number' && cores > 0 ? cores / 4 : 2;
}

/** What a spec bills: SKU, Photon, serverless, node type and DBUs per node-hour. */
export function billingOf(spec: Json): { sku: string; photon: boolean; serverless: boolean; nodeType: string | null; dbuPerNodeHour: number; edition: string } {
  const serverless = spec.serverless === true;
  const edition = typeof spec.edition === 'string' && /^(core|pro|advanced)$/i.test(spec.edition) ? spec.edition.toUpperCase() : 'ADVANCED';
  if (serverless) return { sku: SERVERLESS_SKU, photon: false, serverless, nodeType: null, dbuPerNodeHour: SERVERLESS_DBU_PER_HOUR, edition };
  const photon = spec.photon === true;
  const c = updateCluster(spec);
  const nodeType = typeof c?.node_type_id === 'string' ? c.node_type_id : null;
  return { sku: `PREMIUM_DLT_${edition}_COMPUTE${photon ? '_(PHOTON)' : ''}`, photon, serverless, nodeType, dbuPerNodeHour: dbuPerNodeHour(nodeType) * (photon ? PHOTON_DBU_MULTIPLIER : 1), edition };
}

export interface RunBillingInput {
  pipelineId: string;
  updateId: string;
  clusterId: string | null;
  /** the new run's first and last event */
  startMs: number;
  endMs: number;
  /** the spec the replayed history ran with, and the one in effect now */
  oldSpec: Json;
  newSpec: Json;
  /** new ÷ old worker capacity (1 when unknown) */
  workerRatio: number;
  /** the replayed update's usage rows and its span (first → last event, ms) */
  templateUsage: readonly Json[];
  templateSpanMs: number;
  /** any usage row of the pipeline, for the account, workspace, tags and identity to copy */
  sample: Json | undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
function uuidOf(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Mean nodes (driver included) the replayed update ran on: billed node-hours over its span. */
function templateNodes(i: RunBillingInput): number | null {
  const old = billingOf(i.oldSpec);
  const dbus = i.templateUsage.reduce((s, r) => s + (Number(r.usage_quantity) || 0), 0);
  if (dbus <= 0 || i.templateSpanMs <= 0 || old.dbuPerNodeHour <= 0) return null;
  return dbus / old.dbuPerNodeHour / (i.templateSpanMs / HOUR);
}

/** The usage rows of one demo run, one per hour it overlaps; [] for a run of no length. */
export function billRun(i: RunBillingInput): Json[] {
  if (!(i.endMs > i.startMs)) return [];
  const now = billingOf(i.newSpec);
  const c = updateCluster(i.newSpec);
  const cap = typeof obj(c?.autoscale)?.max_workers === 'number' ? (obj(c?.autoscale)!.max_workers as number) : typeof c?.num_workers === 'number' ? c.num_workers : 1;
  const mean = templateNodes(i);
  const nodes = now.serverless ? 1 : mean === null ? cap + 1 : 1 + Math.min(cap, Math.max(0, mean - 1) * (i.workerRatio > 0 ? i.workerRatio : 1));
  const s = i.sample ?? {};
  const out: Json[] = [];
  for (let h = Math.floor(i.startMs / HOUR) * HOUR; h < i.endMs; h += HOUR) {
    const a = Math.max(i.startMs, h);
    const b = Math.min(i.endMs, h + HOUR);
    if (b <= a) continue;
    out.push({
      record_id: uuidOf(`${i.updateId}/usage/${h}`),
      account_id: s.account_id ?? null,
      workspace_id: s.workspace_id ?? null,
      sku_name: now.sku,
      cloud: s.cloud ?? 'AWS',
      usage_start_time: iso(h),
      usage_end_time: iso(h + HOUR),
      usage_date: iso(h).slice(0, 10),
      custom_tags: s.custom_tags ?? {},
      usage_unit: 'DBU',
      usage_quantity: round6(nodes * ((b - a) / HOUR) * now.dbuPerNodeHour),
      usage_metadata: {
        cluster_id: now.serverless ? null : i.clusterId,
        instance_pool_id: null,
        node_type: now.nodeType,
        job_id: null,
        job_run_id: null,
        dlt_pipeline_id: i.pipelineId,
        dlt_update_id: i.updateId,
        dlt_maintenance_id: null,
      },
      identity_metadata: s.identity_metadata ?? null,
      record_type: 'ORIGINAL',
      ingestion_date: iso(h + 6 * HOUR).slice(0, 10),
      billing_origin_product: 'DLT',
      product_features: { dlt_tier: now.serverless ? null : now.edition, is_serverless: now.serverless, is_photon: now.photon },
      usage_type: 'COMPUTE_TIME',
    });
  }
  return out;
}
