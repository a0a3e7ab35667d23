/**
 * The demo workspace's deterministic scenario generator: one pipeline per scenario (docs/demo-workspace.md),
 * each with Databricks' own raw shapes — the GET pipeline body, ListUpdates `updates[]`, event-log rows as
 * `SELECT * FROM event_log('<id>')` returns them, `system.compute.node_timeline`, `system.billing.usage`
 * and `system.billing.list_prices` rows. Same seed and `now` → byte-identical output.
 *
 * Realistic, not tidy: every scenario carries warm-up, per-minute fluctuation, weak secondary signals,
 * ordinary flows at executor CPU/time ~0.8 and durations that vary (generate/noise.ts); what holds is that
 * the scenario's true cause is sustained over most of its latest update's running phase, so an expert
 * gives it the scenario's `expected` verdict (docs/demo-workspace.md).
 *
 * Flow metrics convention: per-minute METRICS `flow_progress` rows of streaming flows carry backlog_* and
 * that period's executor_time_ms / executor_cpu_time_ms; the flow's COMPLETED row carries its totals of
 * num_output_rows / num_upserted_rows / num_output_bytes (plus executor time for batch flows, which have
 * no METRICS rows). Summing executor time over a flow's rows and taking rows from COMPLETED never double counts.
 *
 * Layout: this file is the public entry (types, options, `generateDemoWorkspace`); scenario definitions
 * live in `scenarios/` (one file per intended verdict), the machinery in `generate/` (rng, units, model,
 * facts, noise, pipeline, update, flows, cluster, nodes, events, billing).
 */
import { demoNodeTypes } from './node-types.js';
import { listPrices } from './generate/billing.js';
import type { DemoPipeline } from './generate/model.js';
import { genPipeline } from './generate/pipeline.js';
import { Rng, hashSeed } from './generate/rng.js';
import { SCENARIOS } from './scenarios/index.js';

export type { DemoPipeline, ScenarioDef } from './generate/model.js';
export { mulberry32 } from './generate/rng.js';
export { SCENARIOS } from './scenarios/index.js';

export interface DemoWorkspaceData {
  now: number;
  workspaceId: string;
  host: string;
  pipelines: DemoPipeline[];
  listPrices: Record<string, unknown>[];
  /** GET /api/2.1/clusters/list-node-types `node_types[]` (an AWS workspace: ./node-types.ts) */
  nodeTypes: Record<string, unknown>[];
}

export interface GenerateOptions {
  seed?: number;
  now?: number;
  /** pipelines = scenarios × scale; extra copies get distinct ids and names like orders_silver_2 */
  scale?: number;
  updatesPerPipeline?: number;
}

/** 2026-11-23T08:00:00Z, a Monday */
export const DEMO_NOW = Date.parse('2026-11-23T08:00:00Z');
export const DEMO_SEED = 42;

/** Build the whole demo workspace. Deterministic for a given seed and `now`. */
export function generateDemoWorkspace(opts: GenerateOptions = {}): DemoWorkspaceData {
  const seed = opts.seed ?? DEMO_SEED;
  const now = opts.now ?? DEMO_NOW;
  const scale = Math.max(1, Math.floor(opts.scale ?? 1));
  const n = Math.max(2, Math.floor(opts.updatesPerPipeline ?? 24));
  const idRng = new Rng(hashSeed(seed, 0xabcdef));
  // 16 digits, below 2^53 so origin.org_id stays an exact JSON number
  const workspaceId = `${idRng.int(1, 8)}${String(idRng.int(0, 9_999_999)).padStart(7, '0')}${String(idRng.int(0, 99_999_999)).padStart(8, '0')}`;
  const accountId = idRng.uuid();
  const ids = { workspaceId, accountId, orgId: Number(workspaceId) };
  const pipelines: DemoPipeline[] = [];
  for (let copy = 1; copy <= scale; copy++) {
    SCENARIOS.forEach((def, index) => pipelines.push(genPipeline(def, copy, seed, now, n, ids, index)));
  }
  const skus = new Set<string>();
  for (const p of pipelines) for (const row of p.usage) skus.add(String(row.sku_name));
  // and each classic SKU's Photon / non-Photon twin: a run after an applied Photon change is billed at it (run-billing.ts)
  for (const sku of [...skus]) if (sku.startsWith('PREMIUM_DLT_')) skus.add(sku.endsWith('_(PHOTON)') ? sku.slice(0, -'_(PHOTON)'.length) : `${sku}_(PHOTON)`);
  return {
    now,
    workspaceId,
    host: `dbc-${workspaceId.slice(-8)}-demo.cloud.databricks.com`,
    pipelines,
    listPrices: listPrices(skus, accountId),
    nodeTypes: demoNodeTypes(),
  };
}
