/**
 * The demo workspace's deterministic scenario generator: one pipeline per scenario (docs/demo-workspace.md),
 * each with Databricks' own raw shapes — the GET pipeline body, ListUpdates `updates[]`, event-log rows as
 * `SELECT * FROM event_log('<id>')` returns them, `system.compute.node_timeline`, `system.billing.usage`
 * and `system.billing.list_prices` rows. Same seed and `now` → byte-identical output.
 *
 * Every scenario's latest update is built to sit clearly over its own rule's threshold and clearly under
 * every other rule's threshold (docs/rules/README.md); earlier updates are normal, with durations ±10%.
 *
 * Flow metrics convention: per-minute METRICS `flow_progress` rows of streaming flows carry backlog_* and
 * that period's executor_time_ms / executor_cpu_time_ms; the flow's COMPLETED row carries its totals of
 * num_output_rows / num_upserted_rows / num_output_bytes (plus executor time for batch flows, which have
 * no METRICS rows). Summing executor time over a flow's rows and taking rows from COMPLETED never double counts.
 */
import type { Bottleneck } from '../diagnosis/evidence.js';

export interface DemoPipeline {
  scenario: string; // e.g. 'cpu-saturation'
  expected: Bottleneck; // intended verdict of its latest update ('none' for healthy/serverless)
  pipeline: Record<string, unknown>; // GET /api/2.0/pipelines/{id} body
  updates: Record<string, unknown>[]; // UpdateInfo JSON, newest first
  events: Record<string, unknown>[]; // event-log rows, oldest first
  nodeTimeline: Record<string, unknown>[]; // [] for serverless
  usage: Record<string, unknown>[];
}

export interface DemoWorkspaceData {
  now: number;
  workspaceId: string;
  host: string;
  pipelines: DemoPipeline[];
  listPrices: Record<string, unknown>[];
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

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const USAGE_DAYS = 56;
const CLOUD = 'AWS';
const REGION = 'us-east-1';
/** how many of the newest updates get per-minute metrics, node_timeline rows and the scenario's traits */
const RECENT = 3;
/** node_timeline rows per update are capped to its last 3 hours (continuous updates run for days) */
const NODE_WINDOW_MAX = 3 * HOUR;

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: tiny, fast, good enough for demo data, and the same on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly r: () => number;
  constructor(seed: number) {
    this.r = mulberry32(seed);
  }
  next(): number {
    return this.r();
  }
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.r();
  }
  int(lo: number, hi: number): number {
    return Math.floor(this.range(lo, hi + 1));
  }
  /** v × (1 ± frac) */
  jitter(v: number, frac: number): number {
    return v * (1 + this.range(-frac, frac));
  }
  pick<T>(items: readonly T[]): T {
    const v = items[Math.floor(this.r() * items.length)];
    if (v === undefined) throw new Error('pick from empty list');
    return v;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(this.r() * 16).toString(16);
    return s;
  }
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(['8', '9', 'a', 'b'])}${this.hex(3)}-${this.hex(12)}`;
  }
}

function hashSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
  }
  return h >>> 0;
}

const round = (v: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const iso = (ms: number): string => new Date(ms).toISOString();
const day = (ms: number): string => iso(ms).slice(0, 10);

// ---------------------------------------------------------------------------------------------
// Scenario definitions

type Source = 'autoloader' | 'kafka' | 'delta';

interface FlowDef {
  table: string;
  kind: 'st' | 'mv';
  flowType: 'APPEND' | 'CHANGE' | 'MATERIALIZED_VIEW' | 'COMPLETE';
  source?: Source;
  /** source path (Auto Loader), topic (Kafka) or table (Delta) outside the pipeline */
  sourceName?: string;
  inputs: string[];
  language: 'PYTHON' | 'SQL';
  explain?: string;
  rows: number;
  rowBytes: number;
  /** start and end as fractions of the running phase */
  at: [number, number];
  /** backlog when the flow starts, bytes; drains to ~5% unless a trait says otherwise */
  backlogBytes?: number;
  /** average source file size, for backlog_files (Auto Loader / Delta) */
  fileBytes?: number;
  expectations?: string[];
  /** MV planning: chosen technique; COMPLETE_RECOMPUTE gets a CDF_UNAVAILABLE issue */
  planning?: 'incremental' | 'recompute';
  /** the flow that runs out of memory when the traits say so */
  oom?: boolean;
}

interface ClusterDef {
  nodeType: string;
  driverNodeType?: string;
  numWorkers?: number;
  autoscale?: { min: number; max: number; mode: 'ENHANCED' | 'LEGACY' };
  sparkConf?: Record<string, string>;
  pool?: boolean;
}

interface Traits {
  cpu: number; // workers' user+system %
  wait: number; // cpu_wait %
  mem: number;
  swap: number;
  netMB: number; // sent+received per worker-minute, MB
  driverMem: number;
  driverCpu: number;
  waitS: number;
  initS: number;
  setupS: number;
  /** workers while running; null = ~60% of max (autoscale) or num_workers */
  executors: number | null;
  optimal: number | null;
  util: number;
  queued: number;
  cpuRatio: number; // executor_cpu_time / executor_time
  oom: 'none' | 'retried' | 'fatal';
  durationFactor: number;
  /** [first, last] backlog bytes of the first streaming flow; growing when last > first */
  backlog: [number, number] | null;
  /** Auto Loader small-files backlog: files at start and end, and bytes per file */
  smallFiles: { start: number; end: number; fileBytes: number } | null;
}

const NORMAL: Traits = {
  cpu: 71,
  wait: 2.5,
  mem: 62,
  swap: 0,
  netMB: 190,
  driverMem: 52,
  driverCpu: 22,
  waitS: 75,
  initS: 40,
  setupS: 25,
  executors: null,
  optimal: null,
  util: 0.78,
  queued: 2,
  cpuRatio: 0.62,
  oom: 'none',
  durationFactor: 1,
  backlog: null,
  smallFiles: null,
};

interface ScenarioDef {
  name: string;
  scenario: string;
  expected: Bottleneck;
  summary: string;
  catalog: string;
  schema: string;
  owner: string;
  photon: boolean;
  serverless?: boolean;
  continuous?: boolean;
  edition?: 'CORE' | 'PRO' | 'ADVANCED';
  cluster?: ClusterDef;
  /** a separate maintenance cluster spec in `clusters[]` */
  maintenanceCluster?: boolean;
  configuration?: Record<string, string>;
  /** cluster_resources shape: nested task_slot_metrics/autoscale_info, or the older flat one */
  shape?: 'nested' | 'flat';
  durationS: number;
  /** hour of day (UTC) of the latest update */
  hourUtc: number;
  flows: FlowDef[];
  /** traits of the newest RECENT updates */
  recent?: Partial<Traits>;
  /** extra traits of the newest update only */
  latest?: Partial<Traits> & { state?: 'FAILED' | 'CANCELED' };
}

const GB = 1e9;
const MB = 1e6;

const explainScan = (table: string, cols: string): string =>
  `== Physical Plan ==\n*(1) Project [${cols}]\n+- *(1) Filter isnotnull(${cols.split(',')[0]?.trim() ?? 'id'})\n   +- *(1) ColumnarToRow\n      +- FileScan parquet ${table}[${cols}] Batched: true, DataFilters: [], Format: Parquet, PushedFilters: [IsNotNull], ReadSchema: struct<...>`;

function financeFlows(): FlowDef[] {
  const flows: FlowDef[] = [];
  const areas = ['gl', 'ap', 'ar', 'fx', 'tax', 'payroll', 'assets', 'budget', 'treasury'];
  const stages = ['raw', 'clean', 'conformed', 'summary', 'report'];
  areas.forEach((area, a) => {
    stages.forEach((stage, s) => {
      const table = `${area}_${stage}`;
      const streaming = s === 0 && a < 4;
      const i = a * stages.length + s;
      const start = (s * 0.18 + (a % 3) * 0.02) % 0.8;
      flows.push({
        table,
        kind: s <= 1 ? 'st' : 'mv',
        flowType: s === 0 ? 'APPEND' : s === 1 ? 'CHANGE' : 'MATERIALIZED_VIEW',
        ...(streaming ? { source: 'delta' as const, sourceName: `finance_landing.erp.${area}_extract`, backlogBytes: 3 * GB, fileBytes: 96 * MB } : {}),
        inputs: s === 0 ? [`finance_landing.erp.${area}_extract`] : [`${area}_${stages[s - 1] ?? 'raw'}`],
        language: 'SQL',
        rows: 400_000 + ((i * 7919) % 900_000),
        rowBytes: 220,
        at: [start, Math.min(0.98, start + 0.2)],
        ...(s >= 2 ? { planning: 'incremental' as const } : {}),
      });
    });
  });
  return flows; // 45 flows
}

export const SCENARIOS: readonly ScenarioDef[] = [
  {
    name: 'orders_silver',
    scenario: 'cpu-saturation',
    expected: 'cpu',
    summary: 'Workers at ~93% CPU on a fixed 4-worker cluster, Photon off.',
    catalog: 'main',
    schema: 'sales',
    owner: 'dana@example.com',
    photon: false,
    cluster: { nodeType: 'i3.2xlarge', numWorkers: 4 },
    shape: 'nested',
    durationS: 1500,
    hourUtc: 6,
    flows: [
      { table: 'orders_bronze', kind: 'st', flowType: 'APPEND', source: 'autoloader', sourceName: 's3://acme-landing/orders/', inputs: ['s3://acme-landing/orders/'], language: 'PYTHON', rows: 9_500_000, rowBytes: 310, at: [0, 0.55], backlogBytes: 2.9 * GB, fileBytes: 128 * MB },
      { table: 'orders_silver', kind: 'st', flowType: 'CHANGE', source: 'delta', sourceName: 'main.sales.orders_bronze', inputs: ['main.sales.orders_bronze'], language: 'PYTHON', rows: 9_200_000, rowBytes: 280, at: [0.05, 0.92], backlogBytes: 2.6 * GB, fileBytes: 96 * MB, expectations: ['valid_order_id', 'positive_amount'], explain: `== Physical Plan ==\nAppendData\n+- *(2) HashAggregate(keys=[order_id#12], functions=[max_by(struct(...), _commit_version)])\n   +- Exchange hashpartitioning(order_id#12, 200)\n      +- *(1) Project [order_id#12, customer_id#13, amount#14, status#15, _commit_version]\n         +- *(1) Filter (isnotnull(order_id#12) AND (amount#14 > 0.0))\n            +- StreamingRelation delta main.sales.orders_bronze` },
      { table: 'orders_daily_gold', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.sales.orders_silver'], language: 'SQL', rows: 42_000, rowBytes: 120, at: [0.9, 0.99], planning: 'incremental' },
    ],
    recent: { cpu: 93, cpuRatio: 0.9, util: 0.95, queued: 18, driverCpu: 30, mem: 68 },
  },
  {
    name: 'clickstream_enrich',
    scenario: 'python-udf',
    expected: 'cpu',
    summary: 'A row-at-a-time Python UDF (BatchEvalPython) dominates the enrich flow; executor CPU/time 0.86.',
    catalog: 'main',
    schema: 'web',
    owner: 'sam@example.com',
    photon: false,
    cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 10, mode: 'ENHANCED' } },
    shape: 'flat',
    durationS: 2400,
    hourUtc: 5,
    flows: [
      { table: 'clicks_raw', kind: 'st', flowType: 'APPEND', source: 'kafka', sourceName: 'clickstream.events.v2', inputs: ['kafka:clickstream.events.v2'], language: 'PYTHON', rows: 31_000_000, rowBytes: 420, at: [0, 0.6], backlogBytes: 11 * GB },
      { table: 'clicks_enriched', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'main.web.clicks_raw', inputs: ['main.web.clicks_raw'], language: 'PYTHON', rows: 30_500_000, rowBytes: 510, at: [0.04, 0.97], backlogBytes: 10 * GB, fileBytes: 110 * MB, explain: `== Physical Plan ==\nAppendData\n+- *(2) Project [event_id#3, user_id#4, url#5, pythonUDF0#41 AS geo#30, pythonUDF1#42 AS device#31]\n   +- BatchEvalPython [parse_user_agent(user_agent#6)#28, lookup_geo(ip#7)#29], [pythonUDF0#41, pythonUDF1#42]\n      +- *(1) Project [event_id#3, user_id#4, url#5, user_agent#6, ip#7]\n         +- StreamingRelation delta main.web.clicks_raw` },
      { table: 'sessions_hourly', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.web.clicks_enriched'], language: 'SQL', rows: 220_000, rowBytes: 140, at: [0.9, 0.995], planning: 'incremental' },
    ],
    recent: { cpu: 79, cpuRatio: 0.86, util: 0.84, queued: 4 },
  },
  {
    name: 'customer_360',
    scenario: 'memory',
    expected: 'memory',
    summary: 'Executors die with java.lang.OutOfMemoryError / ExecutorLostFailure (exit code 137); memory 95%, swap 10%.',
    catalog: 'main',
    schema: 'crm',
    owner: 'lee@example.com',
    photon: true,
    cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' } },
    maintenanceCluster: true,
    shape: 'nested',
    durationS: 2700,
    hourUtc: 4,
    flows: [
      { table: 'customers_silver', kind: 'st', flowType: 'CHANGE', source: 'delta', sourceName: 'crm_landing.sf.accounts_cdc', inputs: ['crm_landing.sf.accounts_cdc'], language: 'SQL', rows: 1_800_000, rowBytes: 900, at: [0, 0.3], backlogBytes: 1.6 * GB, fileBytes: 64 * MB },
      { table: 'customer_events', kind: 'st', flowType: 'APPEND', source: 'kafka', sourceName: 'crm.events', inputs: ['kafka:crm.events'], language: 'PYTHON', rows: 14_000_000, rowBytes: 650, at: [0, 0.5], backlogBytes: 8 * GB },
      { table: 'customer_360', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.crm.customers_silver', 'main.crm.customer_events'], language: 'SQL', rows: 1_750_000, rowBytes: 4200, at: [0.32, 0.98], planning: 'incremental', oom: true, explain: `== Physical Plan ==\n*(5) Project [customer_id#1, ...]\n+- *(5) SortMergeJoin [customer_id#1], [customer_id#40], LeftOuter\n   :- *(2) Sort [customer_id#1 ASC NULLS FIRST]\n   :  +- Exchange hashpartitioning(customer_id#1, 200)\n   :     +- FileScan parquet main.crm.customers_silver\n   +- *(4) Sort [customer_id#40 ASC NULLS FIRST]\n      +- *(4) HashAggregate(keys=[customer_id#40], functions=[collect_list(struct(...))])\n         +- Exchange hashpartitioning(customer_id#40, 200)\n            +- FileScan parquet main.crm.customer_events` },
    ],
    recent: { mem: 95, swap: 10, cpu: 68, oom: 'retried', cpuRatio: 0.55 },
  },
  {
    name: 'iot_ingest',
    scenario: 'io',
    expected: 'io',
    summary: 'Auto Loader backlog of ~200k files of ~40 KB; workers wait on I/O (cpu_wait ~32%, CPU ~30%).',
    catalog: 'main',
    schema: 'iot',
    owner: 'ravi@example.com',
    photon: true,
    cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' } },
    shape: 'flat',
    durationS: 1800,
    hourUtc: 3,
    flows: [
      { table: 'device_readings_raw', kind: 'st', flowType: 'APPEND', source: 'autoloader', sourceName: 's3://acme-iot/readings/', inputs: ['s3://acme-iot/readings/'], language: 'PYTHON', rows: 6_000_000, rowBytes: 180, at: [0, 0.9], backlogBytes: 4 * GB, fileBytes: 128 * MB },
      { table: 'device_readings_clean', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'main.iot.device_readings_raw', inputs: ['main.iot.device_readings_raw'], language: 'SQL', rows: 5_900_000, rowBytes: 160, at: [0.05, 0.95], backlogBytes: 1.2 * GB, fileBytes: 64 * MB, expectations: ['valid_device', 'reading_in_range'] },
      { table: 'device_hourly', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.iot.device_readings_clean'], language: 'SQL', rows: 90_000, rowBytes: 96, at: [0.9, 0.99], planning: 'incremental' },
    ],
    recent: { cpu: 30, wait: 32, util: 0.45, cpuRatio: 0.3, smallFiles: { start: 200_000, end: 150_000, fileBytes: 40_000 } },
  },
  {
    name: 'payments_join',
    scenario: 'network',
    expected: 'network',
    summary: 'A SortMergeJoin with dim_merchants shuffles ~2.5 GB per worker-minute while CPU sits at ~35%.',
    catalog: 'main',
    schema: 'payments',
    owner: 'mia@example.com',
    photon: true,
    cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 10, mode: 'ENHANCED' } },
    shape: 'nested',
    durationS: 2100,
    hourUtc: 2,
    flows: [
      { table: 'transactions_bronze', kind: 'st', flowType: 'APPEND', source: 'kafka', sourceName: 'payments.transactions', inputs: ['kafka:payments.transactions'], language: 'PYTHON', rows: 22_000_000, rowBytes: 350, at: [0, 0.5], backlogBytes: 7.5 * GB },
      { table: 'payments_enriched', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'main.payments.transactions_bronze', inputs: ['main.payments.transactions_bronze', 'main.payments.dim_merchants'], language: 'SQL', rows: 21_800_000, rowBytes: 520, at: [0.05, 0.97], backlogBytes: 7 * GB, fileBytes: 120 * MB, explain: `== Physical Plan ==\nAppendData\n+- *(5) Project [txn_id#1, amount#2, merchant_id#3, merchant_name#20, mcc#21, country#22]\n   +- *(5) SortMergeJoin [merchant_id#3], [merchant_id#19], Inner\n      :- *(2) Sort [merchant_id#3 ASC NULLS FIRST], false, 0\n      :  +- Exchange hashpartitioning(merchant_id#3, 400), ENSURE_REQUIREMENTS\n      :     +- StreamingRelation delta main.payments.transactions_bronze\n      +- *(4) Sort [merchant_id#19 ASC NULLS FIRST], false, 0\n         +- Exchange hashpartitioning(merchant_id#19, 400), ENSURE_REQUIREMENTS\n            +- *(3) ColumnarToRow\n               +- FileScan parquet main.payments.dim_merchants[merchant_id#19,merchant_name#20,mcc#21,country#22] Batched: true, Format: Parquet` },
      { table: 'merchant_daily', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.payments.payments_enriched'], language: 'SQL', rows: 310_000, rowBytes: 130, at: [0.9, 0.99], planning: 'incremental' },
    ],
    recent: { cpu: 35, netMB: 2600, util: 0.6, cpuRatio: 0.4 },
  },
  {
    name: 'inventory_mv',
    scenario: 'mv-full-recompute',
    expected: 'planning',
    summary: 'The stock_levels materialized view is fully recomputed every update (CDF_UNAVAILABLE on its source).',
    catalog: 'main',
    schema: 'supply',
    owner: 'omar@example.com',
    photon: true,
    cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' } },
    shape: 'flat',
    durationS: 1500,
    hourUtc: 7,
    flows: [
      { table: 'inventory_snapshots', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'erp.inventory.snapshots', inputs: ['erp.inventory.snapshots'], language: 'SQL', rows: 3_200_000, rowBytes: 240, at: [0, 0.3], backlogBytes: 0.8 * GB, fileBytes: 80 * MB },
      { table: 'stock_levels', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.supply.inventory_snapshots', 'erp.inventory.locations'], language: 'SQL', rows: 48_000_000, rowBytes: 160, at: [0.3, 0.92], planning: 'recompute', explain: explainScan('main.supply.inventory_snapshots', 'sku, location_id, qty, snapshot_ts') },
      { table: 'warehouse_stock_summary', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.supply.stock_levels'], language: 'SQL', rows: 12_000, rowBytes: 90, at: [0.92, 0.99], planning: 'incremental' },
    ],
    recent: {},
  },
  {
    name: 'finance_monolith',
    scenario: 'long-initialization',
    expected: 'planning',
    summary: '45 flows in one pipeline: 12 minutes of INITIALIZING + SETTING_UP_TABLES every update.',
    catalog: 'finance',
    schema: 'core',
    owner: 'ines@example.com',
    photon: true,
    cluster: { nodeType: 'i3.4xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' } },
    maintenanceCluster: true,
    shape: 'nested',
    durationS: 2400,
    hourUtc: 1,
    flows: financeFlows(),
    recent: { initS: 420, setupS: 300 },
  },
  {
    name: 'marketing_daily',
    scenario: 'slow-startup',
    expected: 'startup',
    summary: 'Waits 15 minutes for cluster resources (WAITING_FOR_RESOURCES) before doing any work.',
    catalog: 'main',
    schema: 'marketing',
    owner: 'kim@example.com',
    photon: true,
    cluster: { nodeType: 'm5d.2xlarge', autoscale: { min: 1, max: 6, mode: 'ENHANCED' } },
    shape: 'flat',
    durationS: 2100,
    hourUtc: 6,
    flows: [
      { table: 'campaign_touches', kind: 'st', flowType: 'APPEND', source: 'autoloader', sourceName: 's3://acme-mkt/touches/', inputs: ['s3://acme-mkt/touches/'], language: 'SQL', rows: 2_400_000, rowBytes: 300, at: [0, 0.6], backlogBytes: 0.9 * GB, fileBytes: 90 * MB },
      { table: 'attribution_daily', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.marketing.campaign_touches'], language: 'SQL', rows: 85_000, rowBytes: 150, at: [0.6, 0.98], planning: 'incremental' },
    ],
    recent: { waitS: 900 },
  },
  {
    name: 'events_bronze',
    scenario: 'autoscale-ceiling',
    expected: 'scaling',
    summary: 'Pinned at max_workers 8 with queued tasks, slot utilization 0.97, optimal_num_executors 16.',
    catalog: 'main',
    schema: 'events',
    owner: 'noah@example.com',
    photon: true,
    cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' } },
    shape: 'nested',
    durationS: 1800,
    hourUtc: 5,
    flows: [
      { table: 'events_raw', kind: 'st', flowType: 'APPEND', source: 'kafka', sourceName: 'app.events', inputs: ['kafka:app.events'], language: 'PYTHON', rows: 40_000_000, rowBytes: 260, at: [0, 0.7], backlogBytes: 6 * GB },
      { table: 'events_bronze', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'main.events.events_raw', inputs: ['main.events.events_raw'], language: 'PYTHON', rows: 39_500_000, rowBytes: 300, at: [0.03, 0.97], backlogBytes: 5.5 * GB, fileBytes: 128 * MB },
      { table: 'events_dedup', kind: 'st', flowType: 'CHANGE', source: 'delta', sourceName: 'main.events.events_bronze', inputs: ['main.events.events_bronze'], language: 'SQL', rows: 38_000_000, rowBytes: 300, at: [0.1, 0.98], backlogBytes: 5 * GB, fileBytes: 128 * MB },
    ],
    recent: { cpu: 76, executors: 8, optimal: 16, util: 0.97, queued: 42 },
  },
  {
    name: 'legacy_sales',
    scenario: 'legacy-autoscaling',
    expected: 'scaling',
    summary: 'Legacy autoscaling (mode LEGACY) on the updates cluster, pinned at its 6-worker max.',
    catalog: 'main',
    schema: 'sales',
    owner: 'dana@example.com',
    photon: true,
    edition: 'PRO',
    cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 6, mode: 'LEGACY' } },
    shape: 'flat',
    durationS: 2000,
    hourUtc: 4,
    flows: [
      { table: 'sales_raw', kind: 'st', flowType: 'APPEND', source: 'autoloader', sourceName: 's3://acme-landing/sales/', inputs: ['s3://acme-landing/sales/'], language: 'SQL', rows: 12_000_000, rowBytes: 330, at: [0, 0.6], backlogBytes: 4 * GB, fileBytes: 128 * MB },
      { table: 'sales_by_region', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.sales.sales_raw'], language: 'SQL', rows: 64_000, rowBytes: 120, at: [0.6, 0.98], planning: 'incremental' },
    ],
    recent: { cpu: 75, executors: 6, optimal: 9, util: 0.95, queued: 25 },
  },
  {
    name: 'telemetry_stream',
    scenario: 'growing-backlog',
    expected: 'backlog',
    summary: 'Continuous pipeline whose Kafka backlog grows from 2 GB to 40 GB in an hour.',
    catalog: 'main',
    schema: 'telemetry',
    owner: 'yuki@example.com',
    photon: true,
    continuous: true,
    cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 12, mode: 'ENHANCED' } },
    shape: 'nested',
    durationS: 0, // continuous: runs until the next update
    hourUtc: 6,
    flows: [
      { table: 'telemetry_raw', kind: 'st', flowType: 'APPEND', source: 'kafka', sourceName: 'telemetry.metrics', inputs: ['kafka:telemetry.metrics'], language: 'PYTHON', rows: 50_000_000, rowBytes: 240, at: [0, 1], backlogBytes: 1.5 * GB },
      { table: 'telemetry_parsed', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'main.telemetry.telemetry_raw', inputs: ['main.telemetry.telemetry_raw'], language: 'PYTHON', rows: 49_000_000, rowBytes: 280, at: [0.01, 1], backlogBytes: 0.4 * GB, fileBytes: 64 * MB },
    ],
    recent: {},
    latest: { backlog: [2 * GB, 40 * GB], state: 'CANCELED' },
  },
  {
    name: 'reports_gold',
    scenario: 'healthy',
    expected: 'none',
    summary: 'Healthy: CPU ~72%, incremental MV refreshes, nothing to fix.',
    catalog: 'main',
    schema: 'reporting',
    owner: 'ana@example.com',
    photon: true,
    cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' } },
    shape: 'flat',
    durationS: 1200,
    hourUtc: 7,
    flows: [
      { table: 'revenue_daily', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.sales.orders_silver'], language: 'SQL', rows: 3_600, rowBytes: 110, at: [0, 0.45], planning: 'incremental' },
      { table: 'customer_ltv', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.crm.customer_360', 'main.sales.orders_silver'], language: 'SQL', rows: 1_750_000, rowBytes: 90, at: [0.1, 0.9], planning: 'incremental', explain: `== Physical Plan ==\n*(3) HashAggregate(keys=[customer_id#1], functions=[sum(amount#9)])\n+- *(3) BroadcastHashJoin [customer_id#1], [customer_id#8], Inner, BuildRight\n   :- FileScan parquet main.crm.customer_360\n   +- BroadcastExchange HashedRelationBroadcastMode\n      +- FileScan parquet main.sales.orders_silver` },
      { table: 'kpi_board', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.reporting.revenue_daily', 'main.reporting.customer_ltv'], language: 'SQL', rows: 120, rowBytes: 200, at: [0.9, 0.99], planning: 'incremental' },
    ],
    recent: { cpu: 72 },
  },
  {
    name: 'web_sessions_serverless',
    scenario: 'serverless-healthy',
    expected: 'none',
    summary: 'Healthy serverless pipeline: no clusters, so no node metrics or cluster_resources.',
    catalog: 'main',
    schema: 'web',
    owner: 'sam@example.com',
    photon: true,
    serverless: true,
    shape: 'nested',
    durationS: 900,
    hourUtc: 7,
    flows: [
      { table: 'sessions_bronze', kind: 'st', flowType: 'APPEND', source: 'autoloader', sourceName: 's3://acme-web/sessions/', inputs: ['s3://acme-web/sessions/'], language: 'SQL', rows: 4_200_000, rowBytes: 380, at: [0, 0.6], backlogBytes: 1.5 * GB, fileBytes: 120 * MB },
      { table: 'sessions_daily', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.web.sessions_bronze'], language: 'SQL', rows: 28_000, rowBytes: 140, at: [0.6, 0.98], planning: 'incremental' },
    ],
    recent: { waitS: 20, initS: 25, setupS: 15 },
  },
  {
    name: 'ledger_nightly',
    scenario: 'io-regression',
    expected: 'io',
    summary: 'Latest update took 2.2× its median with flat row counts; workers wait on I/O (cpu_wait ~24%).',
    catalog: 'finance',
    schema: 'ledger',
    owner: 'ines@example.com',
    photon: true,
    cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' } },
    shape: 'nested',
    durationS: 1800,
    hourUtc: 2,
    flows: [
      { table: 'journal_entries', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'finance_landing.erp.journal', inputs: ['finance_landing.erp.journal'], language: 'SQL', rows: 8_000_000, rowBytes: 260, at: [0, 0.5], backlogBytes: 2 * GB, fileBytes: 100 * MB },
      { table: 'ledger_balances', kind: 'st', flowType: 'CHANGE', source: 'delta', sourceName: 'finance.ledger.journal_entries', inputs: ['finance.ledger.journal_entries'], language: 'SQL', rows: 1_200_000, rowBytes: 180, at: [0.05, 0.95], backlogBytes: 1.9 * GB, fileBytes: 100 * MB },
      { table: 'trial_balance', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['finance.ledger.ledger_balances'], language: 'SQL', rows: 9_000, rowBytes: 120, at: [0.95, 0.995], planning: 'incremental' },
    ],
    recent: {},
    latest: { durationFactor: 2.2, cpu: 38, wait: 24, util: 0.5, cpuRatio: 0.35 },
  },
  {
    name: 'warehouse_sync',
    scenario: 'over-provisioned',
    expected: 'scaling',
    summary: 'A fixed 16-worker cluster idles at ~20% CPU and 0.2 slot utilization.',
    catalog: 'main',
    schema: 'warehouse',
    owner: 'omar@example.com',
    photon: true,
    cluster: { nodeType: 'i3.2xlarge', numWorkers: 16 },
    shape: 'flat',
    durationS: 1500,
    hourUtc: 3,
    flows: [
      { table: 'shipments_sync', kind: 'st', flowType: 'CHANGE', source: 'delta', sourceName: 'ops.wms.shipments_cdc', inputs: ['ops.wms.shipments_cdc'], language: 'SQL', rows: 2_100_000, rowBytes: 400, at: [0, 0.7], backlogBytes: 0.7 * GB, fileBytes: 64 * MB },
      { table: 'bin_locations', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['ops.wms.bins'], language: 'SQL', rows: 650_000, rowBytes: 120, at: [0.1, 0.6], planning: 'incremental' },
      { table: 'warehouse_snapshot', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.warehouse.shipments_sync', 'main.warehouse.bin_locations'], language: 'SQL', rows: 30_000, rowBytes: 160, at: [0.7, 0.98], planning: 'incremental' },
    ],
    recent: { cpu: 20, util: 0.2, queued: 0, netMB: 120, cpuRatio: 0.5 },
  },
  {
    name: 'billing_failed',
    scenario: 'failed-oom',
    expected: 'memory',
    summary: 'The latest update FAILED: java.lang.OutOfMemoryError on the invoice aggregation.',
    catalog: 'main',
    schema: 'billing',
    owner: 'lee@example.com',
    photon: true,
    cluster: { nodeType: 'i3.2xlarge', autoscale: { min: 2, max: 8, mode: 'ENHANCED' } },
    shape: 'nested',
    durationS: 2000,
    hourUtc: 5,
    flows: [
      { table: 'invoice_lines', kind: 'st', flowType: 'APPEND', source: 'delta', sourceName: 'billing_landing.erp.invoice_lines', inputs: ['billing_landing.erp.invoice_lines'], language: 'SQL', rows: 18_000_000, rowBytes: 300, at: [0, 0.45], backlogBytes: 5 * GB, fileBytes: 128 * MB },
      { table: 'invoices_agg', kind: 'mv', flowType: 'MATERIALIZED_VIEW', inputs: ['main.billing.invoice_lines'], language: 'PYTHON', rows: 2_300_000, rowBytes: 700, at: [0.45, 0.97], planning: 'incremental', oom: true },
    ],
    recent: { mem: 88, swap: 1, cpu: 66 },
    latest: { oom: 'fatal', mem: 94, swap: 7, state: 'FAILED' },
  },
];

// ---------------------------------------------------------------------------------------------
// Node types, SKUs and prices

const NODE_TYPES: Record<string, { cores: number; dbuPerHour: number }> = {
  'i3.2xlarge': { cores: 8, dbuPerHour: 2 },
  'i3.4xlarge': { cores: 16, dbuPerHour: 4 },
  'm5d.2xlarge': { cores: 8, dbuPerHour: 1.5 },
};
const PHOTON_DBU_MULTIPLIER = 2;
/** serverless DBUs per hour of update, for a small pipeline */
const SERVERLESS_DBU_PER_HOUR = 9;
const SERVERLESS_SKU = 'PREMIUM_JOBS_SERVERLESS_COMPUTE_US_EAST_N_VIRGINIA';
const PRICES: Record<string, number> = {
  PREMIUM_DLT_CORE_COMPUTE: 0.3,
  'PREMIUM_DLT_CORE_COMPUTE_(PHOTON)': 0.3,
  PREMIUM_DLT_PRO_COMPUTE: 0.38,
  'PREMIUM_DLT_PRO_COMPUTE_(PHOTON)': 0.38,
  PREMIUM_DLT_ADVANCED_COMPUTE: 0.54,
  'PREMIUM_DLT_ADVANCED_COMPUTE_(PHOTON)': 0.54,
  [SERVERLESS_SKU]: 0.45,
};

function skuOf(def: ScenarioDef, photon: boolean): string {
  if (def.serverless) return SERVERLESS_SKU;
  return `PREMIUM_DLT_${def.edition ?? 'ADVANCED'}_COMPUTE${photon ? '_(PHOTON)' : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Generation

interface Ctx {
  rng: Rng;
  def: ScenarioDef;
  name: string;
  pipelineId: string;
  workspaceId: string;
  accountId: string;
  orgId: number;
  events: Record<string, unknown>[];
  nodeTimeline: Record<string, unknown>[];
  usage: Record<string, unknown>[];
  seq: number;
  instance: string;
}

interface UpdatePlan {
  id: string;
  start: number;
  cause: string;
  clusterId: string | null;
  traits: Traits;
  recent: boolean;
  latest: boolean;
  state: 'COMPLETED' | 'FAILED' | 'CANCELED';
  durationS: number;
}

function fq(def: ScenarioDef, table: string): string {
  return table.includes('.') || table.includes(':') ? table : `${def.catalog}.${def.schema}.${table}`;
}

function clusterIdFor(rng: Rng, t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${rng.hex(8)}`;
}

function maxWorkers(def: ScenarioDef): number {
  const c = def.cluster;
  return c?.autoscale?.max ?? c?.numWorkers ?? 0;
}

function targetExecutors(def: ScenarioDef, traits: Traits): number {
  const c = def.cluster;
  if (!c) return 0;
  if (c.numWorkers !== undefined) return c.numWorkers;
  if (traits.executors !== null) return traits.executors;
  const a = c.autoscale;
  if (!a) return 0;
  return clamp(Math.round(a.max * 0.6), a.min, a.max - 1);
}

function pushEvent(
  ctx: Ctx,
  e: {
    t: number;
    type: string;
    level?: string;
    message: string;
    details: Record<string, unknown>;
    update?: UpdatePlan;
    flow?: { name: string; id: string; dataset: string };
    error?: Record<string, unknown> | null;
    maturity?: string;
    dataPlane?: boolean;
  },
): void {
  ctx.seq += 1;
  const origin: Record<string, unknown> = {
    cloud: CLOUD,
    region: REGION,
    org_id: ctx.orgId,
    pipeline_id: ctx.pipelineId,
    pipeline_type: 'WORKSPACE',
    pipeline_name: ctx.name,
  };
  if (e.update) {
    origin.update_id = e.update.id;
    if (e.update.clusterId && e.dataPlane) origin.cluster_id = e.update.clusterId;
  }
  if (e.flow) {
    origin.flow_id = e.flow.id;
    origin.flow_name = e.flow.name;
    origin.dataset_name = e.flow.dataset;
  }
  ctx.events.push({
    id: ctx.rng.uuid(),
    sequence: e.dataPlane
      ? { data_plane_id: { instance: ctx.instance, seq_no: ctx.seq }, control_plane_seq_no: null }
      : { control_plane_seq_no: ctx.seq },
    origin,
    timestamp: iso(Math.round(e.t)),
    message: e.message,
    level: e.level ?? 'INFO',
    maturity_level: e.maturity ?? 'STABLE',
    error: e.error ?? null,
    details: e.details,
    event_type: e.type,
  });
}

function traitsFor(def: ScenarioDef, recent: boolean, latest: boolean): Traits {
  const { state: _state, ...latestTraits } = def.latest ?? {};
  return { ...NORMAL, ...(recent ? def.recent : {}), ...(latest ? latestTraits : {}) };
}

function oomError(fatal: boolean, executor: number): Record<string, unknown> {
  return {
    fatal,
    exceptions: [
      {
        class_name: 'org.apache.spark.SparkException',
        message: `Job aborted due to stage failure: Task 37 in stage 112.0 failed 4 times, most recent failure: Lost task 37.3 in stage 112.0 (TID 8841) (10.12.4.${20 + executor} executor ${executor}): ExecutorLostFailure (executor ${executor} exited caused by one of the running tasks) Reason: Container killed on request. Exit code is 137 (OOMKilled)`,
        stack: [
          { declaring_class: 'org.apache.spark.scheduler.DAGScheduler', method_name: 'failJobAndIndependentStages', file_name: 'DAGScheduler.scala', line_number: 3628 },
        ],
      },
      {
        class_name: 'java.lang.OutOfMemoryError',
        message: 'Java heap space',
        stack: [{ declaring_class: 'org.apache.spark.sql.execution.joins.UnsafeHashedRelation$', method_name: 'apply', file_name: 'HashedRelation.scala', line_number: 479 }],
      },
    ],
  };
}

interface FlowRuntime {
  def: FlowDef;
  name: string;
  dataset: string;
  id: string;
}

function genUpdate(ctx: Ctx, u: UpdatePlan, flowRuntimes: FlowRuntime[]): void {
  const { rng, def } = ctx;
  const tr = u.traits;
  const classic = !def.serverless;
  const short = u.id.slice(0, 6);
  const t0 = u.start;

  // ---- phases
  const waitS = rng.jitter(tr.waitS, 0.08);
  const initS = rng.jitter(tr.initS, 0.08);
  const setupS = rng.jitter(tr.setupS, 0.08);
  const runningS = Math.max(300, u.durationS - waitS - initS - setupS - 8);
  const tWait = t0 + 2 * SEC + rng.range(0, 800);
  const tInit = tWait + waitS * SEC;
  const tSetup = tInit + initS * SEC;
  const tRun = tSetup + setupS * SEC;
  const failAt = u.state === 'FAILED' ? 0.62 : 1;
  const tRunEnd = tRun + runningS * SEC * failAt;
  const tEnd = tRunEnd + (u.state === 'CANCELED' ? 20 * SEC : 1.5 * SEC);
  // per-minute METRICS rows for recent updates, coarser for older ones; capped per series (continuous runs last days)
  const metricEvery = u.recent ? Math.max(MIN, (runningS * SEC) / 240) : Math.max(5 * MIN, (runningS * SEC) / 120);

  // ---- create_update, user_action, early update_progress
  if (u.cause === 'USER_ACTION') {
    pushEvent(ctx, { t: t0 - 400, type: 'user_action', message: `User ${def.owner} started an update.`, details: { user_action: { action: 'START', user_name: def.owner, user_id: 4_100_000_000_000 + (ctx.orgId % 1000) } } });
  }
  pushEvent(ctx, {
    t: t0,
    type: 'create_update',
    update: u,
    message: `Update ${short} started by ${u.cause}.`,
    details: { create_update: { cause: u.cause, full_refresh: false, full_refresh_selection: [], refresh_selection: [], validate_only: false, run_as: def.owner } },
  });
  const progress = (t: number, state: string, extra: { error?: Record<string, unknown>; level?: string; cancellation?: string } = {}) =>
    pushEvent(ctx, {
      t,
      type: 'update_progress',
      update: u,
      level: extra.level ?? 'INFO',
      message: `Update ${short} is ${state}.`,
      details: { update_progress: { state, ...(extra.cancellation ? { cancellation_cause: extra.cancellation } : {}) } },
      ...(extra.error ? { error: extra.error } : {}),
    });
  progress(t0 + 300, 'QUEUED');
  progress(t0 + 1200, 'CREATED');
  progress(tWait, 'WAITING_FOR_RESOURCES');
  progress(tInit, 'INITIALIZING');
  pushEvent(ctx, {
    t: tInit + 4 * SEC,
    type: 'runtime_details',
    update: u,
    dataPlane: true,
    message: 'Pipeline runtime details.',
    details: { runtime_details: { runtime_version: { dbr_version: classic ? '16.4' : 'serverless' }, image_key: classic ? `dlt:16.4.8-delta-pipelines-dlt-release-dp-2026.44-rc0-commit-${ctx.instance.slice(-7)}-image-${u.id.slice(0, 6)}` : null } },
  });

  // ---- definitions (during INITIALIZING)
  const datasets = new Set<string>();
  flowRuntimes.forEach((f, i) => {
    const t = tInit + (initS * SEC * (0.3 + (0.6 * i) / Math.max(1, flowRuntimes.length)));
    if (!datasets.has(f.dataset)) {
      datasets.add(f.dataset);
      pushEvent(ctx, {
        t: t - 50,
        type: 'dataset_definition',
        update: u,
        dataPlane: true,
        flow: f,
        message: `Dataset '${f.dataset}' defined as ${f.def.kind === 'mv' ? 'MATERIALIZED_VIEW' : 'STREAMING_TABLE'}.`,
        details: {
          dataset_definition: {
            dataset_type: f.def.kind === 'mv' ? 'MATERIALIZED_VIEW' : 'STREAMING_TABLE',
            num_flows: 1,
            expectations: (f.def.expectations ?? []).map((name) => ({ name, action: 'DROP' })),
          },
        },
      });
    }
    pushEvent(ctx, {
      t,
      type: 'flow_definition',
      update: u,
      dataPlane: true,
      flow: f,
      message: `Flow '${f.name}' is defined as ${f.def.flowType}.`,
      details: {
        flow_definition: {
          output_dataset: f.dataset,
          input_datasets: f.def.inputs.map((x) => fq(def, x)),
          flow_type: f.def.flowType,
          explain_text: f.def.explain ?? explainScan(fq(def, f.def.inputs[0] ?? f.def.table), 'id, payload, updated_at'),
          language: f.def.language,
          spark_conf: [],
          once: false,
        },
      },
    });
  });
  progress(tSetup, 'SETTING_UP_TABLES');
  progress(tRun, 'RUNNING');

  // ---- cluster: autoscale ramp, cluster_resources
  const maxW = maxWorkers(def);
  const target = targetExecutors(def, tr);
  const autoscale = def.cluster?.autoscale;
  const minW = autoscale?.min ?? def.cluster?.numWorkers ?? 0;
  const cores = NODE_TYPES[def.cluster?.nodeType ?? 'i3.2xlarge']?.cores ?? 8;
  const optimal = tr.optimal ?? target;
  const rampEnd = tRun + 3 * MIN;
  const executorsAt = (t: number): number => {
    if (!autoscale) return target;
    if (t < tRun) return minW;
    if (t >= rampEnd) return target;
    return Math.round(minW + ((target - minW) * (t - tRun)) / (rampEnd - tRun));
  };
  if (classic && autoscale && target > minW) {
    pushEvent(ctx, {
      t: tRun + 20 * SEC,
      type: 'autoscale',
      update: u,
      dataPlane: true,
      maturity: 'EVOLVING',
      message: `Scaling up cluster from ${minW} to ${target} executors.`,
      details: { autoscale: { status: 'RESIZING', optimal_num_executors: optimal, requested_num_executors: target } },
    });
    pushEvent(ctx, {
      t: rampEnd,
      type: 'autoscale',
      update: u,
      dataPlane: true,
      maturity: 'EVOLVING',
      message: `Cluster resized to ${target} executors.`,
      details: { autoscale: { status: 'SUCCEEDED', optimal_num_executors: optimal, requested_num_executors: target } },
    });
    if (optimal > target) {
      for (let t = rampEnd + 10 * MIN; t < tRunEnd; t += 10 * MIN) {
        pushEvent(ctx, {
          t,
          type: 'autoscale',
          update: u,
          dataPlane: true,
          maturity: 'EVOLVING',
          message: `Optimal cluster size is ${optimal} executors, capped at max_workers ${maxW}.`,
          details: { autoscale: { status: 'SUCCEEDED', optimal_num_executors: optimal, requested_num_executors: target } },
        });
      }
    }
  }
  if (classic) {
    for (let t = tSetup + 30 * SEC; t < tRunEnd; t += metricEvery) {
      const running = t >= tRun;
      const ex = executorsAt(t);
      const slots = ex * cores;
      const util = running ? clamp(rng.jitter(tr.util, 0.03), 0.01, 0.995) : rng.range(0.02, 0.08);
      const queued = running ? Math.max(0, Math.round(rng.jitter(tr.queued, 0.25))) : 0;
      const reqEx = running ? target : minW;
      const opt = running ? optimal : minW;
      const scalingUp = running && ex < target;
      // the same slot metrics sit at the top of the older flat shape and inside task_slot_metrics in the nested one
      const slotMetrics = {
        num_task_slots: slots,
        avg_num_task_slots: slots,
        avg_task_slot_utilization: round(util, 3),
        num_executors: ex,
        avg_num_queued_tasks: queued,
      };
      const details =
        def.shape === 'flat'
          ? {
              cluster_resources: {
                ...slotMetrics,
                ...(autoscale
                  ? { state: scalingUp ? 'SCALE_UP_IN_PROGRESS_WAITING_FOR_EXECUTORS' : 'CLUSTER_AT_DESIRED_SIZE', optimal_num_executors: opt, latest_requested_num_executors: reqEx }
                  : {}),
              },
            }
          : {
              cluster_resources: {
                task_slot_metrics: { summary_duration_ms: Math.round(metricEvery), ...slotMetrics },
                ...(autoscale
                  ? { autoscale_info: { state: scalingUp ? 'RESIZING' : 'SUCCEEDED', optimal_num_executors: opt, latest_requested_num_executors: reqEx, request_pending_seconds: scalingUp ? round((t - tRun) / SEC, 1) : 0 } }
                  : {}),
              },
            };
      pushEvent(ctx, { t, type: 'cluster_resources', update: u, dataPlane: true, level: 'METRICS', maturity: 'EVOLVING', message: `Cluster has ${ex} executors and ${slots} task slots.`, details });
    }
  }

  // ---- flows
  const totalCores = classic ? target * cores : 32;
  const activeAt = (t: number): number =>
    Math.max(1, flowRuntimes.filter((f) => t >= tRun + f.def.at[0] * runningS * SEC && t <= tRun + f.def.at[1] * runningS * SEC).length);
  let oomsLeft = tr.oom === 'retried' ? 3 : 0;
  let failedFlow = false;
  flowRuntimes.forEach((f, fi) => {
    const fs = tRun + f.def.at[0] * runningS * SEC + 800 + fi * 37;
    const fe = tRun + f.def.at[1] * runningS * SEC;
    const flowPush = (t: number, status: string, extra: { level?: string; metrics?: Record<string, unknown>; dq?: Record<string, unknown>; error?: Record<string, unknown>; message?: string } = {}) =>
      pushEvent(ctx, {
        t,
        type: 'flow_progress',
        update: u,
        dataPlane: true,
        flow: f,
        level: extra.level ?? 'INFO',
        message: extra.message ?? `Flow '${f.name}' is ${status}.`,
        details: { flow_progress: { status, ...(extra.metrics ? { metrics: extra.metrics } : {}), ...(extra.dq ? { data_quality: extra.dq } : {}) } },
        ...(extra.error ? { error: extra.error } : {}),
      });
    if (fs >= tRunEnd) {
      if (u.state !== 'COMPLETED') flowPush(tRunEnd + 500, u.state === 'FAILED' ? 'SKIPPED' : 'STOPPED');
      return;
    }
    flowPush(tRun + 200 + fi * 13, 'QUEUED');
    flowPush(fs, 'STARTING');
    if (f.def.kind === 'mv' && f.def.planning) {
      const recompute = f.def.planning === 'recompute';
      const targetInfo = { table_name: f.dataset, catalog_table_type: 'MATERIALIZED_VIEW', is_row_id_enabled: true, is_cdf_enabled: false };
      pushEvent(ctx, {
        t: fs + 1500,
        type: 'planning_information',
        update: u,
        dataPlane: true,
        flow: f,
        maturity: 'EVOLVING',
        message: recompute
          ? `Flow '${f.name}' has been planned to be executed as COMPLETE_RECOMPUTE.`
          : `Flow '${f.name}' has been planned to be executed as ROW_BASED.`,
        details: {
          planning_information: {
            technique_information: recompute
              ? [
                  {
                    maintenance_type: 'MAINTENANCE_TYPE_ROW_BASED',
                    is_chosen: false,
                    is_applicable: false,
                    incrementalization_issues: [
                      {
                        issue_type: 'CDF_UNAVAILABLE',
                        prevent_incrementalization: true,
                        table_information: { table_name: fq(def, f.def.inputs[0] ?? ''), is_cdf_enabled: false, is_row_id_enabled: false },
                      },
                    ],
                  },
                  { maintenance_type: 'MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', is_chosen: true, is_applicable: true },
                ]
              : [
                  { maintenance_type: 'MAINTENANCE_TYPE_ROW_BASED', is_chosen: true, is_applicable: true, change_set_information: { change_set_type: 'CHANGE_SET_TYPE_GENERAL_ROW_CHANGE' } },
                  { maintenance_type: 'MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', is_chosen: false, is_applicable: true },
                ],
            source_table_information: f.def.inputs.map((x) => ({ table_name: fq(def, x), is_cdf_enabled: !recompute, is_row_id_enabled: !recompute })),
            target_table_information: targetInfo,
          },
        },
      });
    }
    if (f.def.source === 'autoloader') {
      const small = tr.smallFiles;
      const listed = small ? Math.round(rng.jitter(small.start, 0.02)) : rng.int(120, 480);
      const path = f.def.sourceName ?? '';
      pushEvent(ctx, { t: fs + 700, type: 'operation_progress', update: u, dataPlane: true, flow: f, maturity: 'EVOLVING', message: `Auto Loader started listing ${path}.`, details: { operation_progress: { type: 'AUTO_LOADER_LISTING', status: 'STARTED', auto_loader_details: { source_path: path } } } });
      const durMs = small ? rng.range(380, 460) * SEC : rng.range(2, 9) * SEC;
      pushEvent(ctx, { t: fs + 700 + durMs, type: 'operation_progress', update: u, dataPlane: true, flow: f, maturity: 'EVOLVING', message: `Auto Loader listed ${listed} files in ${path}.`, details: { operation_progress: { type: 'AUTO_LOADER_LISTING', status: 'COMPLETED', duration_ms: Math.round(durMs), auto_loader_details: { source_path: path, num_files_listed: listed } } } });
    }
    flowPush(fs + 2500, 'RUNNING');

    const end = Math.min(fe, tRunEnd);
    const streaming = f.def.source !== undefined;
    const periodExec = (t: number, span: number) => (totalCores * span * clamp(tr.util, 0.05, 1)) / activeAt(t);

    // OOM: three retried failures, or one fatal, on the flow marked `oom`
    if (tr.oom === 'retried' && f.def.oom) {
      for (let k = 0; k < oomsLeft; k++) {
        const t = fs + ((end - fs) * (k + 1)) / 5;
        flowPush(t, 'FAILED', { level: 'ERROR', error: oomError(false, 2 + k), message: `Flow '${f.name}' has FAILED. It will be retried.` });
        flowPush(t + 15 * SEC, 'STARTING');
        flowPush(t + 25 * SEC, 'RUNNING');
      }
      oomsLeft = 0;
    }

    if (streaming) {
      const grow = fi === 0 && tr.backlog !== null ? tr.backlog : null;
      const b0 = grow ? grow[0] : (f.def.backlogBytes ?? GB) * rng.jitter(1, 0.05);
      const b1 = grow ? grow[1] : b0 * 0.05;
      const small = f.def.source === 'autoloader' ? tr.smallFiles : null;
      const steps = Math.max(1, Math.floor((end - fs - 3 * SEC) / metricEvery));
      for (let k = 1; k <= steps; k++) {
        const t = fs + 3 * SEC + k * metricEvery;
        if (t >= end) break;
        const frac = k / steps;
        const span = metricEvery;
        const pe = periodExec(t, span);
        const pc = pe * clamp(rng.jitter(tr.cpuRatio, 0.03), 0.05, 0.99);
        let bytes: number;
        let files: number | null = null;
        if (small) {
          files = Math.round(small.start + (small.end - small.start) * frac);
          bytes = files * small.fileBytes;
        } else {
          // growing backlogs grow monotonically with positive noise; others drain with a little noise
          bytes = grow ? b0 + (b1 - b0) * frac * rng.range(0.97, 1) : Math.max(0, b0 + (b1 - b0) * frac) * rng.range(0.98, 1);
          if (grow && k > 1) bytes = Math.max(bytes, b0 + (b1 - b0) * ((k - 1) / steps));
          if (f.def.fileBytes) files = Math.max(0, Math.round(bytes / f.def.fileBytes));
        }
        const metrics: Record<string, unknown> = {
          backlog_bytes: Math.round(bytes),
          executor_time_ms: Math.round(pe),
          executor_cpu_time_ms: Math.round(pc),
        };
        if (files !== null) metrics.backlog_files = files;
        if (f.def.source === 'kafka') {
          metrics.backlog_records = Math.round(bytes / f.def.rowBytes);
          metrics.source_metrics = [{ source_name: f.def.sourceName, backlog_bytes: Math.round(bytes), backlog_records: Math.round(bytes / f.def.rowBytes) }];
        }
        flowPush(t, 'RUNNING', { level: 'METRICS', metrics, message: `Completed a streaming update of '${f.name}'.` });
      }
    }

    if (tr.oom === 'fatal' && f.def.oom && !failedFlow) {
      failedFlow = true;
      flowPush(tRunEnd - 2 * SEC, 'FAILED', { level: 'ERROR', error: oomError(true, 4), message: `Flow '${f.name}' has FAILED fatally. An error occurred.` });
      return;
    }
    if (fe > tRunEnd && u.state === 'FAILED') {
      flowPush(tRunEnd + 600, 'STOPPED');
      return;
    }
    const stopped = u.state === 'CANCELED' && fe >= tRunEnd;
    // rows stay flat across updates (ledger_nightly's regression is a slowdown, not data growth)
    const rowsTotal = Math.round(f.def.rows * rng.jitter(1, 0.04));
    const metrics: Record<string, unknown> = {
      num_output_rows: f.def.flowType === 'CHANGE' ? 0 : rowsTotal,
      num_output_bytes: Math.round(rowsTotal * f.def.rowBytes),
    };
    if (f.def.flowType === 'CHANGE') {
      metrics.num_upserted_rows = rowsTotal;
      metrics.num_deleted_rows = Math.round(rowsTotal * 0.002);
    }
    if (!streaming) {
      const span = end - fs;
      const pe = (totalCores * span * clamp(tr.util, 0.05, 1)) / Math.max(1, activeAt((fs + end) / 2));
      metrics.executor_time_ms = Math.round(pe);
      metrics.executor_cpu_time_ms = Math.round(pe * tr.cpuRatio);
    }
    const dq = f.def.expectations
      ? {
          dropped_records: Math.round(rowsTotal * 0.0004),
          expectations: f.def.expectations.map((name) => ({ name, dataset: f.dataset, passed_records: rowsTotal, failed_records: Math.round(rowsTotal * 0.0002) })),
        }
      : undefined;
    // a canceled (continuous) update stops its flows; the terminal row still carries the totals
    flowPush(end, stopped ? 'STOPPED' : 'COMPLETED', { metrics, ...(dq ? { dq } : {}) });
  });

  // ---- end of update
  if (u.state === 'FAILED') {
    progress(tEnd, 'FAILED', { level: 'ERROR', error: oomError(true, 4) });
  } else if (u.state === 'CANCELED') {
    pushEvent(ctx, { t: tRunEnd - 400, type: 'user_action', message: `User ${def.owner} stopped the pipeline.`, details: { user_action: { action: 'STOP', user_name: def.owner, user_id: 4_100_000_000_000 + (ctx.orgId % 1000) } } });
    progress(tRunEnd, 'STOPPING');
    progress(tEnd, 'CANCELED', { cancellation: 'USER_ACTION' });
  } else {
    progress(tEnd, 'COMPLETED');
  }

  // ---- node_timeline (recent updates of classic pipelines)
  if (classic && u.recent && u.clusterId) {
    genNodes(ctx, u, tInit, tRun, tEnd, executorsAt);
  }

  // ---- billing: one row per update-hour on the update's cluster
  genUsage(ctx, u, classic ? tInit : tWait, tEnd, (t) => (classic ? executorsAt(t) + 1 : 0));
}

function genNodes(ctx: Ctx, u: UpdatePlan, tInit: number, tRun: number, tEnd: number, executorsAt: (t: number) => number): void {
  const { rng, def } = ctx;
  const tr = u.traits;
  const clusterId = u.clusterId ?? '';
  const nodeType = def.cluster?.nodeType ?? 'i3.2xlarge';
  const driverType = def.cluster?.driverNodeType ?? nodeType;
  const from = Math.max(Math.ceil(tInit / MIN) * MIN, tEnd - NODE_WINDOW_MAX);
  const maxW = Math.max(maxWorkers(def), executorsAt(tEnd));
  const instances = Array.from({ length: maxW + 1 }, () => `i-0${rng.hex(16)}`);
  // stable per-worker offsets keep workers close (no skew)
  const offsets = Array.from({ length: maxW }, () => rng.range(-2, 2));
  for (let t = from; t + MIN <= tEnd; t += MIN) {
    const running = t >= tRun;
    const workers = running ? executorsAt(t) : 0;
    for (let w = -1; w < workers; w++) {
      const driver = w === -1;
      const cpu = driver ? rng.jitter(tr.driverCpu, 0.15) : clamp(tr.cpu + (offsets[w] ?? 0) + rng.range(-3, 3), 1, 99.5);
      const mem = driver ? rng.jitter(tr.driverMem, 0.05) : clamp(tr.mem + rng.range(-2, 2), 5, 99.5);
      const swap = driver || tr.swap === 0 ? 0 : clamp(tr.swap + rng.range(-1, 1), 0, 100);
      const wait = driver ? rng.range(0.3, 1.5) : clamp(tr.wait + rng.range(-1.5, 1.5), 0, 100);
      const net = driver ? rng.range(10, 30) * MB : rng.jitter(tr.netMB, 0.1) * MB;
      ctx.nodeTimeline.push({
        account_id: ctx.accountId,
        workspace_id: ctx.workspaceId,
        cluster_id: clusterId,
        instance_id: driver ? (instances[0] ?? '') : (instances[w + 1] ?? ''),
        start_time: iso(t),
        end_time: iso(t + MIN),
        driver,
        cpu_user_percent: round(cpu * 0.88),
        cpu_system_percent: round(cpu * 0.12),
        cpu_wait_percent: round(wait),
        mem_used_percent: round(mem),
        mem_swap_percent: round(swap),
        network_sent_bytes: Math.round(net * 0.5),
        network_received_bytes: Math.round(net * 0.5),
        disk_free_bytes_per_mount_point: { '/': 21_000_000_000, '/local_disk0': Math.round(rng.range(1.2e12, 1.6e12)) },
        node_type: driver ? driverType : nodeType,
      });
    }
  }
}

function usageRow(ctx: Ctx, o: { start: number; quantity: number; sku: string; photon: boolean; updateId: string | null; maintenanceId: string | null; clusterId: string | null; nodeType: string | null }): Record<string, unknown> {
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

function genUsage(ctx: Ctx, u: UpdatePlan, from: number, to: number, nodesAt: (t: number) => number): void {
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

function genMaintenance(ctx: Ctx, now: number): void {
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

function buildSpec(def: ScenarioDef, name: string, pipelineId: string): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    id: pipelineId,
    name,
    catalog: def.catalog,
    schema: def.schema,
    channel: 'CURRENT',
    edition: def.edition ?? 'ADVANCED',
    continuous: !!def.continuous,
    development: false,
    photon: def.photon,
    serverless: !!def.serverless,
    configuration: { 'pipelines.env': 'prod', ...(def.configuration ?? {}) },
    libraries: [{ glob: { include: `/Workspace/Repos/data-eng/${def.schema}/${name.replace(/_\d+$/, '')}/transformations/**` } }],
    notifications: [{ email_recipients: [def.owner], alerts: ['on-update-failure', 'on-flow-failure'] }],
    tags: { team: def.schema, cost_center: def.catalog === 'finance' ? 'fin-300' : 'data-100' },
  };
  const c = def.cluster;
  if (!def.serverless && c) {
    const clusters: Record<string, unknown>[] = [
      {
        label: 'default',
        node_type_id: c.nodeType,
        driver_node_type_id: c.driverNodeType ?? c.nodeType,
        ...(c.numWorkers !== undefined ? { num_workers: c.numWorkers } : {}),
        ...(c.autoscale ? { autoscale: { min_workers: c.autoscale.min, max_workers: c.autoscale.max, mode: c.autoscale.mode } } : {}),
        ...(c.sparkConf ? { spark_conf: c.sparkConf } : {}),
        aws_attributes: { availability: 'SPOT_WITH_FALLBACK', first_on_demand: 1 },
        custom_tags: { pipeline: name },
      },
    ];
    if (def.maintenanceCluster) clusters.push({ label: 'maintenance', node_type_id: 'm5d.large', num_workers: 1, aws_attributes: { availability: 'ON_DEMAND' } });
    spec.clusters = clusters;
  }
  return spec;
}

function genPipeline(def: ScenarioDef, copy: number, seed: number, now: number, n: number, ids: { workspaceId: string; accountId: string; orgId: number }, index: number): DemoPipeline {
  const rng = new Rng(hashSeed(seed, index, copy));
  const name = copy === 1 ? def.name : `${def.name}_${copy}`;
  const pipelineId = rng.uuid();
  const ctx: Ctx = {
    rng,
    def,
    name,
    pipelineId,
    workspaceId: ids.workspaceId,
    accountId: ids.accountId,
    orgId: ids.orgId,
    events: [],
    nodeTimeline: [],
    usage: [],
    seq: 1000,
    instance: `execution-${rng.hex(20)}`,
  };

  // Flow ids are stable across updates (they change only on a full refresh / reset).
  const flowRuntimes: FlowRuntime[] = def.flows.map((f) => ({ def: f, name: fq(def, f.table), dataset: fq(def, f.table), id: rng.uuid() }));

  // Schedule: n updates spread over the last 8 weeks, newest first.
  const spacing = Math.floor((USAGE_DAYS * DAY) / n);
  const dayStart = Math.floor(now / DAY) * DAY;
  let latestStart = dayStart + def.hourUtc * HOUR + rng.range(0, 20) * MIN;
  const latestLen = def.continuous ? 75 * MIN : def.durationS * SEC * 2.4;
  while (latestStart + latestLen > now - 10 * MIN) latestStart -= DAY;
  if (def.continuous) latestStart = now - 95 * MIN;
  const plans: UpdatePlan[] = [];
  for (let i = 0; i < n; i++) {
    const start = i === 0 ? latestStart : latestStart - i * spacing + (def.continuous ? 0 : rng.range(-20, 20) * MIN);
    const recent = i < RECENT;
    const latest = i === 0;
    const traits = traitsFor(def, recent, latest);
    const cause = def.continuous ? (latest ? 'USER_ACTION' : 'SERVICE_UPGRADE') : i % 6 === 3 ? 'USER_ACTION' : 'JOB_TASK';
    const state = latest && def.latest?.state ? def.latest.state : 'COMPLETED';
    let durationS: number;
    if (def.continuous) {
      // the latest run: ~62 minutes RUNNING, then stopped by its owner because it fell behind
      durationS = latest ? 64 * 60 : (spacing - 4 * MIN) / SEC;
    } else {
      durationS = def.durationS * rng.jitter(1, 0.08) * traits.durationFactor;
    }
    plans.push({ id: rng.uuid(), start, cause, clusterId: def.serverless ? null : clusterIdFor(rng, start + 2 * MIN), traits, recent, latest, state, durationS });
  }

  const chronological = [...plans].reverse();
  for (const u of chronological) genUpdate(ctx, u, flowRuntimes);
  genMaintenance(ctx, now);

  // stable sort: by timestamp, generation order breaks ties
  const order = new Map(ctx.events.map((e, i) => [e, i] as const));
  ctx.events.sort((a, b) => String(a.timestamp).localeCompare(String(b.timestamp)) || (order.get(a) ?? 0) - (order.get(b) ?? 0));
  ctx.usage.sort((a, b) => String(a.usage_start_time).localeCompare(String(b.usage_start_time)));

  const updates = plans.map((u) => ({
    pipeline_id: pipelineId,
    update_id: u.id,
    cause: u.cause,
    state: u.state,
    creation_time: Math.round(u.start),
    full_refresh: false,
    ...(u.clusterId ? { cluster_id: u.clusterId } : {}),
    validate_only: false,
  }));

  const latest = plans[0];
  const pipeline: Record<string, unknown> = {
    pipeline_id: pipelineId,
    name,
    state: 'IDLE',
    health: latest?.state === 'FAILED' ? 'UNHEALTHY' : 'HEALTHY',
    ...(latest?.state === 'FAILED' ? { cause: 'The latest update failed.' } : {}),
    ...(latest?.clusterId ? { cluster_id: latest.clusterId } : {}),
    creator_user_name: def.owner,
    run_as_user_name: def.owner,
    run_as: { user_name: def.owner },
    last_modified: Math.round(now - 9 * DAY - rng.range(0, 5) * DAY),
    latest_updates: plans.slice(0, 5).map((u) => ({ update_id: u.id, state: u.state, creation_time: iso(u.start) })),
    effective_publishing_mode: 'DEFAULT_PUBLISHING_MODE',
    spec: buildSpec(def, name, pipelineId),
  };

  return { scenario: def.scenario, expected: def.expected, pipeline, updates, events: ctx.events, nodeTimeline: ctx.nodeTimeline, usage: ctx.usage };
}

function listPrices(skus: Set<string>, accountId: string): Record<string, unknown>[] {
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
  return {
    now,
    workspaceId,
    host: `dbc-${workspaceId.slice(-8)}-demo.cloud.databricks.com`,
    pipelines,
    listPrices: listPrices(skus, accountId),
  };
}
