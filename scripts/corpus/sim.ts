/**
 * The simulator behind scripts/write-corpus.ts: turns a case definition (cases.ts) into the raw files of
 * an evidence bundle (CONTRACT §1) in Databricks' own shapes, with the noise and shape variations a real
 * export carries. Written independently of src/demo: the shapes come from the event log schema docs
 * (docs.databricks.com …/ldp/monitor-event-log-schema), system.compute.node_timeline's columns and the
 * SDKs' pipeline types (PipelineSpec, PipelineCluster, UpdateInfo).
 *
 * Deterministic: every random draw comes from a mulberry32 stream seeded by the case id.
 */

export type Obj = Record<string, unknown>;
export type Verdict = 'cpu' | 'memory' | 'io' | 'network' | 'planning' | 'startup' | 'scaling' | 'backlog' | 'none';

// ---------------------------------------------------------------------------------------------
// randomness

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

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  u(): number {
    return this.next();
  }
  range(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  int(a: number, b: number): number {
    return Math.floor(this.range(a, b + 1));
  }
  /** v ± p·v */
  jitter(v: number, p: number): number {
    return v * (1 + this.range(-p, p));
  }
  /** ± amp */
  noise(amp: number): number {
    return this.range(-amp, amp);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(this.next() * 16).toString(16);
    return s;
  }
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${'89ab'[Math.floor(this.next() * 4)]}${this.hex(3)}-${this.hex(12)}`;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}

export const SEC = 1000;
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

export const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round = (v: number, d = 0) => {
  const f = 10 ** d;
  return Math.round(v * f) / f;
};

// ---------------------------------------------------------------------------------------------
// case definitions

export interface Label {
  verdict: Verdict;
  reason: string;
  forbidden_fixes: string[];
  expected_fixes_any?: string[];
  notes: string;
}

export type Variation =
  | 'details-string' // details as a JSON string (as SELECT * FROM event_log() returns it)
  | 'origin-string' // origin as a JSON string
  | 'sequence-string' // sequence as a JSON string
  | 'error-string' // error as a JSON string
  | 'ts-offset' // 2026-11-20T08:01:02.123+00:00
  | 'ts-space' // 2026-11-20 08:01:02.123 (a SQL export of a TIMESTAMP)
  | 'ts-nanos' // 2026-11-20T08:01:02.123456789Z
  | 'bom' // UTF-8 byte-order mark at the start of events.jsonl (and node_timeline.jsonl)
  | 'crlf' // CRLF line endings
  | 'num-strings' // numbers as strings in metrics, cluster_resources and node_timeline (Statement Execution API JSON_ARRAY)
  | 'shuffle' // rows in no particular order
  | 'unknown-events' // event types the reader does not know (hook_progress, sink_progress, …)
  | 'newer-running' // a newer update still RUNNING after the diagnosed one
  | 'rest-history' // earlier updates as the REST events API returns them: no details, state only in the message
  | 'flow-has-messages'; // "Flow 'x' has COMPLETED." instead of "is COMPLETED."

export interface NodeVals {
  cpu: number; // user + system, %
  wait?: number;
  mem: number;
  swap?: number;
  /** bytes sent + received in the minute */
  net?: number;
}

/** What the cluster's nodes and the scheduler report, minute by minute. */
export interface ClusterModel {
  /** cores (task slots) per worker */
  cores: number;
  /** executors (= workers) at running-minute m of M; before RUNNING (m < 0) the count while initializing */
  executors: (m: number, M: number, r: Rng) => number;
  /** slot utilization 0..1 at running-minute m */
  util: (m: number, M: number, r: Rng) => number;
  queued: (m: number, M: number, r: Rng) => number;
  /** optimal_num_executors (ENHANCED only); null: not reported */
  optimal?: (m: number, M: number, r: Rng) => number | null;
  /** nested task_slot_metrics/autoscale_info, the older flat fields, or both shapes alternating */
  shape: 'nested' | 'flat' | 'mixed';
  /** emit `autoscale` RESIZING/SUCCEEDED events when the executor count changes (ENHANCED) */
  autoscaleEvents: boolean;
  /** report autoscale state/optimal fields at all (false for LEGACY and fixed clusters) */
  autoscaleInfo: boolean;
  worker: (m: number, i: number, M: number, phase: 'init' | 'setup' | 'run', r: Rng) => NodeVals;
  driver: (m: number, M: number, phase: 'init' | 'setup' | 'run', r: Rng) => NodeVals;
}

export interface FlowSpec {
  /** table name (without catalog.schema) */
  table: string;
  kind: 'st' | 'mv' | 'view';
  flowType?: string;
  language?: 'PYTHON' | 'SQL';
  inputs: string[]; // fully qualified or bare table names
  /** [start, end] as fractions of the running phase */
  at: [number, number];
  /** share of the cluster's slots the flow keeps busy while it runs */
  slotShare: number;
  cpuRatio: number;
  rows: number;
  bytesPerRow?: number;
  source?: 'kafka' | 'autoloader' | 'delta';
  sourcePath?: string;
  /** backlog at fraction f of the flow's life */
  backlog?: (f: number, r: Rng) => { bytes?: number; records?: number; files?: number; seconds?: number };
  explain?: string;
  /** planning_information for an MV */
  planning?: 'incremental' | 'recompute-cdf' | 'recompute-row-tracking' | 'recompute-nondeterministic' | 'first-compute';
  /** data quality: dropped records */
  dropped?: number;
  /** retried failures (error payloads), as fractions of the flow's life */
  failures?: { at: number; error: Obj; message?: string }[];
  /** the flow ends FAILED at its end (the update fails with it) */
  fatal?: { error: Obj; message?: string };
  /** the flow is still running when the update ends (continuous) */
  endStatus?: 'COMPLETED' | 'STOPPED' | 'RUNNING' | 'IDLE';
  /** put the whole flow's metrics on its terminal row (batch) instead of per-minute rows */
  terminalTotals?: boolean;
  /** emit a PLANNING flow status (MVs on Enzyme) */
  planningStatus?: boolean;
}

export interface Phases {
  queued: number;
  created: number;
  waiting: number;
  initializing: number;
  resetting?: number;
  setup: number;
  running: number;
}

export interface ExtraEvent {
  /** minutes after RUNNING starts (negative: before), or an absolute phase anchor */
  atMin?: number;
  atPhase?: 'waiting' | 'initializing' | 'setup' | 'end';
  offsetS?: number;
  type: string;
  level?: string;
  message: string;
  details?: Obj | null;
  error?: Obj | null;
  flow?: string; // table name
  maturity?: string;
}

export interface PipelineDef {
  name: string;
  catalog: string;
  schema: string;
  photon?: boolean;
  serverless?: boolean;
  continuous?: boolean;
  development?: boolean;
  channel?: string;
  edition?: string;
  cloud?: 'AWS' | 'AZURE' | 'GCP';
  configuration?: Record<string, string>;
  /** the pipeline's clusters[] as GET /pipelines returns them */
  clusters?: Obj[];
  libraries?: Obj[];
  extraSpec?: Obj;
}

export interface HistoryDef {
  count: number;
  /** typical duration of an earlier (incremental) update, seconds */
  durationS: number;
  /** spacing between updates */
  everyH: number;
  /** indexes (0 = the newest earlier update) that were full refreshes, lasting frMult × durationS */
  fullRefresh?: number[];
  frMult?: number;
  /** indexes that FAILED / were CANCELED */
  failed?: number[];
  canceled?: number[];
  /** rows of an earlier update relative to the diagnosed one */
  rowsScale?: number;
  cause?: string;
  /** emit the earlier updates' terminal flow_progress rows (default true) */
  flowRows?: boolean;
  /** phases of an earlier update, seconds (running is what is left) */
  waitS?: number;
  initS?: number;
  setupS?: number;
}

export interface CaseDef {
  id: string;
  cls: string;
  label: Label;
  pipeline: PipelineDef;
  history: HistoryDef;
  update: {
    cause: string;
    fullRefresh?: boolean;
    state: 'COMPLETED' | 'FAILED' | 'CANCELED' | 'RUNNING';
    phases: Phases;
    /** the update fails in this phase instead of running (analysis / permission errors) */
    failIn?: 'initializing' | 'setup';
    /** error on the FAILED update_progress */
    updateError?: Obj;
    flows: FlowSpec[];
    cluster: ClusterModel | null; // null: serverless
    extra?: ExtraEvent[];
    /** AUTO_LOADER_LISTING operation_progress (flow table, files listed, listing seconds) */
    listing?: { flow: string; files: number; seconds: number; path: string }[];
  };
  vars: Variation[];
}

// ---------------------------------------------------------------------------------------------
// building

interface RawRow {
  t: number;
  row: Obj;
}

interface Ctx {
  def: CaseDef;
  r: Rng;
  pipelineId: string;
  orgId: number;
  instance: string;
  rows: RawRow[];
  seq: number;
  nodeRows: Obj[];
}

interface UpdateRef {
  id: string;
  clusterId: string | null;
}

interface FlowRef {
  table: string;
  fq: string;
  id: string;
}

const DEFAULT_CLOUD = 'AWS';

function fq(p: PipelineDef, table: string): string {
  return table.includes('.') ? table : `${p.catalog}.${p.schema}.${table}`;
}

function push(
  ctx: Ctx,
  e: {
    t: number;
    type: string;
    update?: UpdateRef | null;
    flow?: FlowRef | null;
    dataPlane?: boolean;
    level?: string;
    maturity?: string;
    message: string;
    details?: Obj | null;
    error?: Obj | null;
  },
): void {
  ctx.seq++;
  const p = ctx.def.pipeline;
  const origin: Obj = {
    cloud: p.cloud ?? DEFAULT_CLOUD,
    region: p.cloud === 'AZURE' ? 'westeurope' : p.cloud === 'GCP' ? 'us-central1' : 'us-east-1',
    org_id: ctx.orgId,
    pipeline_id: ctx.pipelineId,
    pipeline_type: 'WORKSPACE',
    pipeline_name: p.name,
  };
  if (e.update) {
    origin.update_id = e.update.id;
    if (e.dataPlane && e.update.clusterId) origin.cluster_id = e.update.clusterId;
  }
  if (e.flow) {
    origin.flow_id = e.flow.id;
    origin.flow_name = e.flow.fq;
    origin.dataset_name = e.flow.fq;
  }
  const row: Obj = {
    id: ctx.r.uuid(),
    sequence: e.dataPlane
      ? { data_plane_id: { instance: ctx.instance, seq_no: 1_000_000 + ctx.seq }, control_plane_seq_no: null }
      : { control_plane_seq_no: 5_000 + ctx.seq },
    origin,
    timestamp: Math.round(e.t),
    message: e.message,
    level: e.level ?? 'INFO',
    maturity_level: e.maturity ?? 'STABLE',
    error: e.error ?? null,
    details: e.details === undefined ? null : e.details,
    event_type: e.type,
  };
  ctx.rows.push({ t: Math.round(e.t), row });
}

function clusterIdFor(r: Rng, t: number): string {
  const d = new Date(t);
  const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(d.getUTCDate()).padStart(2, '0');
  return `${mm}${dd}-${String(d.getUTCHours()).padStart(2, '0')}${String(d.getUTCMinutes()).padStart(2, '0')}${r.int(10, 59)}-${r.hex(8)}`;
}

function flowMessage(ctx: Ctx, table: string, status: string): string {
  const has = ctx.def.vars.includes('flow-has-messages') && ['COMPLETED', 'FAILED', 'STOPPED', 'SKIPPED'].includes(status);
  return `Flow '${fq(ctx.def.pipeline, table)}' ${has ? 'has' : 'is'} ${status}.`;
}

function updateMessage(id: string, state: string, style: number): string {
  // real messages name the update by a short or the full id
  return style === 0 ? `Update ${id.slice(0, 6)} is ${state}.` : `Update ${id} is ${state}.`;
}

/** the phases an update goes through, with their start times */
function phaseTimes(t0: number, ph: Phases, r: Rng) {
  const tQueued = t0 + 250 + r.int(0, 200);
  const tCreated = tQueued + ph.queued * SEC;
  const tWait = tCreated + ph.created * SEC;
  const tInit = tWait + ph.waiting * SEC;
  const tReset = tInit + ph.initializing * SEC;
  const tSetup = tReset + (ph.resetting ?? 0) * SEC;
  const tRun = tSetup + ph.setup * SEC;
  const tRunEnd = tRun + ph.running * SEC;
  return { tQueued, tCreated, tWait, tInit, tReset, tSetup, tRun, tRunEnd };
}

// ---------------------------------------------------------------------------------------------
// history: earlier updates with only create_update, update_progress and terminal flow rows

function historyUpdates(ctx: Ctx, tDiag: number): { id: string; start: number; state: string; fullRefresh: boolean; cause: string; clusterId: string | null }[] {
  const { def, r } = ctx;
  const h = def.history;
  const out: { id: string; start: number; state: string; fullRefresh: boolean; cause: string; clusterId: string | null }[] = [];
  const rest = def.vars.includes('rest-history');
  for (let k = h.count - 1; k >= 0; k--) {
    const id = r.uuid();
    const start = tDiag - (k + 1) * h.everyH * HOUR + r.int(-90, 90) * SEC;
    const fr = (h.fullRefresh ?? []).includes(k);
    const failed = (h.failed ?? []).includes(k);
    const canceled = (h.canceled ?? []).includes(k);
    const state = failed ? 'FAILED' : canceled ? 'CANCELED' : 'COMPLETED';
    const dur = r.jitter(h.durationS * (fr ? (h.frMult ?? 2.8) : 1), 0.08) * (failed ? 0.4 : canceled ? 0.6 : 1);
    const waitS = r.jitter(h.waitS ?? 150, 0.2);
    const initS = r.jitter(h.initS ?? 45, 0.15);
    const setupS = r.jitter(h.setupS ?? 25, 0.15);
    const ph: Phases = {
      queued: r.range(0.5, 3),
      created: r.range(0.5, 1.5),
      waiting: def.pipeline.serverless ? r.range(5, 20) : waitS,
      initializing: initS,
      resetting: fr ? r.jitter(40, 0.2) : undefined,
      setup: setupS,
      running: Math.max(60, dur - waitS - initS - setupS),
    };
    const clusterId = def.pipeline.serverless ? null : clusterIdFor(r, start);
    const u: UpdateRef = { id, clusterId };
    const cause = h.cause ?? def.update.cause;
    const times = phaseTimes(start, ph, r);
    const details = (d: Obj) => (rest ? null : d);
    const style = r.int(0, 1);
    push(ctx, {
      t: start,
      type: 'create_update',
      update: u,
      message: `Update ${id.slice(0, 6)} started by ${cause}.`,
      details: details({ create_update: { cause, full_refresh: fr, full_refresh_selection: [], refresh_selection: [], validate_only: false, run_as: 'etl-sp@example.com' } }),
    });
    const prog = (t: number, s: string, level = 'INFO', error: Obj | null = null) =>
      push(ctx, { t, type: 'update_progress', update: u, level, message: updateMessage(id, s, style), details: details({ update_progress: { state: s } }), error });
    prog(times.tQueued, 'QUEUED');
    prog(times.tCreated, 'CREATED');
    prog(times.tWait, 'WAITING_FOR_RESOURCES');
    prog(times.tInit, 'INITIALIZING');
    if (fr) prog(times.tReset, 'RESETTING');
    prog(times.tSetup, 'SETTING_UP_TABLES');
    prog(times.tRun, 'RUNNING');
    const scale = (h.rowsScale ?? 1) * (fr ? (h.frMult ?? 2.8) : 1);
    for (const f of h.flowRows === false ? [] : def.update.flows) {
      const fref: FlowRef = { table: f.table, fq: fq(def.pipeline, f.table), id: flowIdFor(ctx, f.table) };
      const fe = times.tRun + f.at[1] * ph.running * SEC * (failed ? 0.9 : 1);
      if (failed || canceled) continue;
      if (def.pipeline.continuous && f.kind === 'st') continue;
      const execMs = f.slotShare * 8 * 4 * (f.at[1] - f.at[0]) * ph.running * SEC * 0.7;
      push(ctx, {
        t: fe,
        type: 'flow_progress',
        update: u,
        flow: fref,
        dataPlane: true,
        message: flowMessage(ctx, f.table, 'COMPLETED'),
        details: details({
          flow_progress: {
            status: 'COMPLETED',
            metrics: {
              num_output_rows: Math.round(r.jitter(f.rows * scale, 0.06)),
              executor_time_ms: Math.round(execMs),
              executor_cpu_time_ms: Math.round(execMs * r.jitter(f.cpuRatio, 0.04)),
            },
          },
        }),
      });
    }
    const endT = times.tRunEnd + r.range(0.8, 2) * SEC;
    if (failed) {
      prog(endT, 'FAILED', 'ERROR', {
        fatal: true,
        exceptions: [{ class_name: 'java.io.IOException', message: 'com.amazonaws.SdkClientException: Unable to execute HTTP request: Read timed out' }],
      });
    } else if (canceled) {
      prog(endT - 12 * SEC, 'STOPPING');
      prog(endT, 'CANCELED');
    } else {
      prog(endT, 'COMPLETED');
    }
    out.push({ id, start, state, fullRefresh: fr, cause, clusterId });
  }
  return out;
}

const flowIds = new WeakMap<Ctx, Map<string, string>>();
function flowIdFor(ctx: Ctx, table: string): string {
  let m = flowIds.get(ctx);
  if (!m) {
    m = new Map();
    flowIds.set(ctx, m);
  }
  let id = m.get(table);
  if (!id) {
    id = ctx.r.uuid();
    m.set(table, id);
  }
  return id;
}

// ---------------------------------------------------------------------------------------------
// the diagnosed update, in full detail

function explainScan(src: string, cols: string): string {
  return `== Physical Plan ==\n*(1) Project [${cols}]\n+- *(1) ColumnarToRow\n   +- FileScan parquet ${src}[${cols}] Batched: true, DataFilters: [], Format: Parquet, PushedFilters: [], ReadSchema: struct<${cols.split(', ').map((c) => `${c}:string`).join(',')}>`;
}

function planningDetails(kind: NonNullable<FlowSpec['planning']>, target: string, sources: string[]): Obj {
  const src = sources[0] ?? target;
  const tableInfo = sources.map((s) => ({ table_name: s, is_cdf_enabled: kind === 'incremental', is_row_id_enabled: kind !== 'recompute-row-tracking' }));
  const recompute = (issues: Obj[]) => [
    { maintenance_type: 'MAINTENANCE_TYPE_ROW_BASED', is_chosen: false, is_applicable: false, incrementalization_issues: issues },
    { maintenance_type: 'MAINTENANCE_TYPE_PARTITION_OVERWRITE', is_chosen: false, is_applicable: false },
    { maintenance_type: 'MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', is_chosen: true, is_applicable: true, cost: 1.0e12 },
  ];
  let techniques: Obj[];
  switch (kind) {
    case 'incremental':
      techniques = [
        { maintenance_type: 'MAINTENANCE_TYPE_ROW_BASED', is_chosen: true, is_applicable: true, cost: 2.1e10, change_set_information: { change_set_type: 'CHANGE_SET_TYPE_GENERAL_ROW_CHANGE' } },
        { maintenance_type: 'MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', is_chosen: false, is_applicable: true, cost: 9.4e11 },
      ];
      break;
    case 'first-compute':
      techniques = [
        { maintenance_type: 'MAINTENANCE_TYPE_ROW_BASED', is_chosen: false, is_applicable: false, incrementalization_issues: [{ issue_type: 'CHANGE_SET_MISSING', prevent_incrementalization: true, operator_name: null }] },
        { maintenance_type: 'MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', is_chosen: true, is_applicable: true },
      ];
      break;
    case 'recompute-cdf':
      techniques = recompute([{ issue_type: 'CDF_UNAVAILABLE', prevent_incrementalization: true, table_information: { table_name: src, is_cdf_enabled: false } }]);
      break;
    case 'recompute-row-tracking':
      techniques = recompute([{ issue_type: 'ROW_TRACKING_NOT_ENABLED', prevent_incrementalization: true, table_information: { table_name: src, is_row_id_enabled: false } }]);
      break;
    case 'recompute-nondeterministic':
      techniques = recompute([
        { issue_type: 'PLAN_NOT_DETERMINISTIC', prevent_incrementalization: true, plan_not_deterministic_sub_type: 'TIME_FUNCTION', expression_name: 'current_timestamp' },
      ]);
      break;
  }
  return {
    planning_information: {
      technique_information: techniques,
      source_table_information: tableInfo,
      target_table_information: { table_name: target, catalog_table_type: 'MATERIALIZED_VIEW', is_row_id_enabled: true, is_cdf_enabled: false },
    },
  };
}

function clusterDetails(def: CaseDef, cm: ClusterModel, vals: { ex: number; slots: number; util: number; queued: number; optimal: number | null; requested: number; state: string }, k: number, spanMs: number): Obj {
  const flat = cm.shape === 'flat' || (cm.shape === 'mixed' && k % 2 === 1);
  const slot = {
    summary_duration_ms: spanMs,
    num_task_slots: vals.slots,
    avg_num_task_slots: round(vals.slots * 0.995, 1),
    avg_task_slot_utilization: round(vals.util, 3),
    num_executors: vals.ex,
    avg_num_queued_tasks: round(vals.queued, 1),
  };
  if (flat) {
    const o: Obj = { ...slot };
    if (cm.autoscaleInfo) {
      o.state = vals.state;
      if (vals.optimal !== null) o.optimal_num_executors = vals.optimal;
      o.latest_requested_num_executors = vals.requested;
    }
    return { cluster_resources: o };
  }
  const o: Obj = { task_slot_metrics: slot };
  if (cm.autoscaleInfo) {
    o.autoscale_info = {
      state: vals.state,
      ...(vals.optimal !== null ? { optimal_num_executors: vals.optimal } : {}),
      latest_requested_num_executors: vals.requested,
      request_pending_seconds: vals.state.startsWith('SCALE_UP') ? round(def.update.phases.running > 0 ? 35 : 0, 1) : 0,
    };
  }
  return { cluster_resources: o };
}

function nodeType(def: CaseDef, driver: boolean): string {
  const c = def.pipeline.clusters?.find((x) => (x.label ?? 'default') !== 'maintenance') ?? {};
  return String((driver ? (c.driver_node_type_id ?? c.node_type_id) : c.node_type_id) ?? 'i3.2xlarge');
}

function diagnosedUpdate(ctx: Ctx, t0: number): { id: string; clusterId: string | null; end: number | null; state: string } {
  const { def, r } = ctx;
  const up = def.update;
  const id = r.uuid();
  const clusterId = up.cluster ? clusterIdFor(r, t0) : null;
  const u: UpdateRef = { id, clusterId };
  const style = r.int(0, 1);
  const p = def.pipeline;
  const ph = up.phases;
  const times = phaseTimes(t0, ph, r);
  const M = Math.max(1, Math.round(ph.running / 60));

  if (up.cause === 'USER_ACTION') {
    push(ctx, { t: t0 - 800, type: 'user_action', message: `User ana.silva@example.com started an update${up.fullRefresh ? ' with full refresh' : ''}.`, details: { user_action: { action: 'START', user_name: 'ana.silva@example.com', user_id: 7_700_123_456_789 } } });
  }
  push(ctx, {
    t: t0,
    type: 'create_update',
    update: u,
    message: `Update ${id.slice(0, 6)} started by ${up.cause}.`,
    details: {
      create_update: {
        cause: up.cause,
        full_refresh: up.fullRefresh ?? false,
        full_refresh_selection: [],
        refresh_selection: [],
        validate_only: false,
        run_as: up.cause === 'USER_ACTION' ? 'ana.silva@example.com' : 'etl-sp@example.com',
        config: { id: ctx.pipelineId, name: p.name, continuous: p.continuous ?? false, photon: p.photon ?? false, serverless: p.serverless ?? false },
      },
    },
  });
  const prog = (t: number, s: string, extra: { level?: string; error?: Obj | null; details?: Obj } = {}) =>
    push(ctx, {
      t,
      type: 'update_progress',
      update: u,
      level: extra.level ?? 'INFO',
      message: updateMessage(id, s, style),
      details: { update_progress: { state: s, ...(extra.details ?? {}) } },
      error: extra.error ?? null,
    });
  prog(times.tQueued, 'QUEUED');
  prog(times.tCreated, 'CREATED');
  prog(times.tWait, 'WAITING_FOR_RESOURCES');
  prog(times.tInit, 'INITIALIZING');
  push(ctx, {
    t: times.tInit + 5 * SEC + r.int(0, 3000),
    type: 'runtime_details',
    update: u,
    dataPlane: true,
    message: 'Pipeline runtime details.',
    details: { runtime_details: { runtime_version: { dbr_version: p.serverless ? 'serverless' : '16.4' } } },
  });

  const flowRefs = new Map<string, FlowRef>();
  for (const f of up.flows) flowRefs.set(f.table, { table: f.table, fq: fq(p, f.table), id: flowIdFor(ctx, f.table) });

  // definitions, spread over INITIALIZING
  const unknown = def.vars.includes('unknown-events');
  up.flows.forEach((f, i) => {
    const t = times.tInit + ph.initializing * SEC * (0.35 + (0.55 * i) / Math.max(1, up.flows.length));
    const ref = flowRefs.get(f.table)!;
    if (unknown) {
      push(ctx, {
        t: t - 40,
        type: 'dataset_definition',
        update: u,
        flow: ref,
        dataPlane: true,
        message: `Dataset '${ref.fq}' defined as ${f.kind === 'mv' ? 'MATERIALIZED_VIEW' : f.kind === 'view' ? 'VIEW' : 'STREAMING_TABLE'}.`,
        details: { dataset_definition: { dataset_type: f.kind === 'mv' ? 'MATERIALIZED_VIEW' : f.kind === 'view' ? 'VIEW' : 'STREAMING_TABLE', num_flows: 1, expectations: [] } },
      });
    }
    push(ctx, {
      t,
      type: 'flow_definition',
      update: u,
      flow: ref,
      dataPlane: true,
      message: `Flow '${ref.fq}' is defined as ${f.flowType ?? (f.kind === 'mv' ? 'COMPLETE' : 'APPEND')}.`,
      details: {
        flow_definition: {
          output_dataset: ref.fq,
          input_datasets: f.inputs.map((x) => fq(p, x)),
          flow_type: f.flowType ?? (f.kind === 'mv' ? 'COMPLETE' : 'APPEND'),
          explain_text: f.explain ?? explainScan(fq(p, f.inputs[0] ?? f.table), 'id, payload, updated_at'),
          language: f.language ?? 'PYTHON',
          spark_conf: [],
          once: false,
        },
      },
    });
  });

  // failing before RUNNING (analysis / permission errors)
  if (up.failIn) {
    const tFail = up.failIn === 'initializing' ? times.tReset - 2 * SEC : times.tRun - 2 * SEC;
    if (up.failIn === 'setup') prog(times.tSetup, 'SETTING_UP_TABLES');
    for (const x of up.extra ?? []) emitExtra(ctx, x, u, flowRefs, times);
    const failing = up.flows.find((f) => f.fatal);
    if (failing) {
      push(ctx, {
        t: tFail - 1500,
        type: 'flow_progress',
        update: u,
        flow: flowRefs.get(failing.table)!,
        dataPlane: true,
        level: 'ERROR',
        message: failing.fatal!.message ?? `Failed to resolve flow: '${fq(p, failing.table)}'.`,
        details: { flow_progress: { status: 'FAILED' } },
        error: failing.fatal!.error,
      });
    }
    prog(tFail, 'FAILED', { level: 'ERROR', error: up.updateError ?? failing?.fatal?.error ?? null });
    emitNodes(ctx, u, times, ph, M, up.failIn);
    return { id, clusterId, end: tFail, state: 'FAILED' };
  }

  if (ph.resetting) prog(times.tReset, 'RESETTING');
  prog(times.tSetup, 'SETTING_UP_TABLES');
  prog(times.tRun, 'RUNNING');

  const failure = up.flows.find((f) => f.fatal);
  const tRunEnd = times.tRunEnd;

  // cluster_resources and autoscale
  const cm = up.cluster;
  if (cm) {
    let prevEx = cm.executors(-1, M, r);
    let k = 0;
    for (let t = times.tSetup + 30 * SEC; t < tRunEnd; t += MIN) {
      const m = (t - times.tRun) / MIN;
      const running = m >= 0;
      const ex = Math.max(0, Math.round(cm.executors(running ? m : -1, M, r)));
      const util = running ? clamp(cm.util(m, M, r), 0.005, 0.999) : r.range(0.01, 0.06);
      const queued = running ? Math.max(0, cm.queued(m, M, r)) : 0;
      const optimal = cm.optimal && running ? cm.optimal(m, M, r) : cm.optimal ? ex : null;
      const requested = optimal !== null ? Math.max(ex, Math.min(optimal, maxWorkersOf(def) ?? optimal)) : ex;
      const state = ex < requested ? 'SCALE_UP_IN_PROGRESS_WAITING_FOR_EXECUTORS' : 'CLUSTER_AT_DESIRED_SIZE';
      push(ctx, {
        t: t + r.int(-900, 900),
        type: 'cluster_resources',
        update: u,
        dataPlane: true,
        level: 'METRICS',
        maturity: 'EVOLVING',
        message: `Cluster has ${ex} executors and ${ex * cm.cores} task slots.`,
        details: clusterDetails(def, cm, { ex, slots: ex * cm.cores, util, queued, optimal, requested, state }, k++, 60_000),
      });
      if (cm.autoscaleEvents && running && ex !== prevEx) {
        const status = ex > prevEx ? 'RESIZING' : 'SUCCEEDED';
        push(ctx, {
          t: t - 20 * SEC,
          type: 'autoscale',
          update: u,
          dataPlane: true,
          maturity: 'EVOLVING',
          message: ex > prevEx ? `Scaling cluster up from ${prevEx} to ${ex} executors.` : `Scaled cluster down to ${ex} executors.`,
          details: { autoscale: { status, requested_num_executors: ex, ...(optimal !== null ? { optimal_num_executors: optimal } : {}) } },
        });
        if (ex > prevEx) {
          push(ctx, {
            t: t + 40 * SEC,
            type: 'autoscale',
            update: u,
            dataPlane: true,
            maturity: 'EVOLVING',
            message: `Cluster resized to ${ex} executors.`,
            details: { autoscale: { status: 'SUCCEEDED', requested_num_executors: ex, ...(optimal !== null ? { optimal_num_executors: optimal } : {}) } },
          });
        }
      }
      prevEx = ex;
    }
  }

  // flows
  const slotsAt = (m: number) => (cm ? Math.max(1, Math.round(cm.executors(m, M, r))) * cm.cores : 64);
  const utilAt = (m: number) => (cm ? clamp(cm.util(m, M, r), 0.05, 1) : 0.75);
  up.flows.forEach((f, fi) => {
    const ref = flowRefs.get(f.table)!;
    const fs = times.tRun + f.at[0] * ph.running * SEC + 600 + fi * 41;
    const fe = Math.min(times.tRun + f.at[1] * ph.running * SEC, tRunEnd - 800);
    const flowPush = (t: number, status: string, o: { level?: string; metrics?: Obj; dq?: Obj; error?: Obj | null; message?: string } = {}) =>
      push(ctx, {
        t,
        type: 'flow_progress',
        update: u,
        flow: ref,
        dataPlane: true,
        level: o.level ?? 'INFO',
        message: o.message ?? flowMessage(ctx, f.table, status),
        details: { flow_progress: { status, ...(o.metrics ? { metrics: o.metrics } : {}), ...(o.dq ? { data_quality: o.dq } : {}) } },
        error: o.error ?? null,
      });
    if (failure && fs >= tRunEnd - 1000) {
      flowPush(tRunEnd + 300, 'SKIPPED');
      return;
    }
    flowPush(times.tRun + 150 + fi * 17, 'QUEUED');
    if (f.planningStatus) flowPush(fs - 400, 'PLANNING');
    flowPush(fs, 'STARTING');
    if (f.kind === 'mv' && f.planning && !up.fullRefresh) {
      push(ctx, {
        t: fs + 1800,
        type: 'planning_information',
        update: u,
        flow: ref,
        dataPlane: true,
        maturity: 'EVOLVING',
        message: `Flow '${ref.fq}' has been planned in DLT to be executed as ${f.planning === 'incremental' ? 'ROW_BASED' : 'COMPLETE_RECOMPUTE'}.`,
        details: planningDetails(f.planning, ref.fq, f.inputs.map((x) => fq(p, x))),
      });
    }
    for (const l of up.listing ?? []) {
      if (l.flow !== f.table) continue;
      push(ctx, { t: fs + 900, type: 'operation_progress', update: u, flow: ref, dataPlane: true, maturity: 'EVOLVING', message: `Auto Loader started listing ${l.path}.`, details: { operation_progress: { type: 'AUTO_LOADER_LISTING', status: 'STARTED', auto_loader_details: { source_path: l.path } } } });
      push(ctx, {
        t: fs + 900 + l.seconds * SEC,
        type: 'operation_progress',
        update: u,
        flow: ref,
        dataPlane: true,
        maturity: 'EVOLVING',
        message: `Auto Loader listed ${l.files} files in ${l.path}.`,
        details: { operation_progress: { type: 'AUTO_LOADER_LISTING', status: 'COMPLETED', duration_ms: l.seconds * SEC, auto_loader_details: { source_path: l.path, num_files_listed: l.files } } },
      });
    }
    flowPush(fs + 2200, 'RUNNING');

    // retried failures
    for (const fl of f.failures ?? []) {
      const t = fs + (fe - fs) * fl.at;
      flowPush(t, 'FAILED', { level: 'ERROR', error: fl.error, message: fl.message ?? `${flowMessage(ctx, f.table, 'FAILED').replace(/\.$/, '')}. It will be retried.` });
      flowPush(t + 14 * SEC, 'STARTING');
      flowPush(t + 26 * SEC, 'RUNNING');
    }

    // per-minute metrics (streaming) or totals on the terminal row (batch)
    const minutes: number[] = [];
    for (let t = fs + 55 * SEC; t < fe - 5 * SEC; t += MIN) minutes.push(t);
    let execTotal = 0;
    let cpuTotal = 0;
    const rowsPer = f.rows / Math.max(1, minutes.length);
    const streaming = f.kind === 'st' && !f.terminalTotals;
    minutes.forEach((t, k) => {
      const m = (t - times.tRun) / MIN;
      const exec = f.slotShare * slotsAt(m) * MIN * utilAt(m) * r.range(0.85, 1.1);
      const cpu = exec * clamp(r.jitter(f.cpuRatio, 0.05), 0.02, 0.99);
      execTotal += exec;
      cpuTotal += cpu;
      if (!streaming) return;
      const metrics: Obj = {
        num_output_rows: Math.round(rowsPer * r.range(0.7, 1.3)),
        executor_time_ms: Math.round(exec),
        executor_cpu_time_ms: Math.round(cpu),
      };
      if (f.backlog) {
        const b = f.backlog(minutes.length > 1 ? k / (minutes.length - 1) : 1, r);
        if (b.bytes !== undefined) metrics.backlog_bytes = Math.round(b.bytes);
        if (b.records !== undefined) metrics.backlog_records = Math.round(b.records);
        if (b.files !== undefined) metrics.backlog_files = Math.round(b.files);
        if (b.seconds !== undefined) metrics.backlog_seconds = Math.round(b.seconds);
      }
      flowPush(t, 'RUNNING', { level: 'METRICS', metrics });
    });

    if (f.fatal) {
      flowPush(fe, 'FAILED', { level: 'ERROR', error: f.fatal.error, message: f.fatal.message });
      return;
    }
    const endStatus = f.endStatus ?? (up.state === 'CANCELED' && f.kind === 'st' && p.continuous ? 'STOPPED' : 'COMPLETED');
    if (endStatus === 'RUNNING' || endStatus === 'IDLE') {
      if (endStatus === 'IDLE') flowPush(fe, 'IDLE');
      return;
    }
    const terminal: Obj = streaming
      ? { num_output_bytes: Math.round(f.rows * (f.bytesPerRow ?? 180)) }
      : {
          num_output_rows: Math.round(f.rows),
          num_output_bytes: Math.round(f.rows * (f.bytesPerRow ?? 180)),
          executor_time_ms: Math.round(execTotal),
          executor_cpu_time_ms: Math.round(cpuTotal),
        };
    flowPush(endStatus === 'STOPPED' ? tRunEnd + 5 * SEC : fe, endStatus, {
      metrics: terminal,
      dq: f.dropped !== undefined ? { dropped_records: f.dropped, expectations: [{ name: 'valid_id', dataset: ref.fq, passed_records: Math.round(f.rows), failed_records: f.dropped }] } : undefined,
    });
  });

  for (const x of up.extra ?? []) emitExtra(ctx, x, u, flowRefs, times);

  if (unknown) {
    for (let t = times.tRun + 2 * MIN; t < tRunEnd; t += 9 * MIN) {
      push(ctx, { t, type: 'hook_progress', update: u, dataPlane: true, maturity: 'EVOLVING', message: "Event hook 'notify_slack' ran.", details: { hook_progress: { name: 'notify_slack', status: 'SUCCEEDED', event: { event_type: 'flow_progress' } } } });
    }
    const st = up.flows.find((f) => f.kind === 'st');
    if (st) {
      push(ctx, {
        t: times.tRun + ph.running * SEC * 0.5,
        type: 'sink_progress',
        update: u,
        flow: flowRefs.get(st.table)!,
        dataPlane: true,
        maturity: 'EVOLVING',
        message: 'Sink progress.',
        details: { sink_progress: { sink_name: 'kafka_out', num_output_rows: 12840, status: 'RUNNING' } },
      });
    }
    push(ctx, { t: times.tInit + 2 * SEC, type: 'maintenance_progress', dataPlane: true, update: u, maturity: 'EVOLVING', message: 'Maintenance skipped.', details: { maintenance_progress: { state: 'SKIPPED' } } });
  }

  // the end of the update
  let end: number | null = null;
  if (up.state === 'FAILED') {
    end = tRunEnd + 1500;
    prog(end, 'FAILED', { level: 'ERROR', error: up.updateError ?? failure?.fatal?.error ?? { fatal: true, exceptions: [] } });
  } else if (up.state === 'CANCELED') {
    push(ctx, { t: tRunEnd - 2 * SEC, type: 'user_action', message: 'User ana.silva@example.com stopped the update.', details: { user_action: { action: 'STOP', user_name: 'ana.silva@example.com' } } });
    prog(tRunEnd, 'STOPPING');
    end = tRunEnd + 18 * SEC;
    prog(end, 'CANCELED', { details: { cancellation_cause: 'USER_ACTION' } });
  } else if (up.state === 'COMPLETED') {
    end = tRunEnd + 1200;
    prog(end, 'COMPLETED');
  }
  emitNodes(ctx, u, times, ph, M, null);
  return { id, clusterId, end, state: up.state };
}

function maxWorkersOf(def: CaseDef): number | null {
  const c = def.pipeline.clusters?.find((x) => (x.label ?? 'default') !== 'maintenance');
  const a = c?.autoscale as Obj | undefined;
  return a ? Number(a.max_workers) : null;
}

function emitExtra(ctx: Ctx, x: ExtraEvent, u: UpdateRef, flows: Map<string, FlowRef>, times: ReturnType<typeof phaseTimes>): void {
  const base =
    x.atPhase === 'waiting' ? times.tWait : x.atPhase === 'initializing' ? times.tInit : x.atPhase === 'setup' ? times.tSetup : x.atPhase === 'end' ? times.tRunEnd : times.tRun + (x.atMin ?? 0) * MIN;
  push(ctx, {
    t: base + (x.offsetS ?? 0) * SEC,
    type: x.type,
    update: u,
    flow: x.flow ? flows.get(x.flow) ?? null : null,
    dataPlane: x.type !== 'update_progress',
    level: x.level,
    maturity: x.maturity,
    message: x.message,
    details: x.details ?? null,
    error: x.error ?? null,
  });
}

/** node_timeline: one row per minute per node, from the end of WAITING_FOR_RESOURCES to the end of the update */
function emitNodes(ctx: Ctx, u: UpdateRef, times: ReturnType<typeof phaseTimes>, ph: Phases, M: number, failIn: 'initializing' | 'setup' | null): void {
  const cm = ctx.def.update.cluster;
  if (!cm || !u.clusterId) return;
  const { r, def } = ctx;
  const start = Math.ceil(times.tInit / MIN) * MIN;
  const stop = failIn === 'initializing' ? times.tReset : failIn === 'setup' ? times.tRun : times.tRunEnd;
  const wType = nodeType(def, false);
  const dType = nodeType(def, true);
  const instances: string[] = [];
  const inst = (i: number) => {
    while (instances.length <= i) instances.push(def.pipeline.cloud === 'AZURE' ? `${r.hex(32)}` : `i-0${r.hex(16)}`);
    return instances[i]!;
  };
  const driverId = def.pipeline.cloud === 'AZURE' ? r.hex(32) : `i-0${r.hex(16)}`;
  const row = (t: number, instance: string, driver: boolean, v: NodeVals, type: string): Obj => {
    const cpu = clamp(v.cpu, 0.3, 99.5);
    const sys = cpu * r.range(0.08, 0.16);
    const net = Math.max(0, v.net ?? 0);
    return {
      workspace_id: String(ctx.orgId),
      cluster_id: u.clusterId,
      instance_id: instance,
      start_time: t,
      end_time: t + MIN,
      driver,
      cpu_user_percent: round(cpu - sys, 2),
      cpu_system_percent: round(sys, 2),
      cpu_wait_percent: round(clamp(v.wait ?? r.range(0.2, 2.5), 0, 99), 2),
      mem_used_percent: round(clamp(v.mem, 1, 99.9), 2),
      mem_swap_percent: round(clamp(v.swap ?? 0, 0, 100), 2),
      network_sent_bytes: Math.round(net * r.range(0.42, 0.5)),
      network_received_bytes: Math.round(net * r.range(0.5, 0.58)),
      node_type: type,
    };
  };
  for (let t = start; t + MIN <= stop + 30 * SEC; t += MIN) {
    const m = (t - times.tRun) / MIN;
    const phase: 'init' | 'setup' | 'run' = t < times.tSetup ? 'init' : t < times.tRun ? 'setup' : 'run';
    ctx.nodeRows.push(row(t, driverId, true, cm.driver(m, M, phase, r), dType));
    const n = Math.max(0, Math.round(cm.executors(phase === 'run' ? m : -1, M, r)));
    for (let i = 0; i < n; i++) ctx.nodeRows.push(row(t, inst(i), false, cm.worker(m, i, M, phase, r), wType));
  }
}

// ---------------------------------------------------------------------------------------------
// newer, still running update

function newerRunning(ctx: Ctx, t0: number): { id: string; clusterId: string | null } {
  const { r, def } = ctx;
  const id = r.uuid();
  const clusterId = def.pipeline.serverless ? null : clusterIdFor(r, t0);
  const u: UpdateRef = { id, clusterId };
  push(ctx, { t: t0, type: 'create_update', update: u, message: `Update ${id.slice(0, 6)} started by ${def.update.cause}.`, details: { create_update: { cause: def.update.cause, full_refresh: false, validate_only: false } } });
  const ph: Phases = { queued: 1, created: 1, waiting: 95, initializing: 40, setup: 20, running: 240 };
  const times = phaseTimes(t0, ph, r);
  const st = (t: number, s: string) => push(ctx, { t, type: 'update_progress', update: u, message: updateMessage(id, s, 0), details: { update_progress: { state: s } } });
  st(times.tQueued, 'QUEUED');
  st(times.tCreated, 'CREATED');
  st(times.tWait, 'WAITING_FOR_RESOURCES');
  st(times.tInit, 'INITIALIZING');
  st(times.tSetup, 'SETTING_UP_TABLES');
  st(times.tRun, 'RUNNING');
  const f = def.update.flows[0]!;
  const ref: FlowRef = { table: f.table, fq: fq(def.pipeline, f.table), id: flowIdFor(ctx, f.table) };
  push(ctx, { t: times.tRun + 500, type: 'flow_progress', update: u, flow: ref, dataPlane: true, message: flowMessage(ctx, f.table, 'STARTING'), details: { flow_progress: { status: 'STARTING' } } });
  push(ctx, { t: times.tRun + 3000, type: 'flow_progress', update: u, flow: ref, dataPlane: true, message: flowMessage(ctx, f.table, 'RUNNING'), details: { flow_progress: { status: 'RUNNING' } } });
  return { id, clusterId };
}

// ---------------------------------------------------------------------------------------------
// serialization with the case's shape variations

function formatTs(ms: number, vars: readonly Variation[], r: Rng): string {
  const iso = new Date(ms).toISOString(); // 2026-11-20T08:01:02.123Z
  if (vars.includes('ts-nanos')) return `${iso.slice(0, -1)}${String(r.int(0, 999999)).padStart(6, '0')}Z`;
  if (vars.includes('ts-offset')) return `${iso.slice(0, -1)}+00:00`;
  if (vars.includes('ts-space')) return iso.slice(0, -1).replace('T', ' ');
  return iso;
}

function numbersToStrings(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(numbersToStrings);
  if (v !== null && typeof v === 'object') {
    const o: Obj = {};
    for (const [k, x] of Object.entries(v as Obj)) o[k] = numbersToStrings(x);
    return o;
  }
  return v;
}

function serializeEvent(raw: Obj, vars: readonly Variation[], r: Rng): string {
  const row: Obj = { ...raw };
  row.timestamp = formatTs(raw.timestamp as number, vars, r);
  let details = row.details as Obj | null;
  if (details && vars.includes('num-strings')) {
    const fp = details.flow_progress as Obj | undefined;
    if (fp?.metrics) details = { ...details, flow_progress: { ...fp, metrics: numbersToStrings(fp.metrics) } };
    if (details.cluster_resources) details = { ...details, cluster_resources: numbersToStrings(details.cluster_resources) };
  }
  row.details = details;
  if (vars.includes('details-string') && details !== null) row.details = JSON.stringify(details);
  if (vars.includes('origin-string')) row.origin = JSON.stringify(row.origin);
  if (vars.includes('sequence-string')) row.sequence = JSON.stringify(row.sequence);
  if (vars.includes('error-string') && row.error !== null) row.error = JSON.stringify(row.error);
  if (row.details === null && vars.includes('rest-history') && raw.__rest) delete row.details;
  delete row.__rest;
  return JSON.stringify(row);
}

function serializeNode(raw: Obj, vars: readonly Variation[], r: Rng): string {
  const row: Obj = { ...raw };
  // node_timeline rows are minute-aligned: zero fractions, nine digits of them in a nanosecond export
  const frac = vars.includes('ts-nanos') ? '.000000000' : '.000';
  row.start_time = formatTs(raw.start_time as number, vars, r).replace(/\.\d+/, frac);
  row.end_time = formatTs(raw.end_time as number, vars, r).replace(/\.\d+/, frac);
  if (vars.includes('num-strings')) {
    for (const k of ['cpu_user_percent', 'cpu_system_percent', 'cpu_wait_percent', 'mem_used_percent', 'mem_swap_percent', 'network_sent_bytes', 'network_received_bytes']) row[k] = String(row[k]);
    row.driver = String(row.driver);
  }
  return JSON.stringify(row);
}

export interface BundleFiles {
  files: Record<string, string>;
  /** the diagnosed update, for the checker */
  updateId: string;
  stats: Obj;
}

export function buildCase(def: CaseDef, tDiag: number): BundleFiles {
  const r = new Rng(hashString(def.id));
  const ctx: Ctx = {
    def,
    r,
    pipelineId: r.uuid(),
    orgId: 1_000_000_000_000_000 + r.int(1, 8_000_000) * 1000 + r.int(0, 999),
    instance: `execution-${r.hex(10)}`,
    rows: [],
    seq: 0,
    nodeRows: [],
  };
  const hist = historyUpdates(ctx, tDiag);
  const histRowCount = ctx.rows.length;
  if (def.vars.includes('rest-history')) for (let i = 0; i < histRowCount; i++) ctx.rows[i]!.row.__rest = true;
  const diag = diagnosedUpdate(ctx, tDiag);
  let newer: { id: string; clusterId: string | null } | null = null;
  if (def.vars.includes('newer-running')) newer = newerRunning(ctx, (diag.end ?? tDiag + 3 * HOUR) + 25 * MIN);

  const p = def.pipeline;
  const spec: Obj = {
    id: ctx.pipelineId,
    name: p.name,
    catalog: p.catalog,
    schema: p.schema,
    configuration: p.configuration ?? {},
    libraries: p.libraries ?? [{ notebook: { path: `/Repos/data-eng/pipelines/${p.name}/main` } }],
    continuous: p.continuous ?? false,
    development: p.development ?? false,
    photon: p.photon ?? false,
    channel: p.channel ?? 'CURRENT',
    edition: p.edition ?? 'ADVANCED',
    ...(p.serverless ? { serverless: true } : { clusters: p.clusters ?? [] }),
    notifications: [{ email_recipients: ['data-eng@example.com'], alerts: ['on-update-failure', 'on-flow-failure'] }],
    ...(p.extraSpec ?? {}),
  };
  const updatesNewestFirst = [
    ...(newer ? [{ id: newer.id, state: 'RUNNING', start: (diag.end ?? tDiag) + 25 * MIN, fullRefresh: false, cause: def.update.cause, clusterId: newer.clusterId }] : []),
    { id: diag.id, state: diag.state, start: tDiag, fullRefresh: def.update.fullRefresh ?? false, cause: def.update.cause, clusterId: diag.clusterId },
    ...hist.slice().reverse(),
  ];
  const pipeline: Obj = {
    pipeline_id: ctx.pipelineId,
    spec,
    state: newer || def.update.state === 'RUNNING' ? 'RUNNING' : 'IDLE',
    cluster_id: (newer?.clusterId ?? diag.clusterId) || undefined,
    name: p.name,
    health: def.update.state === 'FAILED' ? 'UNHEALTHY' : 'HEALTHY',
    creator_user_name: 'ana.silva@example.com',
    run_as_user_name: 'etl-sp@example.com',
    last_modified: tDiag - 9 * 24 * HOUR,
    latest_updates: updatesNewestFirst.slice(0, 5).map((x) => ({ update_id: x.id, state: x.state, creation_time: new Date(x.start).toISOString() })),
  };
  const updates = {
    updates: updatesNewestFirst.map((x) => ({
      pipeline_id: ctx.pipelineId,
      update_id: x.id,
      cause: x.cause,
      state: x.state,
      ...(x.clusterId ? { cluster_id: x.clusterId } : {}),
      creation_time: x.start,
      full_refresh: x.fullRefresh,
      full_refresh_selection: [],
      refresh_selection: [],
      validate_only: false,
    })),
  };

  // events
  let rows = ctx.rows.slice().sort((a, b) => a.t - b.t);
  if (def.vars.includes('shuffle')) rows = r.shuffle(rows);
  const nl = def.vars.includes('crlf') ? '\r\n' : '\n';
  const bom = def.vars.includes('bom') ? '\uFEFF' : '';
  const events = bom + rows.map((x) => serializeEvent(x.row, def.vars, r)).join(nl) + nl;
  const files: Record<string, string> = {
    'pipeline.json': JSON.stringify(pipeline, null, 2) + '\n',
    'updates.json': JSON.stringify(updates, null, 2) + '\n',
    'events.jsonl': events,
  };
  if (ctx.nodeRows.length > 0) {
    let nodes = ctx.nodeRows.slice();
    if (def.vars.includes('shuffle')) nodes = r.shuffle(nodes);
    files['node_timeline.jsonl'] = bom + nodes.map((x) => serializeNode(x, def.vars, r)).join(nl) + nl;
  }
  return { files, updateId: diag.id, stats: statsOf(ctx, diag, hist) };
}

// ---------------------------------------------------------------------------------------------
// an independent description of what was generated (for the labeller, not the engine)

function statsOf(ctx: Ctx, diag: { id: string; end: number | null }, hist: { id: string; state: string; fullRefresh: boolean }[]): Obj {
  const mine = ctx.rows.filter((x) => (x.row.origin as Obj).update_id === diag.id);
  const progress = mine.filter((x) => x.row.event_type === 'update_progress').map((x) => ({ t: x.t, s: ((x.row.details as Obj).update_progress as Obj).state as string }));
  const running = progress.find((p) => p.s === 'RUNNING')?.t ?? null;
  const start = mine.find((x) => x.row.event_type === 'create_update')?.t ?? 0;
  const dur = diag.end !== null ? (diag.end - start) / 1000 : null;
  const histDur: number[] = [];
  for (const h of hist) {
    if (h.state !== 'COMPLETED' || h.fullRefresh) continue;
    const rs = ctx.rows.filter((x) => (x.row.origin as Obj).update_id === h.id);
    const s = rs.find((x) => x.row.event_type === 'create_update')!.t;
    const e = Math.max(...rs.map((x) => x.t));
    histDur.push((e - s) / 1000);
  }
  histDur.sort((a, b) => a - b);
  const median = histDur.length ? histDur[Math.floor(histDur.length / 2)]! : null;
  const w = ctx.nodeRows.filter((x) => !x.driver && running !== null && (x.start_time as number) >= running + 5 * MIN);
  const d = ctx.nodeRows.filter((x) => x.driver && running !== null && (x.start_time as number) >= running + 5 * MIN);
  const mean = (xs: number[]) => (xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length, 1) : null);
  const cpu = (x: Obj) => (x.cpu_user_percent as number) + (x.cpu_system_percent as number);
  return {
    duration_s: dur,
    baseline_median_s: median,
    ratio: dur !== null && median ? round(dur / median, 2) : null,
    phases: progress.map((p) => p.s).join('>'),
    flows: ctx.def.update.flows.length,
    worker_minutes: w.length,
    worker_cpu_mean: mean(w.map(cpu)),
    worker_cpu_ge80_share: w.length ? round(w.filter((x) => cpu(x) >= 80).length / w.length, 2) : null,
    worker_mem_mean: mean(w.map((x) => x.mem_used_percent as number)),
    worker_swap_max: w.length ? Math.max(...w.map((x) => x.mem_swap_percent as number)) : null,
    worker_wait_mean: mean(w.map((x) => x.cpu_wait_percent as number)),
    worker_net_gib_per_min: mean(w.map((x) => ((x.network_sent_bytes as number) + (x.network_received_bytes as number)) / GIB)),
    driver_mem_mean: mean(d.map((x) => x.mem_used_percent as number)),
    driver_cpu_mean: mean(d.map(cpu)),
    events: ctx.rows.length,
    node_rows: ctx.nodeRows.length,
  };
}
