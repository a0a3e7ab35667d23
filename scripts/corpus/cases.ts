/**
 * The labelled corpus. Each case's label (verdict, reason citing docs/guide.md or Databricks docs,
 * forbidden and expected fixes) was written from the guide before the engine was run on it; labels are
 * never changed to match the engine.
 */
import {
  calmDriver,
  draining,
  driver,
  driverRestart,
  driverUnresponsive,
  enhancedRamp,
  exit137,
  explainCloudFiles,
  explainDeltaStream,
  explainHashAgg,
  explainKafka,
  explainPythonUdf,
  explainSmj,
  fetchFailed,
  fixed,
  gcOverhead,
  growing,
  heapOom,
  legacyRamp,
  maxResultSize,
  medallion,
  permissionDenied,
  sawtooth,
  schemaMismatch,
  tableNotFound,
  unresolvedColumn,
  wobble,
  worker,
} from './profiles.js';
import { GIB, MIB, clamp, type CaseDef, type ClusterModel, type FlowSpec, type Phases, type Rng } from './sim.js';

// ---------------------------------------------------------------------------------------------
// helpers

/** every cluster / spark_conf / compute fix: none of them can help a failure that is not performance, nor a serverless pipeline */
export const ALL_COMPUTE = [
  'raise-max-workers',
  'reduce-max-workers',
  'enable-photon',
  'compute-optimized-instances',
  'memory-optimized-instances',
  'storage-optimized-instances',
  'larger-driver',
  'offheap-memory',
  'use-instance-pool',
  'use-serverless',
  'enhanced-autoscaling',
  'enable-io-cache',
  'enable-aqe-coalesce',
  'broadcast-threshold',
  'enable-skew-join',
];
/** worker changes (node type or count): never for a driver problem */
const WORKER_CHANGES = ['raise-max-workers', 'reduce-max-workers', 'memory-optimized-instances', 'compute-optimized-instances', 'storage-optimized-instances'];
const AUTOLOADER_FIXES = ['autoloader-max-files', 'autoloader-max-bytes', 'autoloader-notifications'];

function ph(waiting: number, initializing: number, setup: number, running: number, extra: Partial<Phases> = {}): Phases {
  return { queued: 1.6, created: 1.1, waiting, initializing, setup, running, ...extra };
}
/** the update's wall time for these phases (seconds) */
function total(p: Phases): number {
  return p.queued + p.created + p.waiting + p.initializing + (p.resetting ?? 0) + p.setup + p.running + 1.6;
}

/** slot utilization with a warm-up and per-minute noise */
function util(target: number, amp = 0.04, warm = 4) {
  return (m: number, _M: number, r: Rng) => (m < warm ? 0.22 + (target - 0.22) * (m / warm) + r.noise(0.03) : clamp(target + r.noise(amp), 0.01, 0.995));
}
function queued(mean: number, amp = mean * 0.4, warm = 3) {
  return (m: number, _M: number, r: Rng) => (m < warm ? mean * 0.3 * r.range(0, 1) : Math.max(0, mean + r.noise(amp)));
}

function cluster(o: Partial<ClusterModel> & Pick<ClusterModel, 'cores' | 'executors' | 'worker'>): ClusterModel {
  return {
    util: util(0.74),
    queued: queued(3),
    shape: 'nested',
    autoscaleEvents: false,
    autoscaleInfo: false,
    driver: calmDriver,
    ...o,
  };
}

const i3 = (label = 'default', o: Record<string, unknown> = {}) => ({
  label,
  node_type_id: 'i3.2xlarge',
  driver_node_type_id: 'i3.2xlarge',
  aws_attributes: { availability: 'SPOT_WITH_FALLBACK', zone_id: 'auto', first_on_demand: 1 },
  custom_tags: { team: 'data-eng', cost_center: 'cc-4410' },
  ...o,
});
const maintenance = { label: 'maintenance', node_type_id: 'i3.xlarge', num_workers: 1 };
const enhanced = (min: number, max: number) => ({ autoscale: { min_workers: min, max_workers: max, mode: 'ENHANCED' } });
const legacy = (min: number, max: number) => ({ autoscale: { min_workers: min, max_workers: max, mode: 'LEGACY' } });

function simpleFlows(prefix: string, n: number, o: { cpuRatio?: number; rowsBase?: number; span?: [number, number] } = {}): FlowSpec[] {
  const out: FlowSpec[] = [];
  const span = o.span ?? [0, 0.95];
  for (let i = 0; i < n; i++) {
    const a = span[0] + ((span[1] - span[0]) * (i % 7)) / 9;
    const len = 0.08 + ((i * 37) % 11) / 40;
    out.push({
      table: `${prefix}_${String(i + 1).padStart(2, '0')}`,
      kind: i % 3 === 0 ? 'mv' : 'st',
      inputs: i > 2 ? [`${prefix}_${String(((i * 7) % i) + 1).padStart(2, '0')}`] : [],
      at: [Math.min(a, 0.85), Math.min(0.99, a + len)],
      slotShare: 0.03 + ((i * 13) % 7) / 60,
      cpuRatio: (o.cpuRatio ?? 0.8) + (((i * 17) % 9) - 4) / 100,
      rows: Math.round((o.rowsBase ?? 200_000) * (1 + ((i * 29) % 13))),
      terminalTotals: true,
      planning: i % 3 === 0 ? 'incremental' : undefined,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

export const CASES: CaseDef[] = [];
const add = (c: CaseDef) => CASES.push(c);

// ============================================================ healthy
{
  const p = ph(190, 55, 30, 1900);
  add({
    id: 'healthy-steady',
    cls: 'healthy',
    label: {
      verdict: 'none',
      reason: 'Duration ≈1.0× the median of the last 8 updates (§10.1 baseline); workers ~73% CPU after a 4-minute warm-up, inside the 70–85% optimal band (§1.2); memory ~62%, no errors, autoscaler below max. Flow CPU ratios 0.74–0.83 are ordinary ETL, not a CPU bottleneck.',
      forbidden_fixes: ['compute-optimized-instances', 'raise-max-workers', 'enable-photon', 'memory-optimized-instances', 'split-pipeline'],
      notes: 'details as JSON strings, +00:00 timestamps; ENHANCED 2–10 settles at 7; medallion flows of very different sizes; Auto Loader backlogs drain normally.',
    },
    pipeline: { name: 'sales_medallion', catalog: 'main', schema: 'sales', photon: true, clusters: [i3('default', enhanced(2, 10)), maintenance] },
    history: { count: 8, durationS: total(p) * 1.01, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: medallion(),
      cluster: cluster({ cores: 8, executors: enhancedRamp(2, () => 7), util: util(0.74, 0.06), queued: queued(3), autoscaleEvents: true, autoscaleInfo: true, optimal: () => 7, worker: worker({ cpu: wobble(73, 5), amp: 6, mem: 62, wait: 2, netGiB: 0.35 }) }),
    },
    vars: ['details-string', 'ts-offset'],
  });
}
{
  const p = ph(150, 48, 26, 1680);
  add({
    id: 'healthy-cpu-spike',
    cls: 'healthy',
    label: {
      verdict: 'none',
      reason: 'At its usual duration (≈1.0× baseline, §10.1); workers ~66% CPU for the run with one 4-minute spike to ~98% while the big MV aggregates — a transient, not sustained saturation; average utilization sits in or below the 70–85% band (§1.2). Photon is already on.',
      forbidden_fixes: ['compute-optimized-instances', 'raise-max-workers', 'enable-photon', 'split-pipeline'],
      notes: 'nanosecond timestamps, shuffled row order, sequence as JSON strings; fixed 5 workers; flat cluster_resources.',
    },
    pipeline: { name: 'finance_gl', catalog: 'fin', schema: 'gl', photon: true, clusters: [i3('default', { num_workers: 5, node_type_id: 'm5d.2xlarge', driver_node_type_id: 'm5d.2xlarge' })] },
    history: { count: 7, durationS: total(p) * 0.98, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: medallion({ scale: 0.7 }),
      cluster: cluster({
        cores: 8,
        executors: fixed(5),
        shape: 'flat',
        util: (m, M, r) => (m >= 14 && m < 18 ? 0.97 + r.noise(0.02) : util(0.68, 0.06)(m, M, r)),
        queued: (m, M, r) => (m >= 14 && m < 18 ? 60 + r.noise(20) : queued(2)(m, M, r)),
        worker: worker({ cpu: (m) => (m >= 14 && m < 18 ? 97.5 : 65), amp: 5, mem: 58, netGiB: 0.3 }),
      }),
    },
    vars: ['ts-nanos', 'shuffle', 'sequence-string'],
  });
}
{
  const p = ph(12, 38, 22, 1500);
  add({
    id: 'healthy-serverless',
    cls: 'healthy',
    label: {
      verdict: 'none',
      reason: 'Serverless pipeline at its usual duration (≈1.0× baseline, §10.1) with no errors; there are no node metrics or cluster_resources to read, and on serverless no cluster or Spark setting is the user\'s to change.',
      forbidden_fixes: [...ALL_COMPUTE],
      notes: 'serverless: no clusters, no node_timeline, no cluster_resources/autoscale; UTF-8 BOM, CRLF line endings, origin as JSON strings.',
    },
    pipeline: { name: 'web_sessions_sl', catalog: 'main', schema: 'web', serverless: true, photon: true },
    history: { count: 9, durationS: total(p) * 1.02, everyH: 6, waitS: 10, initS: 38, setupS: 22 },
    update: { cause: 'JOB_TASK', state: 'COMPLETED', phases: p, flows: medallion({ scale: 0.5 }), cluster: null },
    vars: ['bom', 'crlf', 'origin-string'],
  });
}
{
  const p = ph(95, 60, 32, 2050);
  const flows = medallion({ scale: 0.8 });
  flows.push({ table: 'touchpoints_ua', kind: 'st', inputs: ['orders_silver'], explain: explainPythonUdf('main.marketing.orders_silver'), at: [0.3, 0.34], slotShare: 0.04, cpuRatio: 0.9, rows: 40_000 });
  flows.push({ table: 'attribution_model', kind: 'mv', inputs: ['orders_silver', 'touchpoints_ua'], at: [0.7, 0.78], slotShare: 0.12, cpuRatio: 0.79, rows: 88_000, planning: 'first-compute', terminalTotals: true });
  const silver = flows.find((f) => f.table === 'orders_silver')!;
  silver.failures = [
    {
      at: 0.3,
      error: { fatal: false, exceptions: [{ class_name: 'java.io.IOException', message: 'com.amazonaws.SdkClientException: Unable to execute HTTP request: Connection reset' }] },
    },
  ];
  add({
    id: 'healthy-info-oddities',
    cls: 'healthy',
    label: {
      verdict: 'none',
      reason: 'Usual duration (≈1.0×, §10.1), CPU ~71% (§1.2 band). The oddities are informational: a tiny Python-UDF flow (~4% of the run, §6.4 only matters when it is on the critical path), a newly added MV computed for the first time (CHANGE_SET_MISSING is expected), 0.03% rows dropped by expectations, one transient S3 connection reset retried successfully, a 2-minute brush with max_workers.',
      forbidden_fixes: ['compute-optimized-instances', 'raise-max-workers', 'enable-photon', 'enable-cdf', 'enable-row-tracking', 'split-pipeline'],
      notes: 'numbers as strings in metrics/cluster_resources/node_timeline (driver as "true"/"false"), unknown event types (hook_progress, sink_progress, dataset_definition, maintenance_progress), error as a JSON string.',
    },
    pipeline: { name: 'marketing_attribution', catalog: 'main', schema: 'marketing', photon: true, clusters: [i3('default', enhanced(2, 8)), maintenance] },
    history: { count: 6, durationS: total(p) * 0.99, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows,
      cluster: cluster({
        cores: 8,
        executors: enhancedRamp(2, (m) => (m >= 11 && m < 13 ? 8 : 6)),
        util: util(0.72, 0.06),
        queued: (m, M, r) => (m >= 11 && m < 13 ? 18 + r.noise(6) : queued(2)(m, M, r)),
        optimal: (m) => (m >= 11 && m < 13 ? 9 : 6),
        autoscaleEvents: true,
        autoscaleInfo: true,
        shape: 'mixed',
        worker: worker({ cpu: wobble(71, 5), mem: 64, netGiB: 0.3 }),
      }),
    },
    vars: ['num-strings', 'unknown-events', 'error-string'],
  });
}
{
  const p = ph(210, 50, 28, 1750);
  add({
    id: 'healthy-fixed-flat-rest',
    cls: 'healthy',
    label: {
      verdict: 'none',
      reason: 'At baseline (≈1.0×, §10.1); fixed 4 workers at ~77% CPU — high in, but inside, the 70–85% band (§1.2); no errors, no queueing worth noting. Photon on.',
      forbidden_fixes: ['compute-optimized-instances', 'enable-photon', 'raise-max-workers', 'split-pipeline'],
      notes: 'Azure node types; older flat cluster_resources; earlier updates as the REST events API returns them (no details, state only in the message); "Flow … has COMPLETED." messages; space-separated timestamps without zone.',
    },
    pipeline: {
      name: 'supplier_feed',
      catalog: 'ops',
      schema: 'suppliers',
      photon: true,
      cloud: 'AZURE',
      clusters: [{ label: 'default', node_type_id: 'Standard_D8ds_v5', driver_node_type_id: 'Standard_D8ds_v5', num_workers: 4, azure_attributes: { availability: 'ON_DEMAND_AZURE', first_on_demand: 1 } }],
    },
    history: { count: 8, durationS: total(p) * 1.03, everyH: 12 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: medallion({ scale: 0.4 }),
      cluster: cluster({ cores: 8, executors: fixed(4), shape: 'flat', util: util(0.78, 0.05), queued: queued(4), worker: worker({ cpu: wobble(77, 4), amp: 5, mem: 66, netGiB: 0.25 }) }),
    },
    vars: ['rest-history', 'flow-has-messages', 'ts-space'],
  });
}

// ============================================================ full refresh
{
  const p = ph(170, 55, 30, 1950, { resetting: 70 });
  const inc = ph(150, 45, 25, 530);
  const flows = medallion({ scale: 2.9 });
  add({
    id: 'full-refresh-user',
    cls: 'full-refresh',
    label: {
      verdict: 'none',
      reason: 'A user-started full refresh (create_update.full_refresh, RESETTING phase, updates.json full_refresh) at ~2.8× the incremental median with 2.9× the rows — in line with the earlier full refresh three weeks ago; it must be compared with full refreshes or by rows processed, not with incremental updates (§10.1 benchmarks full_refresh runs against each other). Cluster busy at 70–85% (§1.2), autoscaler below max.',
      forbidden_fixes: ['compute-optimized-instances', 'enable-photon', 'raise-max-workers', 'split-pipeline', 'enable-cdf', 'enable-row-tracking'],
      notes: 'a newer scheduled update is still RUNNING (the reader must pick the full refresh, the newest with an end state); details as JSON strings; ENHANCED 2–14 settles at 8.',
    },
    pipeline: { name: 'orders_core', catalog: 'main', schema: 'orders', photon: true, clusters: [i3('default', enhanced(2, 14)), maintenance] },
    history: { count: 9, durationS: total(inc), everyH: 24, fullRefresh: [7], frMult: 2.75 },
    update: {
      cause: 'USER_ACTION',
      fullRefresh: true,
      state: 'COMPLETED',
      phases: p,
      flows,
      cluster: cluster({ cores: 8, executors: enhancedRamp(2, () => 8, 5), util: util(0.8, 0.05, 5), queued: queued(8), autoscaleEvents: true, autoscaleInfo: true, optimal: () => 8, worker: worker({ cpu: wobble(78, 5), amp: 6, mem: 70, netGiB: 0.6, warm: 5 }) }),
    },
    vars: ['details-string', 'newer-running'],
  });
}
{
  const p = ph(160, 55, 35, 1800, { resetting: 80 });
  const inc = ph(150, 45, 25, 540);
  add({
    id: 'full-refresh-backlog-drain',
    cls: 'full-refresh',
    label: {
      verdict: 'none',
      reason: 'A full refresh (API_CALL, full_refresh true, RESETTING) re-reads the whole landing zone: the Auto Loader backlog of ~190k files (~12 MB each) draining to zero is expected, and ~2.9× the incremental median is what reprocessing all history costs (§10.1: compare full refreshes with full refreshes). Workers ~80% CPU (§1.2), autoscaler below max.',
      forbidden_fixes: ['autoloader-max-files', 'autoloader-max-bytes', 'streaming-trigger', 'compute-optimized-instances', 'enable-photon'],
      notes: 'space-separated timestamps, UTF-8 BOM; a 4-minute AUTO_LOADER_LISTING of 190k files at the start; backlog_files and backlog_bytes drain.',
    },
    pipeline: { name: 'iot_landing_full', catalog: 'main', schema: 'iot', photon: true, clusters: [i3('default', enhanced(2, 16)), maintenance] },
    history: { count: 7, durationS: total(inc), everyH: 24, cause: 'JOB_TASK' },
    update: {
      cause: 'API_CALL',
      fullRefresh: true,
      state: 'COMPLETED',
      phases: p,
      listing: [{ flow: 'device_events_bronze', files: 190_420, seconds: 235, path: 's3://acme-iot-landing/device-events/' }],
      flows: [
        {
          table: 'device_events_bronze',
          kind: 'st',
          source: 'autoloader',
          inputs: [],
          explain: explainCloudFiles('json', 's3://acme-iot-landing/device-events/', 'device_id, ts, payload, _rescued_data'),
          at: [0, 0.86],
          slotShare: 0.62,
          cpuRatio: 0.8,
          rows: 2.1e9,
          bytesPerRow: 1000,
          backlog: draining(190_420 * 12 * MIB, 12 * MIB),
        },
        { table: 'device_events_silver', kind: 'st', inputs: ['device_events_bronze'], at: [0.02, 0.93], slotShare: 0.3, cpuRatio: 0.82, rows: 2.09e9 },
        { table: 'device_daily', kind: 'mv', inputs: ['device_events_silver'], explain: explainHashAgg('main.iot.device_events_silver'), at: [0.93, 0.99], slotShare: 0.5, cpuRatio: 0.78, rows: 5.4e6, terminalTotals: true },
      ],
      cluster: cluster({ cores: 8, executors: enhancedRamp(2, () => 12, 5), util: util(0.82, 0.05), queued: queued(12), autoscaleEvents: true, autoscaleInfo: true, optimal: () => 10, worker: worker({ cpu: wobble(80, 4), amp: 6, mem: 68, wait: 5, netGiB: 0.9 }) }),
    },
    vars: ['ts-space', 'bom'],
  });
}

// ============================================================ cpu
{
  const p = ph(160, 50, 30, 2520);
  add({
    id: 'cpu-saturated-photon-off',
    cls: 'cpu',
    label: {
      verdict: 'cpu',
      reason: 'Workers 90–97% CPU for ~90% of the run after warm-up, slots ~0.96 busy with 40–120 queued tasks on a fixed 6-worker cluster, executor CPU/time ~0.9 on the dominant flows, memory ~68%: CPU-bound (§2.2). Photon is off (§4.1–4.3) and compute-optimized nodes suit CPU-intensive work (§3.1).',
      forbidden_fixes: ['reduce-max-workers', 'larger-driver', 'avoid-collect'],
      expected_fixes_any: ['enable-photon', 'compute-optimized-instances'],
      notes: 'origin as JSON strings, CRLF; duration 1.9× baseline with rows up ~15% (slowdown, not growth).',
    },
    pipeline: { name: 'orders_enrichment', catalog: 'main', schema: 'orders', photon: false, clusters: [i3('default', { num_workers: 6 }), maintenance] },
    history: { count: 8, durationS: total(p) / 1.9, everyH: 24, rowsScale: 0.87 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: [
        { table: 'orders_raw', kind: 'st', source: 'autoloader', inputs: [], explain: explainCloudFiles('json', '/Volumes/main/landing/orders/', 'order_id, customer_id, lines, ts'), at: [0, 0.3], slotShare: 0.35, cpuRatio: 0.88, rows: 9.1e6, backlog: draining(5 * GIB, 64 * MIB) },
        { table: 'order_lines_exploded', kind: 'st', inputs: ['orders_raw'], at: [0.05, 0.85], slotShare: 0.55, cpuRatio: 0.91, rows: 7.4e7 },
        { table: 'orders_priced', kind: 'mv', inputs: ['order_lines_exploded'], explain: explainHashAgg('main.orders.order_lines_exploded'), at: [0.6, 0.98], slotShare: 0.6, cpuRatio: 0.9, rows: 9.0e6, terminalTotals: true, planning: 'incremental' },
        { table: 'promo_codes', kind: 'mv', inputs: [], at: [0.01, 0.05], slotShare: 0.02, cpuRatio: 0.7, rows: 4100, terminalTotals: true },
      ],
      cluster: cluster({ cores: 8, executors: fixed(6), util: util(0.96, 0.025), queued: queued(80, 40), worker: worker({ cpu: wobble(93.5, 2.5), amp: 3, mem: 68, netGiB: 0.4 }) }),
    },
    vars: ['origin-string', 'crlf'],
  });
}
{
  const p = ph(140, 44, 26, 2280);
  add({
    id: 'cpu-saturated-photon-on',
    cls: 'cpu',
    label: {
      verdict: 'cpu',
      reason: 'Fixed 8 × m5d.4xlarge workers at ~90% CPU sustained, slots ~0.95 with ~60 queued tasks, executor CPU/time ~0.9, memory ~60%: CPU-bound (§2.2). Photon is already on, so the remaining lever is CPU per node or more nodes (§3.1 compute-optimized for CPU-intensive transformations).',
      forbidden_fixes: ['enable-photon', 'reduce-max-workers', 'larger-driver'],
      expected_fixes_any: ['compute-optimized-instances'],
      notes: 'nanosecond timestamps, numbers as strings (metrics, cluster_resources, node_timeline incl. driver "true"/"false").',
    },
    pipeline: {
      name: 'fraud_scoring',
      catalog: 'risk',
      schema: 'fraud',
      photon: true,
      clusters: [{ label: 'default', node_type_id: 'm5d.4xlarge', driver_node_type_id: 'm5d.2xlarge', num_workers: 8, aws_attributes: { availability: 'ON_DEMAND', first_on_demand: 9 } }, maintenance],
    },
    history: { count: 7, durationS: total(p) / 1.7, everyH: 12, rowsScale: 0.95 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: [
        { table: 'card_txn_bronze', kind: 'st', source: 'kafka', inputs: [], explain: explainKafka('card-transactions'), at: [0, 0.9], slotShare: 0.25, cpuRatio: 0.86, rows: 3.3e7, backlog: draining(8 * GIB, undefined, 7.5e6) },
        { table: 'txn_features', kind: 'st', inputs: ['card_txn_bronze'], at: [0.02, 0.95], slotShare: 0.6, cpuRatio: 0.92, rows: 3.29e7 },
        { table: 'merchant_risk', kind: 'mv', inputs: ['txn_features'], at: [0.9, 0.99], slotShare: 0.3, cpuRatio: 0.84, rows: 410_000, terminalTotals: true, planning: 'incremental' },
      ],
      cluster: cluster({ cores: 16, executors: fixed(8), util: util(0.95, 0.03), queued: queued(60, 25), worker: worker({ cpu: wobble(91, 3), amp: 4, mem: 60, netGiB: 0.5 }) }),
    },
    vars: ['ts-nanos', 'num-strings'],
  });
}
{
  const p = ph(175, 50, 28, 2100);
  add({
    id: 'cpu-near-miss-82',
    cls: 'cpu-near-miss',
    label: {
      verdict: 'none',
      reason: 'Workers 78–84% CPU — busy but inside the 70–85% optimal band (§1.2); slots ~0.82, a handful of queued tasks, autoscaler below max, duration ≈1.04× baseline (§10.1). Not CPU-bound.',
      forbidden_fixes: ['compute-optimized-instances', 'raise-max-workers', 'enable-photon'],
      notes: 'sequence as JSON strings, +00:00 timestamps; ENHANCED 2–10 at 6.',
    },
    pipeline: { name: 'web_events', catalog: 'main', schema: 'web', photon: true, clusters: [i3('default', enhanced(2, 10)), maintenance] },
    history: { count: 8, durationS: total(p) / 1.04, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: medallion({ scale: 1.1 }),
      cluster: cluster({ cores: 8, executors: enhancedRamp(2, () => 6), util: util(0.82, 0.04), queued: queued(4), autoscaleEvents: true, autoscaleInfo: true, optimal: () => 6, worker: worker({ cpu: wobble(81, 2.5), amp: 2.5, mem: 63, netGiB: 0.4 }) }),
    },
    vars: ['sequence-string', 'ts-offset'],
  });
}
{
  const p = ph(150, 46, 25, 2640);
  add({
    id: 'cpu-python-udf',
    cls: 'cpu',
    label: {
      verdict: 'cpu',
      reason: 'clicks_enriched runs row-at-a-time Python UDFs (BatchEvalPython in its plan) for ~80% of the running phase on the critical path; workers ~91% CPU sustained, slots saturated: CPU-bound on the UDF (§4.4, §6.4: UDFs break Photon and optimization — replace with built-ins). Photon already on and cannot accelerate Python UDFs.',
      forbidden_fixes: ['enable-photon', 'reduce-max-workers', 'larger-driver'],
      expected_fixes_any: ['replace-python-udf'],
      notes: 'details as JSON strings, unknown event types; duration 1.6× baseline with 1.1× rows.',
    },
    pipeline: { name: 'clickstream_enrich2', catalog: 'main', schema: 'web', photon: true, clusters: [i3('default', { num_workers: 6 })] },
    history: { count: 6, durationS: total(p) / 1.6, everyH: 24, rowsScale: 0.9 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: [
        { table: 'clicks_bronze', kind: 'st', source: 'kafka', inputs: [], explain: explainKafka('web-clicks'), at: [0, 0.12], slotShare: 0.2, cpuRatio: 0.78, rows: 2.2e7, backlog: draining(6 * GIB, undefined, 2.2e7) },
        { table: 'clicks_enriched', kind: 'st', inputs: ['clicks_bronze'], explain: explainPythonUdf('main.web.clicks_bronze'), at: [0.1, 0.92], slotShare: 0.85, cpuRatio: 0.93, rows: 2.2e7 },
        { table: 'sessions_daily', kind: 'mv', inputs: ['clicks_enriched'], at: [0.92, 0.99], slotShare: 0.4, cpuRatio: 0.8, rows: 1.9e6, terminalTotals: true, planning: 'incremental' },
      ],
      cluster: cluster({ cores: 8, executors: fixed(6), util: util(0.95, 0.03), queued: queued(45, 20), worker: worker({ cpu: wobble(91, 3), amp: 4, mem: 57, netGiB: 0.3 }) }),
    },
    vars: ['details-string', 'unknown-events'],
  });
}

// ============================================================ memory (executors)
{
  const p = ph(165, 55, 30, 2400);
  add({
    id: 'memory-swap-sustained',
    cls: 'memory',
    label: {
      verdict: 'memory',
      reason: 'Worker memory 86–99% with swap ~5–9% for most of the run while CPU sits at ~60%: executors are short of memory and spilling (§2.2 memory-bound: spill to disk, large joins). Memory-optimized nodes (§3.1 r5 for large joins) or off-heap (§8.1) help; compute-optimized nodes have less memory per core and would make it worse.',
      forbidden_fixes: ['compute-optimized-instances'],
      expected_fixes_any: ['memory-optimized-instances', 'offheap-memory'],
      notes: '+00:00 timestamps, shuffled rows; ENHANCED 2–8 at 6 (not capped); duration 1.9× baseline.',
    },
    pipeline: { name: 'customer_360b', catalog: 'main', schema: 'crm', photon: true, clusters: [i3('default', enhanced(2, 8)), maintenance] },
    history: { count: 8, durationS: total(p) / 1.9, everyH: 24, rowsScale: 0.96 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: [
        { table: 'profiles_bronze', kind: 'st', source: 'autoloader', inputs: [], at: [0, 0.2], slotShare: 0.2, cpuRatio: 0.74, rows: 1.4e7, backlog: draining(3 * GIB, 32 * MIB) },
        { table: 'interactions_silver', kind: 'st', inputs: ['profiles_bronze'], at: [0.05, 0.6], slotShare: 0.35, cpuRatio: 0.62, rows: 2.6e8 },
        { table: 'customer_360', kind: 'mv', inputs: ['interactions_silver', 'profiles_bronze'], explain: explainSmj('main.crm.interactions_silver', 'main.crm.profiles_bronze', 'customer_id', true), at: [0.55, 0.98], slotShare: 0.7, cpuRatio: 0.55, rows: 1.4e7, terminalTotals: true, planning: 'incremental' },
      ],
      cluster: cluster({ cores: 8, executors: enhancedRamp(2, () => 6), util: util(0.8, 0.05), queued: queued(12), autoscaleEvents: true, autoscaleInfo: true, optimal: () => 6, worker: worker({ cpu: wobble(58, 6), amp: 7, mem: wobble(93, 5), memAmp: 2.5, swap: wobble(10, 4), netGiB: 0.7 }) }),
    },
    vars: ['ts-offset', 'shuffle'],
  });
}
{
  const p = ph(145, 50, 28, 2460);
  const big: FlowSpec = {
    table: 'claims_joined',
    kind: 'mv',
    inputs: ['claims_silver', 'policies_silver'],
    explain: explainSmj('main.claims.claims_silver', 'main.claims.policies_silver', 'policy_id'),
    at: [0.35, 0.97],
    slotShare: 0.75,
    cpuRatio: 0.66,
    rows: 4.1e7,
    terminalTotals: true,
    planning: 'incremental',
    failures: [
      { at: 0.2, error: exit137(5) },
      { at: 0.45, error: fetchFailed(2) },
      { at: 0.62, error: exit137(7, 231, 14) },
    ],
  };
  add({
    id: 'memory-exit137-retried',
    cls: 'memory',
    label: {
      verdict: 'memory',
      reason: 'claims_joined lost executors three times — ExecutorLostFailure … "Command exited with code 137" (the container was killed for memory) and a FetchFailedException from a lost executor — each retry redoing the stage; worker memory ~88–90% with some swap, CPU ~65%: memory-bound (§2.2 OOM errors). Fix with memory per core: memory-optimized nodes (§3.1), memory overhead / off-heap (§8.1).',
      forbidden_fixes: ['compute-optimized-instances', 'reduce-max-workers'],
      expected_fixes_any: ['memory-optimized-instances', 'offheap-memory'],
      notes: 'error and details as JSON strings, space-separated timestamps; update COMPLETED after retries at 1.7× baseline; fixed 6 × i3.xlarge.',
    },
    pipeline: { name: 'claims_processing', catalog: 'main', schema: 'claims', photon: false, clusters: [{ label: 'default', node_type_id: 'i3.xlarge', driver_node_type_id: 'i3.xlarge', num_workers: 6 }, maintenance] },
    history: { count: 8, durationS: total(p) / 1.7, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: [
        { table: 'claims_bronze', kind: 'st', source: 'autoloader', inputs: [], at: [0, 0.25], slotShare: 0.3, cpuRatio: 0.77, rows: 4.1e7, backlog: draining(9 * GIB, 128 * MIB) },
        { table: 'claims_silver', kind: 'st', inputs: ['claims_bronze'], at: [0.03, 0.35], slotShare: 0.35, cpuRatio: 0.8, rows: 4.1e7 },
        { table: 'policies_silver', kind: 'mv', inputs: [], at: [0.0, 0.1], slotShare: 0.1, cpuRatio: 0.75, rows: 2.2e6, terminalTotals: true },
        big,
      ],
      cluster: cluster({ cores: 4, executors: fixed(6), util: util(0.75, 0.06), queued: queued(14), worker: worker({ cpu: wobble(62, 6), amp: 7, mem: wobble(90, 4), swap: wobble(4.5, 2), netGiB: 0.5 }) }),
    },
    vars: ['error-string', 'details-string', 'ts-space'],
  });
}
{
  const p = ph(155, 52, 30, 2100);
  add({
    id: 'memory-gc-thrash-at-max',
    cls: 'memory',
    label: {
      verdict: 'memory',
      reason: 'GC thrash: the dominant flow (ledger_matched, ~85% of the run) reports executor_cpu_time/executor_time ≈0.3 — tasks spend their time in GC, not computing — with worker memory ~95% full and CPU idle at ~25% although the cluster is pinned at max_workers with busy slots (§2.2 memory-bound, §11.2 check GC time). More workers of the same kind would only multiply the thrash; memory per executor is the fix (§3.1, §8.1).',
      forbidden_fixes: ['raise-max-workers', 'compute-optimized-instances', 'enable-photon'],
      expected_fixes_any: ['memory-optimized-instances', 'offheap-memory'],
      notes: 'numbers as strings, "Flow … has COMPLETED." messages, CRLF; ENHANCED 2–8 pinned at 8 with optimal 10 (the autoscaler asks for a little more because tasks are slow); no OOM error at all.',
    },
    pipeline: { name: 'ledger_recon', catalog: 'fin', schema: 'ledger', photon: true, clusters: [i3('default', enhanced(2, 8)), maintenance] },
    history: { count: 8, durationS: total(p) / 2.3, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: [
        { table: 'entries_bronze', kind: 'st', source: 'autoloader', inputs: [], at: [0, 0.1], slotShare: 0.15, cpuRatio: 0.76, rows: 6.2e6, backlog: draining(2 * GIB, 64 * MIB) },
        {
          table: 'ledger_matched',
          kind: 'mv',
          inputs: ['entries_bronze', 'bank_statements'],
          explain: explainSmj('fin.ledger.entries_bronze', 'fin.ledger.bank_statements', 'txn_ref', true),
          at: [0.1, 0.96],
          slotShare: 0.9,
          cpuRatio: 0.3,
          rows: 6.1e6,
          terminalTotals: true,
          planning: 'incremental',
        },
        { table: 'bank_statements', kind: 'mv', inputs: [], at: [0, 0.06], slotShare: 0.06, cpuRatio: 0.79, rows: 5.9e6, terminalTotals: true },
      ],
      cluster: cluster({
        cores: 8,
        executors: enhancedRamp(2, () => 8, 4),
        util: util(0.93, 0.03),
        queued: queued(28, 12),
        optimal: () => 12,
        autoscaleEvents: true,
        autoscaleInfo: true,
        worker: worker({ cpu: wobble(25, 4), amp: 5, mem: wobble(95, 2.5), memAmp: 1.5, swap: wobble(3, 1), netGiB: 0.3 }),
      }),
    },
    vars: ['num-strings', 'flow-has-messages', 'crlf'],
  });
}
{
  const p = ph(150, 48, 27, 2400);
  add({
    id: 'memory-with-mild-cpu',
    cls: 'memory',
    label: {
      verdict: 'memory',
      reason: 'Mixed: worker memory ~91% with 5–10% swap sustained and a retried "java.lang.OutOfMemoryError: Java heap space", while CPU is ~80% — CPU is inside the 70–85% band (§1.2) and not the constraint; memory pressure is (§2.2, §8.1). Compute-optimized nodes would cut memory per core.',
      forbidden_fixes: ['compute-optimized-instances'],
      expected_fixes_any: ['memory-optimized-instances', 'offheap-memory'],
      notes: 'sequence as JSON strings, nanosecond timestamps; fixed 8 × m5d.2xlarge; duration 1.6× baseline.',
    },
    pipeline: { name: 'inventory_snapshot', catalog: 'main', schema: 'supply', photon: true, clusters: [{ label: 'default', node_type_id: 'm5d.2xlarge', driver_node_type_id: 'm5d.2xlarge', num_workers: 8 }] },
    history: { count: 7, durationS: total(p) / 1.6, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: [
        { table: 'stock_moves_bronze', kind: 'st', source: 'kafka', inputs: [], explain: explainKafka('stock-moves'), at: [0, 0.3], slotShare: 0.25, cpuRatio: 0.8, rows: 1.8e7, backlog: draining(4 * GIB, undefined, 1.8e7) },
        { table: 'stock_snapshot', kind: 'mv', inputs: ['stock_moves_bronze'], at: [0.25, 0.97], slotShare: 0.75, cpuRatio: 0.78, rows: 3.3e7, terminalTotals: true, planning: 'incremental', failures: [{ at: 0.4, error: heapOom(false) }] },
      ],
      cluster: cluster({ cores: 8, executors: fixed(8), util: util(0.86, 0.04), queued: queued(10), worker: worker({ cpu: wobble(80, 4), amp: 5, mem: wobble(91, 3.5), swap: wobble(7.5, 2.5), netGiB: 0.5 }) }),
    },
    vars: ['sequence-string', 'ts-nanos'],
  });
}
{
  const p = ph(160, 50, 28, 1980);
  add({
    id: 'memory-near-miss',
    cls: 'memory-near-miss',
    label: {
      verdict: 'none',
      reason: 'Worker memory 70–80% with no swap is a JVM doing its job (Spark caches up to spark.memory.fraction, §8.1), CPU ~71% (§1.2), duration ≈0.97× baseline, no OOM: nothing memory-bound.',
      forbidden_fixes: ['memory-optimized-instances', 'offheap-memory', 'compute-optimized-instances'],
      notes: 'UTF-8 BOM; earlier updates without details (REST style).',
    },
    pipeline: { name: 'product_catalog', catalog: 'main', schema: 'catalog', photon: true, clusters: [i3('default', enhanced(2, 6)), maintenance] },
    history: { count: 8, durationS: total(p) / 0.97, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: medallion({ scale: 0.6 }),
      cluster: cluster({ cores: 8, executors: enhancedRamp(2, () => 5), util: util(0.72, 0.05), queued: queued(3), autoscaleEvents: true, autoscaleInfo: true, optimal: () => 5, worker: worker({ cpu: wobble(71, 5), mem: wobble(76, 3), netGiB: 0.3 }) }),
    },
    vars: ['bom', 'rest-history'],
  });
}

// ============================================================ memory (driver)
{
  const p = ph(150, 52, 28, 2700);
  add({
    id: 'driver-collect-gc-overhead',
    cls: 'driver-memory',
    label: {
      verdict: 'memory',
      reason: 'The driver collects to itself: driver node memory 95%+ for most of the run while workers idle at ~15–20% CPU; supplier_scorecard failed twice — "java.lang.OutOfMemoryError: GC overhead limit exceeded" in executeCollect, then "The spark driver has stopped unexpectedly and is restarting." — and only finished on retry at 2.2× baseline. Driver memory (§8.2 avoid collect()/toPandas(); §3.4/§8.1 spark.driver.memory is for collect operations): a larger driver or stop collecting; no worker change can help.',
      forbidden_fixes: [...WORKER_CHANGES],
      expected_fixes_any: ['larger-driver', 'avoid-collect'],
      notes: 'origin and error as JSON strings, +00:00 timestamps; ENHANCED 2–6 stays at its minimum because the workers have nothing to do.',
    },
    pipeline: { name: 'vendor_reports', catalog: 'main', schema: 'procurement', photon: true, clusters: [i3('default', { ...enhanced(2, 6), driver_node_type_id: 'i3.xlarge' }), maintenance] },
    history: { count: 8, durationS: total(p) / 2.2, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: [
        { table: 'purchase_orders', kind: 'st', source: 'autoloader', inputs: [], at: [0, 0.12], slotShare: 0.3, cpuRatio: 0.78, rows: 2.4e6, backlog: draining(1 * GIB, 32 * MIB) },
        {
          table: 'supplier_scorecard',
          kind: 'mv',
          inputs: ['purchase_orders'],
          language: 'PYTHON',
          at: [0.12, 0.97],
          slotShare: 0.08,
          cpuRatio: 0.7,
          rows: 18_000,
          terminalTotals: true,
          failures: [
            { at: 0.35, error: gcOverhead(false, 'driver') },
            { at: 0.62, error: { ...driverRestart(), fatal: false } },
          ],
        },
      ],
      cluster: cluster({
        cores: 8,
        executors: enhancedRamp(2, () => 2),
        util: util(0.12, 0.05),
        queued: queued(0.3),
        optimal: () => 2,
        autoscaleInfo: true,
        worker: worker({ cpu: wobble(17, 4), amp: 4, mem: 38, netGiB: 0.05 }),
        driver: driver({ cpu: wobble(62, 10), mem: (m) => (m < 4 ? 60 + m * 8 : 96.5), swap: (m) => (m > 6 ? 4 : 0), init: { cpu: 30, mem: 36 } }),
      }),
    },
    vars: ['origin-string', 'error-string', 'ts-offset'],
  });
}
{
  const p = ph(130, 48, 25, 1500);
  add({
    id: 'driver-maxresultsize-failed',
    cls: 'driver-memory',
    label: {
      verdict: 'memory',
      reason: 'A flow pulls results to the driver: "Driver is up but is not responsive, likely due to GC." then "Total size of serialized results of 2113 tasks (4.0 GiB) is bigger than spark.driver.maxResultSize (4.0 GiB)" failed the update; driver memory 93–97% while workers sit at ~30% CPU. A driver memory problem (§8.2 avoid collect; §8.1 driver memory): it is performance (the update cannot finish), and no worker change helps.',
      forbidden_fixes: [...WORKER_CHANGES],
      expected_fixes_any: ['larger-driver', 'avoid-collect'],
      notes: 'FAILED update; the job retry is still RUNNING as a newer update; details as JSON strings, space-separated timestamps; fixed 4 workers.',
    },
    pipeline: { name: 'hr_analytics', catalog: 'hr', schema: 'people', photon: false, clusters: [i3('default', { num_workers: 4, driver_node_type_id: 'i3.xlarge' })] },
    history: { count: 7, durationS: 2400, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'FAILED',
      phases: p,
      flows: [
        { table: 'employees_silver', kind: 'st', inputs: [], source: 'autoloader', at: [0, 0.2], slotShare: 0.3, cpuRatio: 0.76, rows: 640_000, backlog: draining(300 * MIB, 16 * MIB) },
        { table: 'comp_bands', kind: 'mv', inputs: ['employees_silver'], at: [0.2, 1], slotShare: 0.2, cpuRatio: 0.65, rows: 0, terminalTotals: true, fatal: { error: maxResultSize(true) } },
      ],
      extra: [{ atMin: 14, type: 'flow_progress', flow: 'comp_bands', level: 'WARN', message: 'Driver is up but is not responsive, likely due to GC.', details: { flow_progress: { status: 'RUNNING' } }, error: driverUnresponsive() }],
      updateError: maxResultSize(true),
      cluster: cluster({
        cores: 8,
        executors: fixed(4),
        util: util(0.25, 0.08),
        queued: queued(0.5),
        worker: worker({ cpu: wobble(30, 6), mem: 42, netGiB: 0.2 }),
        driver: driver({ cpu: wobble(55, 12), mem: (m) => (m < 5 ? 55 + m * 8 : 95), swap: (m) => (m > 8 ? 6 : 0) }),
      }),
    },
    vars: ['details-string', 'ts-space', 'newer-running'],
  });
}
{
  const p = ph(160, 50, 28, 2100);
  add({
    id: 'driver-near-miss',
    cls: 'driver-near-miss',
    label: {
      verdict: 'none',
      reason: 'Driver memory steady at ~84% (its JVM heap reserved; no growth, no swap, no GC or result-size errors) while workers do the work at ~74% CPU (§1.2), duration ≈1.0× baseline: a healthy update, nothing for the driver (§8.2 only applies when the driver collects).',
      forbidden_fixes: ['larger-driver', 'avoid-collect', 'compute-optimized-instances'],
      notes: 'CRLF, shuffled rows; ENHANCED 2–8 at 6.',
    },
    pipeline: { name: 'partner_payouts', catalog: 'fin', schema: 'payouts', photon: true, clusters: [i3('default', enhanced(2, 8)), maintenance] },
    history: { count: 8, durationS: total(p) * 1.01, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: medallion({ scale: 0.9 }),
      cluster: cluster({ cores: 8, executors: enhancedRamp(2, () => 6), util: util(0.75), queued: queued(3), autoscaleEvents: true, autoscaleInfo: true, optimal: () => 6, worker: worker({ cpu: wobble(74, 5), mem: 64, netGiB: 0.35 }), driver: driver({ cpu: 24, mem: 84 }) }),
    },
    vars: ['crlf', 'shuffle'],
  });
}

// ============================================================ io
{
  const p = ph(170, 50, 28, 2400);
  add({
    id: 'io-cpu-wait',
    cls: 'io',
    label: {
      verdict: 'io',
      reason: 'Workers wait on storage: cpu_wait 20–35% sustained with CPU at ~34% and slots half busy; duration ~2.0× baseline with flat row counts (a slowdown, not growth): I/O-bound (§2.2 low CPU, slow reads/writes). Storage-optimized nodes with local SSD and the disk cache (§3.1, §3.4 io.cache), optimized writes (§7.1).',
      forbidden_fixes: ['compute-optimized-instances', 'enable-photon'],
      expected_fixes_any: ['storage-optimized-instances', 'enable-io-cache', 'optimize-write'],
      notes: '+00:00 timestamps, numbers as strings; fixed 6 × m5d.2xlarge; Photon on.',
    },
    pipeline: { name: 'gl_postings', catalog: 'fin', schema: 'gl', photon: true, clusters: [{ label: 'default', node_type_id: 'm5d.2xlarge', driver_node_type_id: 'm5d.2xlarge', num_workers: 6 }] },
    history: { count: 8, durationS: total(p) / 2.1, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: [
        { table: 'postings_bronze', kind: 'st', source: 'autoloader', inputs: [], at: [0, 0.45], slotShare: 0.4, cpuRatio: 0.55, rows: 8.8e6, backlog: draining(14 * GIB, 96 * MIB) },
        { table: 'postings_silver', kind: 'st', flowType: 'CHANGE', inputs: ['postings_bronze'], at: [0.05, 0.9], slotShare: 0.45, cpuRatio: 0.5, rows: 8.7e6 },
        { table: 'trial_balance', kind: 'mv', inputs: ['postings_silver'], at: [0.9, 0.99], slotShare: 0.3, cpuRatio: 0.6, rows: 120_000, terminalTotals: true, planning: 'incremental' },
      ],
      cluster: cluster({ cores: 8, executors: fixed(6), util: util(0.55, 0.06), queued: queued(5), worker: worker({ cpu: wobble(34, 4), amp: 6, mem: 55, wait: wobble(27, 6), netGiB: 0.8 }) }),
    },
    vars: ['ts-offset', 'num-strings'],
  });
}
{
  const p = ph(160, 45, 25, 2700);
  const files0 = 232_000;
  add({
    id: 'io-small-files-autoloader',
    cls: 'io',
    label: {
      verdict: 'io',
      reason: 'Auto Loader faces ~230k files of ~45 KB (backlog_bytes/backlog_files) and spends ~7 minutes listing the directory, while workers idle at ~28% CPU with some cpu_wait: small files and directory listing make it I/O-bound (§2.2 small files; §9.2 notifications for large directories, §9.3 maxFilesPerTrigger; §7.1 file sizes). Adding workers does not speed a listing on the driver.',
      forbidden_fixes: ['compute-optimized-instances', 'raise-max-workers', 'enable-photon'],
      expected_fixes_any: ['autoloader-notifications', 'autoloader-max-files', 'optimize-write', 'auto-compact'],
      notes: 'details as JSON strings, UTF-8 BOM; triggered pipeline; backlog roughly flat then slowly decreasing (230k → ~160k files), not growing.',
    },
    pipeline: { name: 'iot_smallfiles', catalog: 'main', schema: 'iot', photon: true, clusters: [i3('default', enhanced(2, 8)), maintenance] },
    history: { count: 8, durationS: total(p) / 1.8, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      listing: [{ flow: 'sensor_raw', files: files0, seconds: 420, path: 's3://acme-iot-raw/sensors/' }],
      flows: [
        {
          table: 'sensor_raw',
          kind: 'st',
          source: 'autoloader',
          inputs: [],
          explain: explainCloudFiles('json', 's3://acme-iot-raw/sensors/', 'sensor_id, ts, reading'),
          at: [0, 0.94],
          slotShare: 0.35,
          cpuRatio: 0.7,
          rows: 1.1e7,
          backlog: (f, r) => {
            const files = files0 * (1 - 0.31 * f) * r.range(0.98, 1.02);
            return { files, bytes: files * 45 * 1024 * r.range(0.95, 1.05) };
          },
        },
        { table: 'sensor_clean', kind: 'st', inputs: ['sensor_raw'], at: [0.1, 0.96], slotShare: 0.15, cpuRatio: 0.8, rows: 1.09e7 },
        { table: 'sensor_hourly', kind: 'mv', inputs: ['sensor_clean'], at: [0.96, 0.995], slotShare: 0.3, cpuRatio: 0.79, rows: 180_000, terminalTotals: true, planning: 'incremental' },
      ],
      cluster: cluster({ cores: 8, executors: enhancedRamp(2, () => 4), util: util(0.3, 0.06), queued: queued(1), autoscaleEvents: true, autoscaleInfo: true, optimal: () => 4, worker: worker({ cpu: wobble(28, 4), amp: 5, mem: 45, wait: wobble(14, 4), netGiB: 0.4 }), driver: driver({ cpu: wobble(55, 10), mem: 58 }) }),
    },
    vars: ['details-string', 'bom'],
  });
}
{
  const p = ph(160, 50, 28, 2050);
  add({
    id: 'io-near-miss',
    cls: 'io-near-miss',
    label: {
      verdict: 'none',
      reason: 'cpu_wait 8–12% with CPU at ~66% is ordinary read/write overlap, not an I/O bottleneck (§2.2 I/O-bound means low CPU with slow reads); duration ≈1.0× baseline (§10.1).',
      forbidden_fixes: ['storage-optimized-instances', 'compute-optimized-instances'],
      notes: 'nanosecond timestamps; ENHANCED 2–8 at 6.',
    },
    pipeline: { name: 'returns_ledger', catalog: 'main', schema: 'returns', photon: true, clusters: [i3('default', enhanced(2, 8)), maintenance] },
    history: { count: 7, durationS: total(p), everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: medallion({ scale: 0.8 }),
      cluster: cluster({ cores: 8, executors: enhancedRamp(2, () => 6), util: util(0.7), queued: queued(3), autoscaleEvents: true, autoscaleInfo: true, optimal: () => 6, worker: worker({ cpu: wobble(66, 5), mem: 60, wait: wobble(10, 2), netGiB: 0.4 }) }),
    },
    vars: ['ts-nanos'],
  });
}

// ============================================================ network
{
  const p = ph(150, 48, 26, 2400);
  add({
    id: 'network-shuffle-heavy',
    cls: 'network',
    label: {
      verdict: 'network',
      reason: 'A fact-to-fact SortMergeJoin (transactions × authorizations, both hundreds of GB) moves 2–3 GiB per worker-minute across the network while CPU stays at ~36%: network/shuffle-bound (§2.2 large shuffles, slow joins). Shuffle partitions are pinned to 2000 (AQE coalescing overridden, §3.4), and fast local disk for shuffle spill helps (§3.1 large shuffles).',
      forbidden_fixes: ['compute-optimized-instances', 'enable-photon'],
      expected_fixes_any: ['enable-aqe-coalesce', 'storage-optimized-instances'],
      notes: 'origin as JSON strings, CRLF; fixed 6 workers; duration 1.8× baseline.',
    },
    pipeline: { name: 'payments_recon', catalog: 'main', schema: 'payments', photon: true, clusters: [i3('default', { num_workers: 6, spark_conf: { 'spark.sql.shuffle.partitions': '2000', 'spark.sql.adaptive.coalescePartitions.enabled': 'false' } })] },
    history: { count: 8, durationS: total(p) / 1.8, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: [
        { table: 'transactions_silver', kind: 'st', inputs: [], source: 'kafka', explain: explainKafka('payment-transactions'), at: [0, 0.2], slotShare: 0.3, cpuRatio: 0.78, rows: 1.4e8, backlog: draining(20 * GIB, undefined, 1.4e8) },
        { table: 'authorizations_silver', kind: 'st', inputs: [], source: 'kafka', explain: explainKafka('card-authorizations'), at: [0, 0.18], slotShare: 0.25, cpuRatio: 0.77, rows: 1.6e8, backlog: draining(22 * GIB, undefined, 1.6e8) },
        { table: 'txn_auth_matched', kind: 'mv', inputs: ['transactions_silver', 'authorizations_silver'], explain: explainSmj('main.payments.transactions_silver', 'main.payments.authorizations_silver', 'auth_code', true), at: [0.2, 0.97], slotShare: 0.85, cpuRatio: 0.72, rows: 1.39e8, terminalTotals: true, planning: 'incremental' },
      ],
      cluster: cluster({ cores: 8, executors: fixed(6), util: util(0.6, 0.06), queued: queued(6), worker: worker({ cpu: wobble(36, 5), amp: 6, mem: 66, wait: 4, netGiB: wobble(2.5, 0.45) }) }),
    },
    vars: ['origin-string', 'crlf'],
  });
}
{
  const p = ph(150, 46, 26, 2500);
  add({
    id: 'network-smj-dim',
    cls: 'network',
    label: {
      verdict: 'network',
      reason: 'payments_enriched shuffles the whole fact table into a SortMergeJoin with the 45 MB main.payments.dim_merchant (autoBroadcastJoinThreshold left at 10 MB), ~1.7 GiB per worker-minute on the network while CPU is ~40%: network-bound on a join that should be a broadcast (§2.2, §6.2 broadcast small dimension tables, threshold 100 MB).',
      forbidden_fixes: ['compute-optimized-instances'],
      expected_fixes_any: ['broadcast-threshold'],
      notes: 'sequence as JSON strings, shuffled rows; Photon off (a weak secondary cpu signal); ENHANCED 2–8 at 6.',
    },
    pipeline: { name: 'payments_enrich2', catalog: 'main', schema: 'payments', photon: false, clusters: [i3('default', enhanced(2, 8)), maintenance] },
    history: { count: 8, durationS: total(p) / 1.6, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: [
        { table: 'payments_bronze', kind: 'st', source: 'kafka', inputs: [], explain: explainKafka('payments'), at: [0, 0.15], slotShare: 0.3, cpuRatio: 0.8, rows: 6.1e7, backlog: draining(9 * GIB, undefined, 6.1e7) },
        { table: 'dim_merchant', kind: 'mv', inputs: [], at: [0, 0.04], slotShare: 0.03, cpuRatio: 0.76, rows: 210_000, terminalTotals: true },
        { table: 'payments_enriched', kind: 'st', inputs: ['payments_bronze', 'dim_merchant'], explain: explainSmj('main.payments.payments_bronze', 'main.payments.dim_merchant', 'merchant_id'), at: [0.12, 0.97], slotShare: 0.8, cpuRatio: 0.74, rows: 6.1e7 },
      ],
      cluster: cluster({ cores: 8, executors: enhancedRamp(2, () => 6), util: util(0.62), queued: queued(5), autoscaleEvents: true, autoscaleInfo: true, optimal: () => 6, worker: worker({ cpu: wobble(41, 5), amp: 6, mem: 58, netGiB: wobble(1.6, 0.3) }) }),
    },
    vars: ['sequence-string', 'shuffle'],
  });
}
{
  const p = ph(150, 48, 26, 2400);
  const hot = 3;
  add({
    id: 'skew-hot-worker',
    cls: 'skew',
    label: {
      verdict: 'network',
      reason: 'Data skew (the repo files data-skew under network, docs/rules/README.md): worker 4 of 8 runs at ~93% CPU for ~70% of the run while the median worker idles at ~15%; the user_sessions join waits on one hot key (§8.3 skewed data, §11.2 skewed tasks). More workers would idle too; enable AQE skew join (overridden off here) or salt the key.',
      forbidden_fixes: ['raise-max-workers', 'enable-photon'],
      expected_fixes_any: ['enable-skew-join', 'salt-skewed-key'],
      notes: 'unknown event types, space-separated timestamps, details as JSON strings; spark.sql.adaptive.skewJoin.enabled=false in spark_conf; fixed 8 workers; duration 2.0× baseline.',
    },
    pipeline: { name: 'user_sessions', catalog: 'main', schema: 'web', photon: true, clusters: [i3('default', { num_workers: 8, spark_conf: { 'spark.sql.adaptive.skewJoin.enabled': 'false' } }), maintenance] },
    history: { count: 8, durationS: total(p) / 2.0, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: [
        { table: 'page_views', kind: 'st', source: 'kafka', inputs: [], explain: explainKafka('page-views'), at: [0, 0.14], slotShare: 0.4, cpuRatio: 0.79, rows: 8.2e7, backlog: draining(10 * GIB, undefined, 8.2e7) },
        { table: 'user_sessions', kind: 'mv', inputs: ['page_views', 'users_dim'], explain: explainSmj('main.web.page_views', 'main.web.users_dim', 'user_id', true), at: [0.14, 0.97], slotShare: 0.2, cpuRatio: 0.86, rows: 9.5e6, terminalTotals: true, planning: 'incremental' },
        { table: 'users_dim', kind: 'mv', inputs: [], at: [0, 0.05], slotShare: 0.05, cpuRatio: 0.77, rows: 4.4e6, terminalTotals: true },
      ],
      cluster: cluster({
        cores: 8,
        executors: fixed(8),
        util: (m, M, r) => (m / M > 0.15 && m / M < 0.85 ? 0.16 + r.noise(0.03) : util(0.7)(m, M, r)),
        queued: queued(0.5),
        worker: worker({ cpu: (m, M, i) => (m / M > 0.15 && m / M < 0.85 ? (i === hot ? 93 : 15) : 68), amp: 5, mem: (m, M, i) => (i === hot ? 82 : 48), netGiB: 0.35 }),
      }),
    },
    vars: ['unknown-events', 'ts-space', 'details-string'],
  });
}
{
  const p = ph(160, 50, 27, 2150);
  add({
    id: 'skew-transient-near-miss',
    cls: 'skew-near-miss',
    label: {
      verdict: 'none',
      reason: 'Workers are even (~70% CPU, §1.2) except for a 3-minute tail at the end of one stage where one worker runs the last tasks at ~3× the median — normal stage tail, not persistent skew (§11.2 looks for tasks much longer than others across the run); duration ≈1.0× baseline.',
      forbidden_fixes: ['salt-skewed-key', 'enable-skew-join', 'raise-max-workers'],
      notes: 'numbers as strings, +00:00 timestamps; fixed 6 workers.',
    },
    pipeline: { name: 'store_traffic', catalog: 'main', schema: 'retail', photon: true, clusters: [i3('default', { num_workers: 6 })] },
    history: { count: 8, durationS: total(p) * 1.02, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: medallion({ scale: 0.9 }),
      cluster: cluster({ cores: 8, executors: fixed(6), util: util(0.72), queued: queued(3), worker: worker({ cpu: (m, M, i) => (m >= 20 && m < 23 ? (i === 1 ? 88 : 24) : 71), mem: 61, netGiB: 0.4 }) }),
    },
    vars: ['num-strings', 'ts-offset'],
  });
}

// ============================================================ startup
{
  const p = ph(840, 50, 26, 1100);
  add({
    id: 'startup-waiting-for-resources',
    cls: 'startup',
    label: {
      verdict: 'startup',
      reason: '14 minutes in WAITING_FOR_RESOURCES (spot capacity, no instance pool) of a 34-minute update; once running it is healthy (~70% CPU, §1.2) and at its usual running time. The time went to acquiring nodes: instance pools or serverless (Databricks docs on pools / serverless pipelines).',
      forbidden_fixes: ['split-pipeline', 'raise-max-workers', 'compute-optimized-instances', 'enable-photon'],
      expected_fixes_any: ['use-instance-pool', 'use-serverless'],
      notes: 'details as JSON strings; a newer update is still RUNNING; aws_attributes SPOT first_on_demand 1.',
    },
    pipeline: { name: 'campaign_rollup', catalog: 'main', schema: 'marketing', photon: true, clusters: [i3('default', { ...enhanced(2, 6), aws_attributes: { availability: 'SPOT', zone_id: 'us-east-1a', first_on_demand: 1 } }), maintenance] },
    history: { count: 8, durationS: 1500, everyH: 24, waitS: 190 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: medallion({ scale: 0.5 }),
      cluster: cluster({ cores: 8, executors: enhancedRamp(2, () => 5), util: util(0.72), queued: queued(3), autoscaleEvents: true, autoscaleInfo: true, optimal: () => 5, worker: worker({ cpu: wobble(70, 5), mem: 60, netGiB: 0.3 }) }),
    },
    vars: ['details-string', 'newer-running'],
  });
}
{
  const p = ph(170, 980, 30, 840);
  add({
    id: 'startup-init-scripts',
    cls: 'startup',
    label: {
      verdict: 'startup',
      reason: '16 minutes of INITIALIZING on a 3-flow pipeline whose cluster runs two init scripts (workspace and volumes paths) and installs maven and wheel libraries; node metrics show the driver and workers busy (CPU ~45%, network ~0.8 GiB/min) while no flow has started. With 3 flows this is cluster bring-up, not graph planning (§2.1: parsing is usually seconds; planning grows with many tables) — so splitting the pipeline cannot help.',
      forbidden_fixes: ['split-pipeline', 'raise-max-workers', 'compute-optimized-instances'],
      notes: 'nanosecond timestamps, CRLF, origin as JSON strings; init_scripts and libraries in pipeline.json; duration 1.35× baseline.',
    },
    pipeline: {
      name: 'geo_enrichment',
      catalog: 'main',
      schema: 'geo',
      photon: false,
      clusters: [
        i3('default', {
          ...enhanced(2, 6),
          init_scripts: [{ workspace: { destination: '/Workspace/Shared/init/install-gdal.sh' } }, { volumes: { destination: '/Volumes/main/ops/scripts/corp-certs.sh' } }],
          spark_env_vars: { GDAL_DATA: '/usr/share/gdal' },
        }),
        maintenance,
      ],
      libraries: [
        { notebook: { path: '/Repos/geo/pipelines/geo_enrichment/main' } },
        { maven: { coordinates: 'org.locationtech.jts:jts-core:1.19.0' } },
        { maven: { coordinates: 'com.uber:h3:4.1.1' } },
        { whl: '/Volumes/main/ops/wheels/geoutils-2.3.1-py3-none-any.whl' },
      ],
    },
    history: { count: 8, durationS: total(p) / 1.35, everyH: 24, initS: 640 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: [
        { table: 'addresses_bronze', kind: 'st', source: 'autoloader', inputs: [], at: [0, 0.35], slotShare: 0.3, cpuRatio: 0.77, rows: 3.1e6, backlog: draining(800 * MIB, 32 * MIB) },
        { table: 'addresses_geocoded', kind: 'st', inputs: ['addresses_bronze'], at: [0.05, 0.85], slotShare: 0.5, cpuRatio: 0.82, rows: 3.05e6 },
        { table: 'h3_density', kind: 'mv', inputs: ['addresses_geocoded'], at: [0.85, 0.98], slotShare: 0.4, cpuRatio: 0.8, rows: 96_000, terminalTotals: true, planning: 'incremental' },
      ],
      cluster: cluster({
        cores: 8,
        executors: enhancedRamp(2, () => 4),
        util: util(0.7),
        queued: queued(3),
        autoscaleEvents: true,
        autoscaleInfo: true,
        optimal: () => 4,
        worker: worker({ cpu: wobble(72, 5), mem: 58, netGiB: 0.3, init: { cpu: 45, mem: 35, netGiB: 0.8, wait: 9 } }),
        driver: driver({ cpu: 20, mem: 45, init: { cpu: 48, mem: 40 } }),
      }),
    },
    vars: ['ts-nanos', 'crlf', 'origin-string'],
  });
}
{
  const p = ph(200, 45, 25, 2450);
  add({
    id: 'startup-near-miss',
    cls: 'startup-near-miss',
    label: {
      verdict: 'none',
      reason: '3 min 20 s in WAITING_FOR_RESOURCES is an ordinary classic cluster start (~7% of a 45-minute update); everything else is at baseline (≈1.0×, §10.1) with CPU ~72% (§1.2).',
      forbidden_fixes: ['use-instance-pool', 'split-pipeline', 'compute-optimized-instances'],
      notes: 'REST-style earlier updates, "has COMPLETED" messages.',
    },
    pipeline: { name: 'returns_daily', catalog: 'main', schema: 'returns', photon: true, clusters: [i3('default', enhanced(2, 8)), maintenance] },
    history: { count: 8, durationS: total(p), everyH: 24, waitS: 190 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: medallion({ scale: 0.9 }),
      cluster: cluster({ cores: 8, executors: enhancedRamp(2, () => 6), util: util(0.73), queued: queued(3), autoscaleEvents: true, autoscaleInfo: true, optimal: () => 6, worker: worker({ cpu: wobble(72, 5), mem: 60, netGiB: 0.3 }) }),
    },
    vars: ['rest-history', 'flow-has-messages'],
  });
}

// ============================================================ planning
{
  const p = ph(170, 560, 460, 1500);
  add({
    id: 'planning-many-flows',
    cls: 'planning',
    label: {
      verdict: 'planning',
      reason: '42 flows in one pipeline: INITIALIZING + SETTING_UP_TABLES take ~17 minutes (~38% of the update) with the driver busy resolving the graph while workers idle; the running phase itself is short and healthy. Planning-bound (§2.2 planning: many tables; §2.1 planning can be slow for complex pipelines): split the pipeline. More or bigger workers cannot speed the driver\'s planning.',
      forbidden_fixes: ['raise-max-workers', 'compute-optimized-instances', 'use-instance-pool'],
      expected_fixes_any: ['split-pipeline'],
      notes: 'details as JSON strings, ts-offset; many small flows; 1.35× baseline as the graph grew.',
    },
    pipeline: { name: 'erp_consolidation', catalog: 'fin', schema: 'erp', photon: true, clusters: [i3('default', enhanced(2, 8)), maintenance] },
    history: { count: 5, durationS: total(p) / 1.35, everyH: 24, initS: 330, setupS: 250, flowRows: false },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: simpleFlows('erp', 42),
      cluster: cluster({
        cores: 8,
        executors: enhancedRamp(2, () => 5),
        util: util(0.7),
        queued: queued(3),
        autoscaleEvents: true,
        autoscaleInfo: true,
        optimal: () => 5,
        worker: worker({ cpu: wobble(68, 6), mem: 55, netGiB: 0.3, init: { cpu: 4, mem: 20 } }),
        driver: driver({ cpu: 22, mem: 50, init: { cpu: 74, mem: 58 } }),
      }),
    },
    vars: ['details-string', 'ts-offset'],
  });
}
{
  const p = ph(160, 50, 30, 2700);
  add({
    id: 'planning-mv-recompute',
    cls: 'planning',
    label: {
      verdict: 'planning',
      reason: 'stock_levels_by_site (~65% of the running phase) was refreshed by MAINTENANCE_TYPE_COMPLETE_RECOMPUTE because its source main.supply.stock_movements lacks row tracking (ROW_TRACKING_NOT_ENABLED, prevent_incrementalization); earlier updates were incremental and took less than half the time. Planning-bound per the Databricks incremental-refresh docs: enable row tracking on the source. The cluster is busy (~76%, §1.2) because it recomputes everything — adding compute is not the fix.',
      forbidden_fixes: ['raise-max-workers', 'compute-optimized-instances', 'split-pipeline', 'enable-photon'],
      expected_fixes_any: ['enable-row-tracking'],
      notes: 'details as JSON strings, +00:00 timestamps, unknown event types; 2.2× baseline.',
    },
    pipeline: { name: 'stock_positions', catalog: 'main', schema: 'supply', photon: true, clusters: [i3('default', enhanced(2, 10)), maintenance] },
    history: { count: 8, durationS: total(p) / 2.2, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: [
        { table: 'stock_movements', kind: 'st', source: 'kafka', inputs: [], explain: explainKafka('stock-movements'), at: [0, 0.25], slotShare: 0.3, cpuRatio: 0.8, rows: 1.2e7, backlog: draining(3 * GIB, undefined, 1.2e7) },
        { table: 'sites_dim', kind: 'mv', inputs: [], at: [0, 0.04], slotShare: 0.03, cpuRatio: 0.75, rows: 1400, terminalTotals: true, planning: 'incremental' },
        { table: 'stock_levels_by_site', kind: 'mv', inputs: ['stock_movements', 'sites_dim'], explain: explainHashAgg('main.supply.stock_movements'), at: [0.27, 0.93], slotShare: 0.8, cpuRatio: 0.79, rows: 8.8e6, terminalTotals: true, planning: 'recompute-row-tracking', planningStatus: true },
        { table: 'reorder_alerts', kind: 'mv', inputs: ['stock_levels_by_site'], at: [0.93, 0.99], slotShare: 0.2, cpuRatio: 0.77, rows: 2300, terminalTotals: true, planning: 'incremental' },
      ],
      cluster: cluster({ cores: 8, executors: enhancedRamp(2, () => 6), util: util(0.8), queued: queued(8), autoscaleEvents: true, autoscaleInfo: true, optimal: () => 6, worker: worker({ cpu: wobble(76, 5), mem: 66, netGiB: 0.5 }) }),
    },
    vars: ['details-string', 'ts-offset', 'unknown-events'],
  });
}
{
  const p = ph(170, 85, 70, 1650);
  add({
    id: 'planning-near-miss-many-fast-flows',
    cls: 'planning-near-miss',
    label: {
      verdict: 'none',
      reason: '34 flows, but INITIALIZING + SETTING_UP_TABLES take only ~2.5 minutes (~8% of the update) and the update is at baseline (≈1.0×, §10.1) with CPU ~70% (§1.2): the flow count alone is not a planning bottleneck.',
      forbidden_fixes: ['split-pipeline', 'raise-max-workers', 'compute-optimized-instances'],
      notes: 'REST-style earlier updates, "has COMPLETED" messages; many small flows.',
    },
    pipeline: { name: 'ops_metrics', catalog: 'ops', schema: 'metrics', photon: true, clusters: [i3('default', enhanced(2, 8)), maintenance] },
    history: { count: 6, durationS: total(p), everyH: 24, initS: 85, setupS: 70, flowRows: false },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: simpleFlows('ops', 34),
      cluster: cluster({ cores: 8, executors: enhancedRamp(2, () => 5), util: util(0.7), queued: queued(3), autoscaleEvents: true, autoscaleInfo: true, optimal: () => 5, worker: worker({ cpu: wobble(70, 5), mem: 57, netGiB: 0.3 }) }),
    },
    vars: ['rest-history', 'flow-has-messages'],
  });
}

// ============================================================ scaling
{
  const p = ph(150, 48, 26, 2300);
  add({
    id: 'scaling-enhanced-pinned',
    cls: 'scaling',
    label: {
      verdict: 'scaling',
      reason: 'ENHANCED autoscaling sits at max_workers 8 from minute 4 to the end with 40–200 queued tasks, slots ~0.95, and the autoscaler itself reports optimal_num_executors 14–18 > max: the cap is the constraint (§3.3). CPU ~88% is the consequence of the cap; raising max_workers is the first fix. Duration 1.9× with rows 1.7× (data growth).',
      forbidden_fixes: ['reduce-max-workers', 'split-pipeline'],
      expected_fixes_any: ['raise-max-workers'],
      notes: 'CRLF, space-separated timestamps, sequence as JSON strings; nested cluster_resources with autoscale_info.',
    },
    pipeline: { name: 'app_events', catalog: 'main', schema: 'app', photon: true, clusters: [i3('default', enhanced(2, 8)), maintenance] },
    history: { count: 8, durationS: total(p) / 1.9, everyH: 24, rowsScale: 1 / 1.7 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: [
        { table: 'app_events_bronze', kind: 'st', source: 'kafka', inputs: [], explain: explainKafka('app-events'), at: [0, 0.9], slotShare: 0.45, cpuRatio: 0.84, rows: 2.3e8, backlog: draining(60 * GIB, undefined, 2.3e8) },
        { table: 'app_events_silver', kind: 'st', inputs: ['app_events_bronze'], at: [0.02, 0.95], slotShare: 0.45, cpuRatio: 0.85, rows: 2.29e8 },
        { table: 'dau_by_country', kind: 'mv', inputs: ['app_events_silver'], at: [0.95, 0.99], slotShare: 0.5, cpuRatio: 0.8, rows: 24_000, terminalTotals: true, planning: 'incremental' },
      ],
      cluster: cluster({
        cores: 8,
        executors: enhancedRamp(2, () => 8, 4),
        util: util(0.95, 0.025),
        queued: queued(110, 80),
        optimal: (m, M, r) => Math.round(14 + r.range(0, 4)),
        autoscaleEvents: true,
        autoscaleInfo: true,
        worker: worker({ cpu: wobble(88, 4), amp: 5, mem: 64, netGiB: 0.6 }),
      }),
    },
    vars: ['crlf', 'ts-space', 'sequence-string'],
  });
}
{
  const p = ph(150, 48, 26, 2000);
  add({
    id: 'scaling-legacy-slow-ramp',
    cls: 'scaling',
    label: {
      verdict: 'scaling',
      reason: 'LEGACY autoscaling adds one executor every ~2.5 minutes (2 → 12 over ~25 min) while 300–900 tasks queue and slots stay ~0.95 busy: the update waits on the slow scale-up (§3.3: LEGACY is basic scale-up/down; ENHANCED scales faster). There are no autoscale events nor autoscale_info/optimal fields — the evidence is queued tasks + saturated slots + the slow executor ramp. One flow\'s CPU ratio (~0.82) is ordinary.',
      forbidden_fixes: ['reduce-max-workers', 'split-pipeline'],
      expected_fixes_any: ['enhanced-autoscaling', 'raise-max-workers'],
      notes: 'numbers as strings, origin as JSON strings, UTF-8 BOM; older flat cluster_resources with no state/optimal fields; no autoscale events.',
    },
    pipeline: { name: 'pos_sales', catalog: 'main', schema: 'retail', photon: true, clusters: [i3('default', legacy(2, 12)), maintenance] },
    history: { count: 8, durationS: total(p) / 1.5, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: [
        { table: 'pos_txn_bronze', kind: 'st', source: 'autoloader', inputs: [], at: [0, 0.5], slotShare: 0.45, cpuRatio: 0.82, rows: 1.9e8, backlog: draining(40 * GIB, 128 * MIB) },
        { table: 'pos_txn_silver', kind: 'st', inputs: ['pos_txn_bronze'], at: [0.02, 0.9], slotShare: 0.45, cpuRatio: 0.8, rows: 1.89e8 },
        { table: 'store_daily', kind: 'mv', inputs: ['pos_txn_silver'], at: [0.9, 0.99], slotShare: 0.5, cpuRatio: 0.78, rows: 64_000, terminalTotals: true, planning: 'incremental' },
      ],
      cluster: cluster({
        cores: 8,
        executors: legacyRamp(2, 12, 2.5),
        util: util(0.95, 0.03, 1),
        queued: (m, M, r) => (m < 26 ? Math.max(120, 900 - m * 25 + r.noise(80)) : 60 + r.noise(30)),
        shape: 'flat',
        worker: worker({ cpu: wobble(88, 4), amp: 5, mem: 62, netGiB: 0.6, warm: 1 }),
      }),
    },
    vars: ['num-strings', 'origin-string', 'bom'],
  });
}
{
  const p = ph(150, 45, 25, 1260);
  add({
    id: 'scaling-overprovisioned-fixed',
    cls: 'scaling',
    label: {
      verdict: 'scaling',
      reason: 'A fixed 12-worker cluster idles at ~20% CPU with slot utilization ~0.17 for the whole run at its usual duration: over-provisioned (§12.2 right-size when CPU < 50%, §1.2 target 70–85%). The fix is fewer workers or autoscaling; more or bigger workers would waste more.',
      forbidden_fixes: ['raise-max-workers', 'compute-optimized-instances', 'memory-optimized-instances', 'enable-photon'],
      expected_fixes_any: ['reduce-max-workers'],
      notes: '+00:00 timestamps, shuffled rows; Photon on.',
    },
    pipeline: { name: 'crm_sync', catalog: 'main', schema: 'crm', photon: true, clusters: [{ label: 'default', node_type_id: 'm5d.2xlarge', driver_node_type_id: 'm5d.2xlarge', num_workers: 12 }] },
    history: { count: 8, durationS: total(p) * 1.01, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: medallion({ scale: 0.5 }),
      cluster: cluster({ cores: 8, executors: fixed(12), util: util(0.17, 0.04), queued: () => 0, worker: worker({ cpu: wobble(18, 4), amp: 5, mem: 35, netGiB: 0.1 }) }),
    },
    vars: ['ts-offset', 'shuffle'],
  });
}
{
  const p = ph(160, 48, 27, 2100);
  add({
    id: 'scaling-near-miss-brief-max',
    cls: 'scaling-near-miss',
    label: {
      verdict: 'none',
      reason: 'ENHANCED autoscaling touches max_workers 10 for 4 minutes during the silver merge with a few queued tasks, then scales back to 6; the rest of the run is at ~74% CPU (§1.2) and the update is at baseline (§10.1). A brief touch of the ceiling is not a capacity limit (§3.3).',
      forbidden_fixes: ['raise-max-workers', 'compute-optimized-instances'],
      notes: 'details as JSON strings, nanosecond timestamps.',
    },
    pipeline: { name: 'loyalty_points', catalog: 'main', schema: 'loyalty', photon: true, clusters: [i3('default', enhanced(2, 10)), maintenance] },
    history: { count: 8, durationS: total(p), everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'COMPLETED',
      phases: p,
      flows: medallion({ scale: 1 }),
      cluster: cluster({
        cores: 8,
        executors: enhancedRamp(2, (m) => (m >= 15 && m < 19 ? 10 : 6)),
        util: (m, M, r) => (m >= 15 && m < 19 ? 0.93 + r.noise(0.03) : util(0.74)(m, M, r)),
        queued: (m, M, r) => (m >= 15 && m < 19 ? 14 + r.noise(6) : queued(3)(m, M, r)),
        optimal: (m) => (m >= 15 && m < 19 ? 11 : 6),
        autoscaleEvents: true,
        autoscaleInfo: true,
        worker: worker({ cpu: (m) => (m >= 15 && m < 19 ? 86 : 74), mem: 60, netGiB: 0.35 }),
      }),
    },
    vars: ['details-string', 'ts-nanos'],
  });
}

// ============================================================ backlog
{
  const p = ph(160, 50, 28, 3000);
  add({
    id: 'backlog-kafka-continuous',
    cls: 'backlog',
    label: {
      verdict: 'backlog',
      reason: 'A continuous pipeline whose Kafka backlog_records grows from ~1.5M to ~30M over 50 minutes while the fixed cluster runs ~78% CPU with no queueing: the stream falls behind its input (§5.2 trigger/batch sizing for throughput; continuous pipelines must keep up). It is a Kafka source — Auto Loader options do not apply.',
      forbidden_fixes: [...AUTOLOADER_FIXES, 'reduce-max-workers'],
      expected_fixes_any: ['streaming-trigger', 'raise-max-workers'],
      notes: 'the diagnosed update is still RUNNING and is the pipeline\'s only update (a newly deployed continuous pipeline), so CONTRACT §1 selects it by default (no duration, no baseline); +00:00 timestamps, details and error as JSON strings.',
    },
    pipeline: { name: 'telemetry_kafka', catalog: 'main', schema: 'telemetry', photon: true, continuous: true, clusters: [i3('default', { num_workers: 6 }), maintenance] },
    history: { count: 0, durationS: 3 * 24 * 3600, everyH: 72 },
    update: {
      cause: 'USER_ACTION',
      state: 'RUNNING',
      phases: p,
      flows: [
        { table: 'telemetry_raw', kind: 'st', source: 'kafka', inputs: [], explain: explainKafka('vehicle-telemetry'), at: [0, 1], slotShare: 0.55, cpuRatio: 0.83, rows: 3.1e8, backlog: growing(1.5e6, 3.0e7, 'records', { seconds: [40, 1500] }), endStatus: 'RUNNING' },
        { table: 'telemetry_clean', kind: 'st', inputs: ['telemetry_raw'], at: [0.01, 1], slotShare: 0.3, cpuRatio: 0.8, rows: 3.0e8, endStatus: 'RUNNING' },
      ],
      cluster: cluster({ cores: 8, executors: fixed(6), util: util(0.8), queued: queued(2), worker: worker({ cpu: wobble(78, 4), amp: 5, mem: 63, netGiB: 0.9 }) }),
    },
    vars: ['ts-offset', 'details-string', 'error-string'],
  });
}
{
  const p = ph(160, 48, 26, 2700);
  add({
    id: 'backlog-delta-source',
    cls: 'backlog',
    label: {
      verdict: 'backlog',
      reason: 'A continuous stream from the Delta table main.iot.sensor_readings falls behind: backlog_bytes 3 → ~40 GB and backlog_files 50 → ~600 (64 MB files, Delta sources report backlog_files too) over 45 minutes, cluster ~80% CPU and not queueing (§5.2 batch sizing / trigger for throughput). Not Auto Loader: cloudFiles options do not apply; files are large, so not small files.',
      forbidden_fixes: [...AUTOLOADER_FIXES, 'reduce-max-workers'],
      expected_fixes_any: ['streaming-trigger', 'raise-max-workers'],
      notes: 'numbers as strings, space-separated timestamps; the update was stopped by the owner (CANCELED) and the restarted one is still RUNNING; fixed 6 workers.',
    },
    pipeline: { name: 'sensor_agg', catalog: 'main', schema: 'iot', photon: true, continuous: true, clusters: [i3('default', { num_workers: 6 }), maintenance] },
    history: { count: 6, durationS: 2 * 24 * 3600, everyH: 60, canceled: [0, 1, 2, 3, 4, 5] },
    update: {
      cause: 'USER_ACTION',
      state: 'CANCELED',
      phases: p,
      flows: [
        { table: 'sensor_windows', kind: 'st', source: 'delta', inputs: ['main.iot.sensor_readings'], explain: explainDeltaStream('main.iot.sensor_readings'), at: [0, 1], slotShare: 0.6, cpuRatio: 0.82, rows: 1.2e9, backlog: growing(3e9, 4.0e10, 'bytes', { fileBytes: 64 * MIB }) },
        { table: 'site_alerts', kind: 'st', inputs: ['sensor_windows'], at: [0.02, 1], slotShare: 0.15, cpuRatio: 0.78, rows: 2.1e5 },
      ],
      cluster: cluster({ cores: 8, executors: fixed(6), util: util(0.82), queued: queued(3), worker: worker({ cpu: wobble(80, 4), amp: 5, mem: 67, netGiB: 0.8 }) }),
    },
    vars: ['num-strings', 'ts-space', 'newer-running'],
  });
}
{
  const p = ph(150, 48, 26, 2400);
  add({
    id: 'backlog-growing-at-max',
    cls: 'backlog-vs-scaling',
    label: {
      verdict: 'scaling',
      reason: 'Mixed: the Kafka backlog grows (3M → 40M records) but the cluster is pinned at ENHANCED max_workers 8 with slots ~0.97, 80–150 queued tasks and optimal_num_executors 14–18 > max. The growing backlog is the symptom; the binding constraint is the autoscaling ceiling (§3.3), so raising max_workers is the first fix — trigger tuning (§5.2) would not add capacity.',
      forbidden_fixes: ['reduce-max-workers', ...AUTOLOADER_FIXES],
      expected_fixes_any: ['raise-max-workers'],
      notes: 'nanosecond timestamps, origin as JSON strings, CRLF; continuous; the owner stopped it (CANCELED).',
    },
    pipeline: { name: 'clickstream_live', catalog: 'main', schema: 'web', photon: true, continuous: true, clusters: [i3('default', enhanced(2, 8)), maintenance] },
    history: { count: 5, durationS: 24 * 3600, everyH: 48, canceled: [0, 1, 2, 3, 4] },
    update: {
      cause: 'USER_ACTION',
      state: 'CANCELED',
      phases: p,
      flows: [
        { table: 'clicks_raw', kind: 'st', source: 'kafka', inputs: [], explain: explainKafka('clickstream'), at: [0, 1], slotShare: 0.6, cpuRatio: 0.84, rows: 4.4e8, backlog: growing(3e6, 4e7, 'records', { seconds: [60, 1500] }) },
        { table: 'clicks_sessionized', kind: 'st', inputs: ['clicks_raw'], at: [0.01, 1], slotShare: 0.35, cpuRatio: 0.82, rows: 4.3e8 },
      ],
      cluster: cluster({
        cores: 8,
        executors: enhancedRamp(2, () => 8, 4),
        util: util(0.97, 0.02),
        queued: queued(115, 35),
        optimal: (m, M, r) => Math.round(14 + r.range(0, 4)),
        autoscaleEvents: true,
        autoscaleInfo: true,
        worker: worker({ cpu: wobble(90, 3), amp: 4, mem: 66, netGiB: 1.0 }),
      }),
    },
    vars: ['ts-nanos', 'origin-string', 'crlf'],
  });
}
{
  const p = ph(160, 48, 26, 2700);
  add({
    id: 'backlog-near-miss-sawtooth',
    cls: 'backlog-near-miss',
    label: {
      verdict: 'none',
      reason: 'The Kafka backlog comes in bursts and drains after each (sawtooth), ending lower than it started; CPU ~65%, autoscaler below max. A stream that keeps up with bursty input is healthy (§5.2) — a backlog alarm needs sustained growth.',
      forbidden_fixes: ['raise-max-workers', 'compute-optimized-instances', ...AUTOLOADER_FIXES],
      notes: 'shuffled rows, sequence as JSON strings; continuous, stopped by the owner (CANCELED).',
    },
    pipeline: { name: 'orders_cdc', catalog: 'main', schema: 'orders', photon: true, continuous: true, clusters: [i3('default', enhanced(2, 8)), maintenance] },
    history: { count: 5, durationS: 24 * 3600, everyH: 48, canceled: [0, 1, 2, 3, 4] },
    update: {
      cause: 'USER_ACTION',
      state: 'CANCELED',
      phases: p,
      flows: [
        { table: 'orders_cdc_raw', kind: 'st', source: 'kafka', inputs: [], explain: explainKafka('orders-cdc'), at: [0, 1], slotShare: 0.4, cpuRatio: 0.8, rows: 6.0e7, backlog: sawtooth(2.5e6, 'records', 4) },
        { table: 'orders_current', kind: 'st', flowType: 'CHANGE', inputs: ['orders_cdc_raw'], at: [0.01, 1], slotShare: 0.3, cpuRatio: 0.79, rows: 5.9e7 },
      ],
      cluster: cluster({ cores: 8, executors: enhancedRamp(2, () => 5), util: util(0.66, 0.08), queued: queued(3), autoscaleEvents: true, autoscaleInfo: true, optimal: () => 5, worker: worker({ cpu: wobble(65, 6), amp: 7, mem: 58, netGiB: 0.5 }) }),
    },
    vars: ['shuffle', 'sequence-string'],
  });
}

// ============================================================ failures that are not performance
{
  const p = ph(180, 55, 40, 0);
  add({
    id: 'failure-permission',
    cls: 'failure-not-perf',
    label: {
      verdict: 'none',
      reason: 'The update FAILED in SETTING_UP_TABLES on "PERMISSION_DENIED: User does not have USE SCHEMA on Schema \'main.finance_raw\'" — a grant is missing (Databricks event-log errors; Unity Catalog privileges). Not a performance problem: no compute or Spark change can help (§1.3: tuning starts from a working pipeline).',
      forbidden_fixes: [...ALL_COMPUTE, 'split-pipeline'],
      notes: 'error and details as JSON strings, +00:00 timestamps; the update never reached RUNNING (phases_s running must be 0); idle node metrics for the few minutes the cluster was up.',
    },
    pipeline: { name: 'finance_reporting', catalog: 'main', schema: 'finance', photon: true, clusters: [i3('default', enhanced(2, 6)), maintenance] },
    history: { count: 7, durationS: 1900, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'FAILED',
      phases: p,
      failIn: 'setup',
      flows: [
        { table: 'gl_raw', kind: 'st', inputs: ['main.finance_raw.gl_entries'], at: [0, 0.5], slotShare: 0.3, cpuRatio: 0.8, rows: 1e6, fatal: { error: permissionDenied('main.finance_raw'), message: "Failed to set up table 'main.finance.gl_raw'." } },
        { table: 'gl_summary', kind: 'mv', inputs: ['gl_raw'], at: [0.5, 1], slotShare: 0.3, cpuRatio: 0.8, rows: 1e4 },
      ],
      cluster: cluster({ cores: 8, executors: () => 2, worker: worker({ cpu: 5, mem: 22 }) }),
    },
    vars: ['error-string', 'details-string', 'ts-offset'],
  });
}
{
  const p = ph(175, 95, 0, 0);
  add({
    id: 'failure-table-not-found',
    cls: 'failure-not-perf',
    label: {
      verdict: 'none',
      reason: 'The update FAILED in INITIALIZING: accounts_silver reads main.crm.accounts_v2, which does not exist ([TABLE_OR_VIEW_NOT_FOUND], SQLSTATE 42P01). A code/catalog error, not performance: no compute or Spark change helps.',
      forbidden_fixes: [...ALL_COMPUTE, 'split-pipeline'],
      notes: 'error as JSON strings, CRLF, UTF-8 BOM; the update never reached SETTING_UP_TABLES or RUNNING.',
    },
    pipeline: { name: 'crm_accounts', catalog: 'main', schema: 'crm', photon: true, clusters: [i3('default', { num_workers: 3 })] },
    history: { count: 6, durationS: 1600, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'FAILED',
      phases: p,
      failIn: 'initializing',
      flows: [
        { table: 'accounts_silver', kind: 'mv', inputs: ['main.crm.accounts_v2'], at: [0, 1], slotShare: 0.3, cpuRatio: 0.8, rows: 0, fatal: { error: tableNotFound('main.crm.accounts_v2', 'main.crm.accounts_silver') } },
        { table: 'account_health', kind: 'mv', inputs: ['accounts_silver'], at: [0, 1], slotShare: 0.3, cpuRatio: 0.8, rows: 0 },
      ],
      cluster: cluster({ cores: 8, executors: () => 3, worker: worker({ cpu: 4, mem: 21 }) }),
    },
    vars: ['error-string', 'crlf', 'bom'],
  });
}
{
  const p = ph(165, 50, 30, 660);
  add({
    id: 'failure-schema-mismatch',
    cls: 'failure-not-perf',
    label: {
      verdict: 'none',
      reason: 'After 11 minutes of normal running (~64% CPU), payments_silver FAILED writing a batch whose amount column arrived as STRING: [DELTA_FAILED_TO_MERGE_FIELDS] / [DELTA_MERGE_INCOMPATIBLE_DATATYPE] DecimalType(18,2) vs StringType. A schema mismatch, not performance; no compute or Spark change helps.',
      forbidden_fixes: [...ALL_COMPUTE, 'split-pipeline'],
      notes: 'origin as JSON strings, numbers as strings; FAILED during RUNNING, so it is much shorter than baseline; downstream flows SKIPPED.',
    },
    pipeline: { name: 'payments_core', catalog: 'main', schema: 'payments', photon: true, clusters: [i3('default', enhanced(2, 8)), maintenance] },
    history: { count: 8, durationS: 2300, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'FAILED',
      phases: p,
      flows: [
        { table: 'payments_bronze', kind: 'st', source: 'autoloader', inputs: [], at: [0, 0.6], slotShare: 0.4, cpuRatio: 0.8, rows: 3.4e6, backlog: draining(2 * GIB, 48 * MIB) },
        { table: 'payments_silver', kind: 'st', inputs: ['payments_bronze'], at: [0.1, 1], slotShare: 0.4, cpuRatio: 0.82, rows: 1.1e6, fatal: { error: schemaMismatch('main.payments.payments_silver') } },
        { table: 'payments_daily', kind: 'mv', inputs: ['payments_silver'], at: [1.2, 1.3], slotShare: 0.3, cpuRatio: 0.8, rows: 0, terminalTotals: true },
      ],
      cluster: cluster({ cores: 8, executors: enhancedRamp(2, () => 5), util: util(0.66), queued: queued(3), autoscaleEvents: true, autoscaleInfo: true, optimal: () => 5, worker: worker({ cpu: wobble(64, 5), mem: 58, netGiB: 0.3 }) }),
    },
    vars: ['origin-string', 'num-strings'],
  });
}
{
  const p = ph(160, 80, 0, 0);
  add({
    id: 'failure-unresolved-column',
    cls: 'failure-not-perf',
    label: {
      verdict: 'none',
      reason: 'The update FAILED in INITIALIZING with an AnalysisException: [UNRESOLVED_COLUMN.WITH_SUGGESTION] `cust_id` cannot be resolved (did you mean `customer_id`?). A code error, not performance; no compute or Spark change helps.',
      forbidden_fixes: [...ALL_COMPUTE, 'split-pipeline'],
      notes: 'space-separated timestamps, sequence as JSON strings; the fixed code was rerun and that update is still RUNNING (the reader must pick the FAILED one).',
    },
    pipeline: { name: 'crm_orders', catalog: 'main', schema: 'crm', photon: true, clusters: [i3('default', enhanced(2, 6)), maintenance] },
    history: { count: 7, durationS: 1750, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'FAILED',
      phases: p,
      failIn: 'initializing',
      flows: [
        { table: 'orders_silver', kind: 'st', inputs: ['orders_bronze'], at: [0, 1], slotShare: 0.3, cpuRatio: 0.8, rows: 0, fatal: { error: unresolvedColumn('main.crm.orders_by_customer') } },
        { table: 'orders_by_customer', kind: 'mv', inputs: ['orders_silver'], at: [0, 1], slotShare: 0.3, cpuRatio: 0.8, rows: 0 },
      ],
      cluster: cluster({ cores: 8, executors: () => 2, worker: worker({ cpu: 4, mem: 20 }) }),
    },
    vars: ['ts-space', 'sequence-string', 'newer-running'],
  });
}
{
  const p = ph(150, 50, 28, 1900);
  add({
    id: 'failed-executor-oom',
    cls: 'failed-oom',
    label: {
      verdict: 'memory',
      reason: 'The update FAILED on a performance cause: invoices_agg lost executors twice with exit code 137 and then died on a fatal "java.lang.OutOfMemoryError: Java heap space"; worker memory 92–98% with ~8% swap. Memory-bound (§2.2 OOM errors, §8.1): memory-optimized nodes / off-heap; compute-optimized nodes would make it worse.',
      forbidden_fixes: ['compute-optimized-instances'],
      expected_fixes_any: ['memory-optimized-instances', 'offheap-memory'],
      notes: 'error as JSON strings, nanosecond timestamps, shuffled rows.',
    },
    pipeline: { name: 'billing_invoices', catalog: 'main', schema: 'billing', photon: true, clusters: [i3('default', { num_workers: 6 }), maintenance] },
    history: { count: 8, durationS: 2600, everyH: 24 },
    update: {
      cause: 'JOB_TASK',
      state: 'FAILED',
      phases: p,
      flows: [
        { table: 'usage_bronze', kind: 'st', source: 'autoloader', inputs: [], at: [0, 0.3], slotShare: 0.3, cpuRatio: 0.78, rows: 5.2e7, backlog: draining(6 * GIB, 64 * MIB) },
        {
          table: 'invoices_agg',
          kind: 'mv',
          inputs: ['usage_bronze'],
          explain: explainHashAgg('main.billing.usage_bronze'),
          at: [0.3, 1],
          slotShare: 0.8,
          cpuRatio: 0.6,
          rows: 0,
          terminalTotals: true,
          failures: [
            { at: 0.3, error: exit137(4, 77, 301) },
            { at: 0.6, error: exit137(6, 79, 12) },
          ],
          fatal: { error: heapOom(true) },
        },
      ],
      updateError: heapOom(true),
      cluster: cluster({ cores: 8, executors: fixed(6), util: util(0.8), queued: queued(10), worker: worker({ cpu: wobble(55, 6), mem: wobble(95, 3), swap: wobble(8, 2.5), netGiB: 0.5 }) }),
    },
    vars: ['error-string', 'ts-nanos', 'shuffle'],
  });
}
