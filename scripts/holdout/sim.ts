/**
 * Holdout simulator: a from-scratch model of what a Lakeflow Declarative Pipelines (DLT) update leaves
 * behind — the event log (`event_log(...)` rows), the pipelines REST API bodies and the minute rows of
 * system.compute.node_timeline. Deterministic: every random draw comes from a seeded Rng.
 *
 * Shapes follow the public Databricks docs (event-log schema: create_update, update_progress,
 * flow_definition, dataset_definition, flow_progress + FlowMetrics, planning_information,
 * cluster_resources + TaskSlotMetrics / AutoscaleInfo, autoscale, operation_progress; the compute
 * system tables; the pipelines REST API). Written without looking at the engine under test.
 */

export type Obj = Record<string, unknown>;

// ---------------------------------------------------------------- random
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** mulberry32 */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  u(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  int(a: number, b: number): number {
    return Math.floor(this.u(a, b + 1 - 1e-9));
  }
  normal(mu = 0, sd = 1): number {
    const u1 = Math.max(this.next(), 1e-12);
    const u2 = this.next();
    return mu + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  /** multiplicative noise around 1 */
  ln(sd: number): number {
    return Math.exp(this.normal(0, sd));
  }
  pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.next() * a.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(this.next() * 16).toString(16);
    return s;
  }
  digits(n: number): string {
    let s = String(1 + Math.floor(this.next() * 9));
    for (let i = 1; i < n; i++) s += Math.floor(this.next() * 10).toString();
    return s;
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(0, 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
}

export const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const r2 = (x: number) => Math.round(x * 100) / 100;

// ---------------------------------------------------------------- hardware
export const NODE_TYPES: Record<string, { cores: number; memGb: number }> = {
  'i3.xlarge': { cores: 4, memGb: 30.5 },
  'i3.2xlarge': { cores: 8, memGb: 61 },
  'i3.4xlarge': { cores: 16, memGb: 122 },
  'r5.2xlarge': { cores: 8, memGb: 64 },
  'r5d.4xlarge': { cores: 16, memGb: 128 },
  'm5d.2xlarge': { cores: 8, memGb: 32 },
  'm5d.xlarge': { cores: 4, memGb: 16 },
  'c5.4xlarge': { cores: 16, memGb: 32 },
  Standard_D8ds_v5: { cores: 8, memGb: 32 },
  Standard_D16ds_v5: { cores: 16, memGb: 64 },
  Standard_E8ds_v5: { cores: 8, memGb: 64 },
  Standard_E4ds_v5: { cores: 4, memGb: 32 },
  'n2-standard-8': { cores: 8, memGb: 32 },
  'n2-standard-16': { cores: 16, memGb: 64 },
  'n2-highmem-8': { cores: 8, memGb: 64 },
  'n2-highmem-4': { cores: 4, memGb: 32 },
};

export type Cloud = 'AWS' | 'Azure' | 'GCP';

export interface ClusterCfg {
  node: string;
  driverNode?: string;
  fixed?: number;
  autoscale?: { min: number; max: number; mode?: 'ENHANCED' | 'LEGACY' };
  sparkConf?: Record<string, string>;
  initScripts?: Obj[];
  attrs?: Obj;
  policyId?: string;
  customTags?: Record<string, string>;
}

// ---------------------------------------------------------------- flows
export type FlowType = 'APPEND' | 'MATERIALIZED_VIEW' | 'CHANGE' | 'COMPLETE';
export type Source = 'kafka' | 'autoloader' | 'delta' | null;

export interface FlowDef {
  name: string; // fully qualified
  type: FlowType;
  inputs: string[]; // fully qualified datasets (in the pipeline or external)
  language: 'SQL' | 'PYTHON';
  explain: string;
  source: Source;
  dur: number; // baseline seconds
  rows: number; // baseline output rows
  bytesPerRow: number;
  ratio: number; // executor cpu time / executor time
  slots: number; // share of the cluster's task slots it keeps busy
  expectations?: string[];
}

export interface HeavySpec {
  t: string; // short table name
  type: FlowType;
  inputs?: string[]; // short names (in pipeline) or fully qualified external names
  dur: number;
  rows?: number;
  language?: 'SQL' | 'PYTHON';
  source?: Source;
  ratio?: number;
  slots?: number;
  explain?: string;
  expectations?: string[];
}

const TAIL_PREFIX = ['dim', 'ref', 'stg', 'lkp', 'agg', 'map', 'cfg', 'hist', 'snap', 'xref'];
const TAIL_NOUN = [
  'country', 'currency', 'calendar', 'store', 'region', 'channel', 'product_family', 'tax_code', 'vendor', 'employee',
  'warehouse', 'promo', 'device_model', 'carrier', 'segment', 'status_code', 'fx_pair', 'sku_alias', 'holiday', 'cost_center',
  'branch', 'partner', 'plan_tier', 'language', 'timezone', 'uom', 'zone', 'route', 'brand', 'campaign_type', 'return_reason',
  'payment_method', 'ledger', 'account_type', 'weather_station', 'sensor_type', 'contract', 'shift', 'site', 'queue', 'topic',
];

export function explainFor(f: { type: FlowType; inputs: string[]; language: string; source: Source }, photon: boolean, extra?: string): string {
  const src = f.inputs[0] ?? 'unknown';
  const scan = f.source === 'kafka'
    ? `MicroBatchScan[key#1, value#2, topic#3, partition#4, offset#5L, timestamp#6] class org.apache.spark.sql.kafka010.KafkaSourceProvider$KafkaScan`
    : f.source === 'autoloader'
      ? `StreamingRelation cloudFiles, [value#12, _rescued_data#13]`
      : photon
        ? `PhotonScan parquet ${src}[id#101L,payload#102,updated_at#103] DataFilters: [], DictionaryFilters: [], Format: delta`
        : `FileScan parquet ${src}[id#101L,payload#102,updated_at#103] Batched: true, DataFilters: [isnotnull(id#101L)], Format: Parquet`;
  const agg = f.type === 'MATERIALIZED_VIEW'
    ? photon
      ? `+- PhotonGroupingAgg(keys=[key#201], functions=[finalmerge_sum(merge sum#230)])\n   +- PhotonShuffleExchangeSource\n      +- PhotonShuffleMapStage ENSURE_REQUIREMENTS, [id=#512]\n         +- PhotonShuffleExchangeSink hashpartitioning(key#201, 200)\n            +- PhotonGroupingAgg(keys=[key#201], functions=[partial_sum(amount#202)])\n`
      : `+- HashAggregate(keys=[key#201], functions=[sum(amount#202)])\n   +- Exchange hashpartitioning(key#201, 200), ENSURE_REQUIREMENTS, [plan_id=512]\n      +- HashAggregate(keys=[key#201], functions=[partial_sum(amount#202)])\n`
    : f.type === 'CHANGE'
      ? `+- ApplyChanges keys=[id#101L], sequence_by=updated_at#103, stored_as_scd_type=1\n`
      : '';
  const head = photon && f.source !== 'kafka' && f.source !== 'autoloader' ? '== Physical Plan ==\nAdaptiveSparkPlan isFinalPlan=false\n+- PhotonResultStage\n' : '== Physical Plan ==\n';
  return `${head}${extra ?? ''}${agg}      +- ${scan}`;
}

export function buildGraph(
  rng: Rng,
  o: { catalog: string; schema: string; total: number; heavy: HeavySpec[]; external: string[]; photon: boolean; pythonShare?: number },
): FlowDef[] {
  const q = (t: string) => (t.includes('.') ? t : `${o.catalog}.${o.schema}.${t}`);
  const out: FlowDef[] = [];
  for (const h of o.heavy) {
    const inputs = (h.inputs ?? [rng.pick(o.external)]).map(q);
    const language = h.language ?? 'SQL';
    const source = h.source ?? null;
    out.push({
      name: q(h.t),
      type: h.type,
      inputs,
      language,
      source,
      explain: h.explain ?? explainFor({ type: h.type, inputs, language, source }, o.photon),
      dur: h.dur,
      rows: h.rows ?? Math.round(rng.u(2e6, 4e7)),
      bytesPerRow: rng.u(90, 420),
      ratio: h.ratio ?? rng.u(0.55, 0.72),
      slots: h.slots ?? rng.u(0.7, 0.95),
      expectations: h.expectations,
    });
  }
  const used = new Set(out.map((f) => f.name));
  let guard = 0;
  while (out.length < o.total && guard++ < 10000) {
    const t = `${rng.pick(TAIL_PREFIX)}_${rng.pick(TAIL_NOUN)}`;
    const name = q(t);
    if (used.has(name)) continue;
    used.add(name);
    // a long tail: most flows are small lookups, a few medium ones
    const p = rng.next();
    const dur = p < 0.68 ? rng.u(4, 35) : p < 0.93 ? rng.u(35, 150) : rng.u(150, 330);
    const type: FlowType = rng.chance(0.62) ? 'MATERIALIZED_VIEW' : rng.chance(0.7) ? 'APPEND' : 'CHANGE';
    const inputs: string[] = [];
    const n = rng.chance(0.25) ? 2 : 1;
    for (let i = 0; i < n; i++) {
      if (rng.chance(0.55) || out.length === 0) inputs.push(q(rng.pick(o.external)));
      else inputs.push(rng.pick(out).name);
    }
    const language = rng.chance(o.pythonShare ?? 0.3) ? 'PYTHON' : 'SQL';
    const source: Source = type === 'APPEND' && inputs.every((i) => !used.has(i) || !out.some((f) => f.name === i)) ? (rng.chance(0.5) ? 'autoloader' : null) : null;
    out.push({
      name,
      type,
      inputs: [...new Set(inputs)],
      language,
      source,
      explain: explainFor({ type, inputs, language, source }, o.photon),
      dur,
      rows: Math.round(rng.u(200, 2.5e5) * (dur / 30)),
      bytesPerRow: rng.u(60, 300),
      ratio: rng.u(0.3, 0.7),
      slots: rng.u(0.05, 0.35),
      expectations: rng.chance(0.2) ? [`valid_${t.split('_').slice(1).join('_')}_id`] : undefined,
    });
  }
  return out;
}

// ---------------------------------------------------------------- profiles
export interface Sample {
  user: number;
  sys: number;
  wait: number;
  mem: number;
  swap: number;
  net: number; // bytes per minute (sent; received ~ similar)
}
export type TF = (t: number, T: number) => number;
export type WF = (t: number, T: number, w: number, n: number) => number;
export interface Prof {
  /** executors the cluster reports at t (seconds since RUNNING; negative before) */
  execs: TF;
  /** worker VMs up at t (defaults to execs) */
  instances?: TF;
  worker: (t: number, T: number, w: number, n: number) => Sample;
  driver: (t: number, T: number) => Sample;
  util: TF;
  queue: TF;
  optimal?: TF;
  /** worker/driver load before RUNNING (init scripts, library installs) */
  pre?: { worker: Partial<Sample>; driver: Partial<Sample> };
}

export type Num = number | WF;
const val = (x: Num | undefined, d: number, t: number, T: number, w: number, n: number) =>
  x === undefined ? d : typeof x === 'number' ? x : x(t, T, w, n);

export function mkProf(o: {
  execs: TF;
  instances?: TF;
  cpu: Num;
  sys?: Num;
  wait?: Num;
  mem?: Num;
  swap?: Num;
  net?: Num;
  dcpu?: Num;
  dmem?: Num;
  dswap?: Num;
  dnet?: Num;
  util: TF | number;
  queue: TF | number;
  optimal?: TF;
  pre?: { worker: Partial<Sample>; driver: Partial<Sample> };
}): Prof {
  return {
    execs: o.execs,
    instances: o.instances,
    worker: (t, T, w, n) => {
      const user = val(o.cpu, 50, t, T, w, n);
      return {
        user,
        sys: val(o.sys, Math.max(1.5, user * 0.11), t, T, w, n),
        wait: val(o.wait, 1.2, t, T, w, n),
        mem: val(o.mem, 58, t, T, w, n),
        swap: val(o.swap, 0, t, T, w, n),
        net: val(o.net, 1.2e9, t, T, w, n),
      };
    },
    driver: (t, T) => {
      const user = val(o.dcpu, 14, t, T, 0, 0);
      return { user, sys: Math.max(1, user * 0.15), wait: 0.6, mem: val(o.dmem, 46, t, T, 0, 0), swap: val(o.dswap, 0, t, T, 0, 0), net: val(o.dnet, 1.5e8, t, T, 0, 0) };
    },
    util: typeof o.util === 'number' ? (() => o.util as number) : o.util,
    queue: typeof o.queue === 'number' ? (() => o.queue as number) : o.queue,
    optimal: o.optimal,
    pre: o.pre,
  };
}

/** piecewise-constant: [[t0, v0], [t1, v1], ...] (t in seconds since RUNNING) */
export function steps(points: Array<[number, number]>): TF {
  return (t) => {
    let v = points[0]![1];
    for (const [at, x] of points) if (t >= at) v = x;
    return v;
  };
}

// ---------------------------------------------------------------- events
export interface Ev {
  ts: number;
  type: string;
  level: string;
  maturity: string | null;
  message: string;
  origin: Obj;
  details: Obj | null;
  error: Obj | null;
  plane: 'cp' | 'dp';
}

export interface Ctx {
  rng: Rng;
  cloud: Cloud;
  region: string;
  orgId: number;
  accountId: string;
  pipelineId: string;
  pipelineName: string;
  serverless: boolean;
  photon: boolean;
  cluster: ClusterCfg | null;
  flowIds: Map<string, string>;
  runAs: string;
  dbr: string;
}

export interface UpdatePlan {
  id: string;
  cause: string;
  t0: number;
  fullRefresh: boolean;
  user?: string;
  q: number;
  waiting: number;
  init: number;
  setup: number;
  flows: FlowDef[];
  dur: (f: FlowDef) => number;
  rowsScale?: (f: FlowDef) => number;
  ratio?: (f: FlowDef) => number;
  outcome: 'COMPLETED' | 'FAILED' | 'CANCELED';
  setupFailure?: { dataset: string; cls: string; msg: string; chain?: Array<{ cls: string; msg: string }> };
  flowFailure?: { flow: string; at: number; cls: string; msg: string; attempts: number };
  transient?: Array<{ flow: string; at: number; cls: string; msg: string }>;
  cancelAt?: number;
  cancelBy?: string;
  cancelCause?: 'USER_ACTION' | 'WORKFLOW_CANCELLATION';
  prof: Prof | null;
  crEvery: [number, number];
  nodeTimeline: boolean;
  planning?: (f: FlowDef) => Obj | null;
  ops?: Array<{ flow: string; type: string; durS: number }>;
  backlog?: (f: FlowDef, frac: number) => Obj | null;
  clusterId: string | null;
  /** emit a RUNNING progress event with metrics every so many seconds for streaming flows */
  progressEvery?: number;
}

export interface SimResult {
  events: Ev[];
  nodes: Obj[];
  endMs: number | null;
  runStartMs: number;
  runS: number;
  totalS: number;
}

function shortId(id: string) {
  return id.slice(0, 6);
}

export function datasetType(f: FlowDef) {
  return f.type === 'MATERIALIZED_VIEW' ? 'MATERIALIZED_VIEW' : 'STREAMING_TABLE';
}

function baseOrigin(ctx: Ctx, updateId: string | null, clusterId: string | null): Obj {
  const o: Obj = {
    cloud: ctx.cloud,
    region: ctx.region,
    org_id: ctx.orgId,
    pipeline_id: ctx.pipelineId,
    pipeline_type: 'WORKSPACE',
    pipeline_name: ctx.pipelineName,
  };
  if (updateId) o.update_id = updateId;
  if (clusterId) o.cluster_id = clusterId;
  return o;
}

function flowOrigin(ctx: Ctx, up: string, cl: string | null, f: FlowDef, batch?: number): Obj {
  const o = baseOrigin(ctx, up, cl);
  o.flow_id = ctx.flowIds.get(f.name);
  o.flow_name = f.name;
  o.dataset_name = f.name;
  if (batch !== undefined) o.batch_id = batch;
  return o;
}

export function instanceId(rng: Rng, cloud: Cloud) {
  if (cloud === 'AWS') return `i-0${rng.hex(16)}`;
  if (cloud === 'Azure') return rng.hex(32);
  return rng.digits(19);
}

export function clusterIdAt(rng: Rng, ms: number) {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${rng.hex(8)}`;
}

/** seconds → when each flow (last attempt) starts and ends, relative to RUNNING; topological */
function scheduleFlows(rng: Rng, flows: FlowDef[], dur: (f: FlowDef) => number, transient: UpdatePlan['transient']) {
  const names = new Set(flows.map((f) => f.name));
  const sched = new Map<string, { attempts: Array<{ s: number; e: number; failed: boolean; fail?: { cls: string; msg: string } }>; start: number; end: number }>();
  for (const f of flows) {
    let ready = 0;
    for (const i of f.inputs) if (names.has(i)) ready = Math.max(ready, sched.get(i)?.end ?? 0);
    let s = ready + (ready === 0 ? rng.u(1.5, 22) : rng.u(0.8, 6));
    const attempts: Array<{ s: number; e: number; failed: boolean; fail?: { cls: string; msg: string } }> = [];
    for (const tr of (transient ?? []).filter((x) => x.flow === f.name)) {
      attempts.push({ s, e: s + tr.at, failed: true, fail: { cls: tr.cls, msg: tr.msg } });
      s = s + tr.at + rng.u(25, 70);
    }
    const d = dur(f);
    attempts.push({ s, e: s + d, failed: false });
    sched.set(f.name, { attempts, start: attempts[0]!.s, end: s + d });
  }
  return sched;
}

/** avg over [a,b] (seconds since RUNNING) of g, sampled */
function avgOver(g: TF, a: number, b: number, T: number) {
  const n = Math.max(2, Math.min(60, Math.ceil((b - a) / 30)));
  let s = 0;
  for (let i = 0; i < n; i++) s += g(a + ((b - a) * (i + 0.5)) / n, T);
  return s / n;
}

function coresOf(ctx: Ctx) {
  return ctx.cluster ? NODE_TYPES[ctx.cluster.node]!.cores : 0;
}

export function simulateUpdate(ctx: Ctx, p: UpdatePlan): SimResult {
  const rng = ctx.rng;
  const ev: Ev[] = [];
  const up = p.id;
  const cl = p.clusterId;
  const push = (ts: number, type: string, message: string, details: Obj | null, o: { level?: string; maturity?: string | null; origin?: Obj; error?: Obj | null; plane?: 'cp' | 'dp' } = {}) => {
    ev.push({
      ts: Math.round(ts),
      type,
      level: o.level ?? 'INFO',
      maturity: o.maturity === undefined ? 'STABLE' : o.maturity,
      message,
      origin: o.origin ?? baseOrigin(ctx, up, o.plane === 'cp' ? null : cl),
      details,
      error: o.error ?? null,
      plane: o.plane ?? 'dp',
    });
  };
  const sid = shortId(up);
  const state = (ts: number, s: string, extra: Obj = {}, o: { level?: string; error?: Obj | null } = {}) =>
    push(ts, 'update_progress', `Update ${sid} is ${s}.`, { update_progress: { state: s, ...extra } }, { plane: 'cp', origin: baseOrigin(ctx, up, null), ...o });

  const t0 = p.t0;
  if (p.cause === 'USER_ACTION' && p.user) {
    push(t0 - rng.u(300, 1500), 'user_action', `User ${p.user} started an update.`, { user_action: { action: 'START', user_name: p.user, user_id: Number(rng.digits(15)) } }, { plane: 'cp', origin: baseOrigin(ctx, null, null) });
  }
  push(t0, 'create_update', `Update ${sid} started by ${p.cause}.`, {
    create_update: { cause: p.cause, full_refresh: p.fullRefresh, full_refresh_selection: [], refresh_selection: [], validate_only: false, run_as: ctx.runAs },
  }, { plane: 'cp', origin: baseOrigin(ctx, up, null) });
  state(t0 + rng.u(200, 600), 'QUEUED');
  const tCreated = t0 + p.q * 1000;
  state(tCreated, 'CREATED');
  const tWait = tCreated + rng.u(400, 1400);
  state(tWait, 'WAITING_FOR_RESOURCES');
  const tInit = tWait + p.waiting * 1000;
  state(tInit, 'INITIALIZING');
  push(tInit + rng.u(2500, 6000), 'runtime_details', 'Pipeline runtime details.', {
    runtime_details: { runtime_version: { dbr_version: ctx.dbr }, image_key: `dlt:${ctx.dbr}.${rng.int(2, 9)}-delta-pipelines-dlt-release-dp-20260${rng.int(1, 3)}.${rng.int(10, 40)}-rc0-commit-${rng.hex(7)}-image-${rng.hex(6)}` },
  });
  const tSetup = tInit + p.init * 1000;
  // definitions are logged while the graph is resolved, towards the end of INITIALIZING
  for (const f of p.flows) {
    const at = tSetup - rng.u(1500, Math.max(2000, Math.min(p.init * 1000 * 0.5, 40000)));
    push(at, 'dataset_definition', `Dataset '${f.name}' defined as ${datasetType(f)}.`, {
      dataset_definition: { dataset_type: datasetType(f), num_flows: 1, expectations: (f.expectations ?? []).map((name) => ({ name, dataset: f.name, action: 'DROP' })) },
    }, { origin: flowOrigin(ctx, up, cl, f) });
    push(at + rng.u(20, 90), 'flow_definition', `Flow '${f.name}' is defined as ${f.type}.`, {
      flow_definition: { output_dataset: f.name, input_datasets: f.inputs, flow_type: f.type, explain_text: f.explain, language: f.language, spark_conf: [], once: false },
    }, { origin: flowOrigin(ctx, up, cl, f) });
  }
  state(tSetup, 'SETTING_UP_TABLES');
  const tRun0 = tSetup + p.setup * 1000;

  const result: SimResult = { events: ev, nodes: [], endMs: null, runStartMs: tRun0, runS: 0, totalS: 0 };

  // ---- setup failure: never reaches RUNNING
  if (p.setupFailure) {
    const sf = p.setupFailure;
    const f = p.flows.find((x) => x.name === sf.dataset) ?? p.flows[0]!;
    const exceptions = [{ class_name: sf.cls, message: sf.msg }, ...(sf.chain ?? []).map((c) => ({ class_name: c.cls, message: c.msg }))];
    push(tRun0 - 1200, 'flow_progress', `Flow '${f.name}' has FAILED.`, { flow_progress: { status: 'FAILED' } }, { level: 'ERROR', origin: flowOrigin(ctx, up, cl, f), error: { fatal: false, exceptions } });
    const tEnd = tRun0 + rng.u(800, 2500);
    state(tEnd, 'FAILED', {}, { level: 'ERROR', error: { fatal: true, exceptions } });
    result.endMs = tEnd;
    result.totalS = (tEnd - t0) / 1000;
    if (p.prof && ctx.cluster) {
      pushClusterEvents(ctx, p, push, tInit, tRun0, tEnd, 0, []);
      if (p.nodeTimeline) result.nodes = nodeRows(ctx, p, tInit - 25000, tEnd + rng.u(50, 110) * 1000, tRun0, 1);
    }
    return result;
  }
  state(tRun0, 'RUNNING');

  // ---- flows
  const sched = scheduleFlows(rng, p.flows, p.dur, p.transient);
  let stopAt = Infinity; // seconds since RUNNING when remaining work stops
  if (p.flowFailure) {
    const ff = p.flowFailure;
    const s = sched.get(ff.flow)!;
    // every attempt fails after ff.at seconds
    const att: typeof s.attempts = [];
    let st = s.start;
    for (let i = 0; i < ff.attempts; i++) {
      att.push({ s: st, e: st + ff.at * rng.u(0.9, 1.1), failed: true, fail: { cls: ff.cls, msg: ff.msg } });
      st = att[att.length - 1]!.e + rng.u(30, 75);
    }
    s.attempts = att;
    s.end = att[att.length - 1]!.e;
    stopAt = s.end;
  }
  if (p.cancelAt !== undefined) stopAt = Math.min(stopAt, p.cancelAt);
  let lastEnd = 0;
  for (const s of sched.values()) lastEnd = Math.max(lastEnd, Math.min(s.end, stopAt));
  const runS = Number.isFinite(stopAt) ? stopAt + rng.u(4, 15) : lastEnd + rng.u(3, 12);
  result.runS = runS;
  const T = runS;
  const tEndRun = tRun0 + runS * 1000;

  for (const f of p.flows) push(tRun0 + rng.u(300, 2500), 'flow_progress', `Flow '${f.name}' is QUEUED.`, { flow_progress: { status: 'QUEUED' } }, { origin: flowOrigin(ctx, up, cl, f) });

  const cores = coresOf(ctx);
  const slotsAt: TF = (t, TT) => (p.prof ? Math.max(1, Math.round(p.prof.execs(t, TT))) * cores : 64);
  let batch = 0;
  for (const f of p.flows) {
    const s = sched.get(f.name)!;
    const o = () => flowOrigin(ctx, up, cl, f);
    if (s.start >= stopAt) {
      if (p.flowFailure) push(tRun0 + stopAt * 1000 + rng.u(500, 3000), 'flow_progress', `Flow '${f.name}' is SKIPPED.`, { flow_progress: { status: 'SKIPPED' } }, { origin: o() });
      continue;
    }
    for (const a of s.attempts) {
      if (a.s >= stopAt && !a.failed) break;
      const ts = tRun0 + a.s * 1000;
      push(ts - rng.u(200, 900), 'flow_progress', `Flow '${f.name}' is STARTING.`, { flow_progress: { status: 'STARTING' } }, { origin: o() });
      push(ts, 'flow_progress', `Flow '${f.name}' is RUNNING.`, { flow_progress: { status: 'RUNNING' } }, { origin: o() });
      const plan = p.planning?.(f);
      if (plan && a === s.attempts[0]) {
        const tech = ((plan.technique_information as Obj[] | undefined) ?? []).find((x) => x.is_chosen)?.maintenance_type as string | undefined;
        push(ts + rng.u(800, 4000), 'planning_information', `Flow '${f.name}' has been planned in Lakeflow Declarative Pipelines to be executed as ${(tech ?? 'MAINTENANCE_TYPE_COMPLETE_RECOMPUTE').replace('MAINTENANCE_TYPE_', '')}.`, { planning_information: plan }, { maturity: 'EVOLVING', origin: o() });
      }
      for (const op of (p.ops ?? []).filter((x) => x.flow === f.name)) {
        if (a !== s.attempts[s.attempts.length - 1]) continue;
        push(ts + 900, 'operation_progress', `Auto Loader directory listing for '${f.name}' started.`, { operation_progress: { type: op.type, status: 'STARTED' } }, { maturity: 'EVOLVING', origin: o() });
        push(ts + 900 + op.durS * 1000, 'operation_progress', `Auto Loader directory listing for '${f.name}' completed.`, { operation_progress: { type: op.type, status: 'COMPLETED', duration_ms: Math.round(op.durS * 1000) } }, { maturity: 'EVOLVING', origin: o() });
      }
      const end = Math.min(a.e, stopAt);
      // streaming micro-batch progress
      if (f.source && p.progressEvery && end - a.s > p.progressEvery * 1.5) {
        for (let x = a.s + p.progressEvery * rng.u(0.7, 1.1); x < end - 10; x += p.progressEvery * rng.u(0.8, 1.2)) {
          const frac = (x - a.s) / Math.max(1, a.e - a.s);
          const bl = p.backlog?.(f, frac) ?? null;
          const ex = (p.progressEvery * 1000 * avgOver(slotsAt, x - p.progressEvery, x, T) * f.slots * 0.8);
          const r = (p.ratio?.(f) ?? f.ratio) * rng.ln(0.03);
          push(tRun0 + x * 1000, 'flow_progress', `Flow '${f.name}' is RUNNING.`, {
            flow_progress: {
              status: 'RUNNING',
              metrics: { num_output_rows: Math.round((f.rows * (p.rowsScale?.(f) ?? 1) * p.progressEvery) / Math.max(60, a.e - a.s)), ...(bl ?? {}), executor_time_ms: Math.round(ex), executor_cpu_time_ms: Math.round(ex * clamp(r, 0.02, 0.97)) },
            },
          }, { level: 'METRICS', origin: flowOrigin(ctx, up, cl, f, batch++) });
        }
      }
      if (a.failed && a.e <= stopAt + 1e-6) {
        push(tRun0 + a.e * 1000, 'flow_progress', `Flow '${f.name}' has FAILED.`, { flow_progress: { status: 'FAILED' } }, {
          level: 'ERROR',
          origin: o(),
          error: { fatal: false, exceptions: [{ class_name: a.fail!.cls, message: a.fail!.msg }] },
        });
        continue;
      }
      if (a.e > stopAt) {
        push(tRun0 + stopAt * 1000 + rng.u(1500, 9000), 'flow_progress', `Flow '${f.name}' has STOPPED.`, { flow_progress: { status: 'STOPPED' } }, { origin: o() });
        break;
      }
      // completed
      const d = a.e - a.s;
      const exMs = d * 1000 * avgOver(slotsAt, a.s, a.e, T) * f.slots * (p.prof ? clamp(avgOver(p.prof.util, a.s, a.e, T) * 1.05, 0.05, 1) : 0.75);
      const ratio = clamp((p.ratio?.(f) ?? f.ratio) * rng.ln(0.04), 0.02, 0.98);
      const rows = Math.round(f.rows * (p.rowsScale?.(f) ?? 1) * rng.ln(0.06));
      const metrics: Obj =
        f.type === 'CHANGE'
          ? { num_upserted_rows: rows, num_deleted_rows: Math.round(rows * rng.u(0, 0.02)), num_output_bytes: Math.round(rows * f.bytesPerRow) }
          : { num_output_rows: rows, num_output_bytes: Math.round(rows * f.bytesPerRow) };
      metrics.executor_time_ms = Math.round(exMs);
      metrics.executor_cpu_time_ms = Math.round(exMs * ratio);
      if (f.source) {
        const bl = p.backlog?.(f, 1) ?? null;
        if (bl) Object.assign(metrics, bl);
      }
      const det: Obj = { status: 'COMPLETED', metrics };
      if (f.expectations?.length) {
        const dropped = Math.round(rows * rng.u(0, 0.004));
        det.data_quality = { dropped_records: dropped, expectations: f.expectations.map((name) => ({ name, dataset: f.name, passed_records: rows, failed_records: dropped })) };
      }
      push(tRun0 + a.e * 1000, 'flow_progress', `Flow '${f.name}' has COMPLETED.`, { flow_progress: det }, { origin: o() });
    }
  }

  let tEnd: number;
  if (p.outcome === 'COMPLETED') {
    tEnd = tEndRun;
    state(tEnd, 'COMPLETED');
  } else if (p.outcome === 'FAILED') {
    const ff = p.flowFailure!;
    tEnd = tEndRun + rng.u(1000, 4000);
    state(tEnd, 'FAILED', {}, { level: 'ERROR', error: { fatal: true, exceptions: [{ class_name: ff.cls, message: ff.msg }] } });
  } else {
    const tc = tRun0 + p.cancelAt! * 1000;
    if (p.cancelCause !== 'WORKFLOW_CANCELLATION')
      push(tc - rng.u(300, 900), 'user_action', `User ${p.cancelBy ?? ctx.runAs} stopped the update.`, { user_action: { action: 'STOP', user_name: p.cancelBy ?? ctx.runAs, user_id: Number(rng.digits(15)) } }, { plane: 'cp', origin: baseOrigin(ctx, up, null) });
    state(tc + rng.u(500, 1500), 'STOPPING');
    tEnd = tEndRun + rng.u(8000, 30000);
    state(tEnd, 'CANCELED', { cancellation_cause: p.cancelCause ?? 'USER_ACTION' });
  }
  result.endMs = tEnd;
  result.totalS = (tEnd - t0) / 1000;

  if (p.prof && ctx.cluster) {
    pushClusterEvents(ctx, p, push, tInit, tRun0, tEnd, T, []);
    if (p.nodeTimeline) result.nodes = nodeRows(ctx, p, tInit - rng.u(15, 40) * 1000, tEnd + rng.u(50, 130) * 1000, tRun0, T);
  }
  return result;
}

type Push = (ts: number, type: string, message: string, details: Obj | null, o?: { level?: string; maturity?: string | null; origin?: Obj; error?: Obj | null; plane?: 'cp' | 'dp' }) => void;

/** cluster_resources every ~minute, autoscale events on resizes (enhanced autoscaling only) */
export function pushClusterEvents(ctx: Ctx, p: { prof: Prof | null; crEvery: [number, number] }, push: Push, tInit: number, tRun0: number, tEnd: number, T: number, _x: unknown[]) {
  const rng = ctx.rng;
  const c = ctx.cluster!;
  const prof = p.prof!;
  const cores = NODE_TYPES[c.node]!.cores;
  const enhanced = c.autoscale?.mode === 'ENHANCED';
  const rel = (ms: number) => (ms - tRun0) / 1000;
  let prevN = Math.round(prof.execs(rel(tInit), T));
  // resize events
  if (enhanced) {
    for (let ms = tInit; ms < tEnd; ms += 15000) {
      const n = Math.round(prof.execs(rel(ms), T));
      if (n !== prevN) {
        const opt = Math.round(prof.optimal?.(rel(ms), T) ?? n);
        const dir = n > prevN ? 'up' : 'down';
        push(ms - rng.u(35, 80) * 1000, 'autoscale', `Scaling ${dir} cluster from ${prevN} to ${n} executors.`, { autoscale: { status: 'RESIZING', optimal_num_executors: opt, requested_num_executors: n } }, { maturity: 'EVOLVING' });
        push(ms + rng.u(0, 5000), 'autoscale', `Cluster resized to ${n} executors.`, { autoscale: { status: 'SUCCEEDED', optimal_num_executors: opt, requested_num_executors: n } }, { maturity: 'EVOLVING' });
        prevN = n;
      }
    }
    // autoscaler wants more than it may have
    if (prof.optimal && c.autoscale) {
      let lastOpt = -1;
      for (let ms = tRun0; ms < tEnd; ms += 60000) {
        const opt = Math.round(prof.optimal(rel(ms), T));
        if (opt > c.autoscale.max && Math.abs(opt - lastOpt) >= 2) {
          push(ms + rng.u(0, 20000), 'autoscale', `Autoscaling: optimal number of executors is ${opt}, capped at max_workers (${c.autoscale.max}).`, { autoscale: { status: 'RESIZING', optimal_num_executors: opt, requested_num_executors: c.autoscale.max } }, { maturity: 'EVOLVING' });
          lastOpt = opt;
        }
      }
    }
  }
  // cluster_resources
  for (let ms = tInit + rng.u(20, 60) * 1000; ms < tEnd; ms += rng.u(p.crEvery[0], p.crEvery[1]) * 1000) {
    const t = rel(ms);
    const n = Math.max(0, Math.round(prof.execs(t, T)));
    const nPrev = Math.max(0, Math.round(prof.execs(t - 45, T)));
    const slots = n * cores;
    const avgSlots = Math.round(((n + nPrev) / 2) * cores);
    const running = t >= 0 && ms < tEnd - 5000;
    const util = running ? clamp(prof.util(t, T) + rng.normal(0, 0.025), 0, 1) : rng.u(0, 0.04);
    const queue = running ? Math.max(0, Math.round(prof.queue(t, T) * rng.ln(0.15))) : 0;
    const tsm: Obj = { summary_duration_ms: 60000, num_task_slots: slots, avg_num_task_slots: avgSlots, avg_task_slot_utilization: Math.round(util * 1000) / 1000, num_executors: n, avg_num_queued_tasks: queue };
    let asi: Obj | null = null;
    if (enhanced && c.autoscale) {
      const opt = Math.round(prof.optimal?.(t, T) ?? n);
      const req = clamp(opt, c.autoscale.min, c.autoscale.max);
      asi = {
        state: req > n ? 'SCALE_UP_IN_PROGRESS_WAITING_FOR_EXECUTORS' : req < n ? 'SCALE_DOWN_IN_PROGRESS' : 'STABLE',
        optimal_num_executors: opt,
        latest_requested_num_executors: req,
      };
      if (req !== n) asi.request_pending_seconds = Math.round(rng.u(5, 90));
    }
    push(ms, 'cluster_resources', `Cluster has ${n} executors and ${slots} task slots.`, { cluster_resources: { task_slot_metrics: tsm, ...(asi ? { autoscale_info: asi } : {}) } }, { level: 'METRICS', maturity: 'EVOLVING' });
  }
}

/** per-minute rows of system.compute.node_timeline, the driver included */
export function nodeRows(ctx: Ctx, p: { prof: Prof | null; clusterId: string | null }, upMs: number, downMs: number, tRun0: number, T: number): Obj[] {
  const rng = ctx.rng;
  const c = ctx.cluster!;
  const prof = p.prof!;
  const nt = NODE_TYPES[c.node]!;
  const dnode = c.driverNode ?? c.node;
  const rel = (ms: number) => (ms - tRun0) / 1000;
  const runEnd = tRun0 + T * 1000;
  // worker VMs: join/leave from the instance count over time
  interface Inst { id: string; join: number; leave: number; w: number }
  const insts: Inst[] = [];
  const active: Inst[] = [];
  let w = 0;
  const inst = prof.instances ?? prof.execs;
  for (let ms = upMs; ms <= downMs; ms += 15000) {
    const t = rel(ms);
    const want = Math.max(0, Math.round(ms > runEnd + 30000 ? inst(T, T) : inst(t, T)));
    while (active.length < want) {
      const i = { id: instanceId(rng, ctx.cloud), join: ms + (ms === upMs ? rng.u(0, 20000) : rng.u(0, 15000)), leave: downMs + rng.u(0, 20000), w: w++ };
      active.push(i);
      insts.push(i);
    }
    while (active.length > want) {
      const i = active.pop()!;
      i.leave = ms;
    }
  }
  const driver: Inst = { id: instanceId(rng, ctx.cloud), join: upMs - 20000, leave: downMs + 30000, w: -1 };
  const rows: Obj[] = [];
  const m0 = Math.floor(upMs / 60000) * 60000;
  const disk = () => ({ '/': Math.round(rng.u(17e9, 23e9)), '/local_disk0': Math.round(rng.u(3e11, 1.6e12)) });
  for (let m = m0; m < downMs; m += 60000) {
    const mid = m + 30000;
    const t = rel(mid);
    const ran = mid >= tRun0 && mid <= runEnd;
    const liveWorkers = insts.filter((i) => Math.min(i.leave, m + 60000) - Math.max(i.join, m) >= 20000);
    const n = liveWorkers.length;
    for (const i of [driver, ...liveWorkers]) {
      if (Math.min(i.leave, m + 60000) - Math.max(i.join, m) < 20000) continue;
      const isDriver = i.w < 0;
      let s: Sample;
      if (ran) s = isDriver ? prof.driver(t, T) : prof.worker(t, T, i.w, n);
      else if (mid < tRun0) {
        const pre = isDriver ? prof.pre?.driver : prof.pre?.worker;
        s = { user: isDriver ? 22 : 3, sys: isDriver ? 4 : 1.2, wait: 0.6, mem: isDriver ? 32 : 19 + (mid - i.join) / 60000, swap: 0, net: isDriver ? 9e7 : 4e6, ...(pre ?? {}) };
      } else s = { user: isDriver ? 6 : 1.5, sys: 1, wait: 0.3, mem: isDriver ? 38 : 30, swap: 0, net: 2e6 };
      // a fresh VM has not warmed up its JVM yet
      const age = (mid - i.join) / 60000;
      const warm = age < 1.5 && !isDriver ? 0.6 : 1;
      const sys = clamp(s.sys * rng.ln(0.1), 0.2, 30);
      const wait = clamp(s.wait * rng.ln(0.15), 0, 70);
      const user = clamp((s.user + rng.normal(0, Math.max(0.8, s.user * 0.035))) * warm, 0.3, 100 - sys - wait);
      const mem = clamp((s.mem + rng.normal(0, 1.4)) * (warm < 1 ? 0.75 : 1), 3, 99.6);
      const swap = s.swap > 0 ? clamp(s.swap * rng.ln(0.15), 0, 60) : 0;
      const net = Math.max(0, s.net * rng.ln(0.18));
      rows.push({
        account_id: ctx.accountId,
        workspace_id: String(ctx.orgId),
        cluster_id: p.clusterId,
        instance_id: i.id,
        start_time: m,
        end_time: m + 60000,
        driver: isDriver,
        cpu_user_percent: r2(user),
        cpu_system_percent: r2(sys),
        cpu_wait_percent: r2(wait),
        mem_used_percent: r2(mem),
        mem_swap_percent: r2(swap),
        network_sent_bytes: Math.round(net * rng.u(0.9, 1.1)),
        network_received_bytes: Math.round(net * rng.u(0.9, 1.1)),
        disk_free_bytes_per_mount_point: disk(),
        node_type: isDriver ? dnode : c.node,
      });
    }
  }
  void nt;
  return rows;
}

// ---------------------------------------------------------------- continuous pipelines
export interface ContinuousPlan {
  id: string;
  cause: string;
  t0: number;
  q: number;
  waiting: number;
  init: number;
  setup: number;
  flows: FlowDef[];
  /** seconds of RUNNING to simulate */
  runFor: number;
  end: 'RUNNING' | 'CANCELED' | 'FAILED';
  endError?: { cls: string; msg: string; flow: string };
  cancelBy?: string;
  batchEvery: (f: FlowDef) => number;
  /** metrics of a micro-batch ending at t (seconds since RUNNING) */
  batch: (f: FlowDef, t: number, dt: number) => Obj;
  prof: Prof;
  crEvery: [number, number];
  /** node rows for [from, to] seconds since RUNNING (null: none) */
  nodeWindow: [number, number] | null;
  clusterId: string;
}

export function simulateContinuous(ctx: Ctx, p: ContinuousPlan): SimResult {
  const rng = ctx.rng;
  const ev: Ev[] = [];
  const up = p.id;
  const cl = p.clusterId;
  const push: Push = (ts, type, message, details, o = {}) => {
    ev.push({ ts: Math.round(ts), type, level: o.level ?? 'INFO', maturity: o.maturity === undefined ? 'STABLE' : o.maturity, message, origin: o.origin ?? baseOrigin(ctx, up, o.plane === 'cp' ? null : cl), details, error: o.error ?? null, plane: o.plane ?? 'dp' });
  };
  const sid = shortId(up);
  const state = (ts: number, s: string, extra: Obj = {}, o: { level?: string; error?: Obj | null } = {}) =>
    push(ts, 'update_progress', `Update ${sid} is ${s}.`, { update_progress: { state: s, ...extra } }, { plane: 'cp', origin: baseOrigin(ctx, up, null), ...o });
  const t0 = p.t0;
  push(t0, 'create_update', `Update ${sid} started by ${p.cause}.`, { create_update: { cause: p.cause, full_refresh: false, full_refresh_selection: [], refresh_selection: [], validate_only: false, run_as: ctx.runAs } }, { plane: 'cp', origin: baseOrigin(ctx, up, null) });
  state(t0 + 400, 'QUEUED');
  const tC = t0 + p.q * 1000;
  state(tC, 'CREATED');
  const tW = tC + 900;
  state(tW, 'WAITING_FOR_RESOURCES');
  const tI = tW + p.waiting * 1000;
  state(tI, 'INITIALIZING');
  push(tI + 4000, 'runtime_details', 'Pipeline runtime details.', { runtime_details: { runtime_version: { dbr_version: ctx.dbr } } });
  const tS = tI + p.init * 1000;
  for (const f of p.flows) {
    const at = tS - rng.u(2000, 20000);
    push(at, 'dataset_definition', `Dataset '${f.name}' defined as ${datasetType(f)}.`, { dataset_definition: { dataset_type: datasetType(f), num_flows: 1, expectations: [] } }, { origin: flowOrigin(ctx, up, cl, f) });
    push(at + 50, 'flow_definition', `Flow '${f.name}' is defined as ${f.type}.`, { flow_definition: { output_dataset: f.name, input_datasets: f.inputs, flow_type: f.type, explain_text: f.explain, language: f.language, spark_conf: [], once: false } }, { origin: flowOrigin(ctx, up, cl, f) });
  }
  state(tS, 'SETTING_UP_TABLES');
  const tR = tS + p.setup * 1000;
  state(tR, 'RUNNING');
  const T = p.runFor;
  const batchIds = new Map<string, number>();
  for (const f of p.flows) {
    const st = tR + rng.u(3000, 40000);
    push(st - 2000, 'flow_progress', `Flow '${f.name}' is QUEUED.`, { flow_progress: { status: 'QUEUED' } }, { origin: flowOrigin(ctx, up, cl, f) });
    push(st - 800, 'flow_progress', `Flow '${f.name}' is STARTING.`, { flow_progress: { status: 'STARTING' } }, { origin: flowOrigin(ctx, up, cl, f) });
    push(st, 'flow_progress', `Flow '${f.name}' is RUNNING.`, { flow_progress: { status: 'RUNNING' } }, { origin: flowOrigin(ctx, up, cl, f) });
    const every = p.batchEvery(f);
    let b = rng.int(0, 3) + (batchIds.get(f.name) ?? 0);
    let prev = (st - tR) / 1000;
    for (let t = prev + every * rng.u(0.6, 1.0); t < T; t += every * rng.u(0.85, 1.15)) {
      const m = p.batch(f, t, t - prev);
      push(tR + t * 1000, 'flow_progress', `Flow '${f.name}' is RUNNING.`, { flow_progress: { status: 'RUNNING', metrics: m } }, { level: 'METRICS', origin: flowOrigin(ctx, up, cl, f, b++) });
      prev = t;
    }
  }
  const tEndRun = tR + T * 1000;
  let endMs: number | null = null;
  if (p.end === 'CANCELED') {
    push(tEndRun - 800, 'user_action', `User ${p.cancelBy ?? ctx.runAs} stopped the update.`, { user_action: { action: 'STOP', user_name: p.cancelBy ?? ctx.runAs, user_id: Number(rng.digits(15)) } }, { plane: 'cp', origin: baseOrigin(ctx, up, null) });
    state(tEndRun, 'STOPPING');
    for (const f of p.flows) push(tEndRun + rng.u(2000, 9000), 'flow_progress', `Flow '${f.name}' has STOPPED.`, { flow_progress: { status: 'STOPPED' } }, { origin: flowOrigin(ctx, up, cl, f) });
    endMs = tEndRun + rng.u(12000, 25000);
    state(endMs, 'CANCELED', { cancellation_cause: 'USER_ACTION' });
  } else if (p.end === 'FAILED') {
    const e = p.endError!;
    const f = p.flows.find((x) => x.name === e.flow) ?? p.flows[0]!;
    const exceptions = [{ class_name: e.cls, message: e.msg }];
    push(tEndRun, 'flow_progress', `Flow '${f.name}' has FAILED.`, { flow_progress: { status: 'FAILED' } }, { level: 'ERROR', origin: flowOrigin(ctx, up, cl, f), error: { fatal: false, exceptions } });
    endMs = tEndRun + rng.u(5000, 15000);
    state(endMs, 'FAILED', {}, { level: 'ERROR', error: { fatal: true, exceptions } });
  }
  const stop = endMs ?? tEndRun;
  pushClusterEvents(ctx, p, push, tI, tR, stop, T, []);
  let nodes: Obj[] = [];
  if (p.nodeWindow) {
    const a = tR + p.nodeWindow[0] * 1000;
    const b = tR + p.nodeWindow[1] * 1000;
    nodes = nodeRows(ctx, p, Math.max(tI - 20000, a), b, tR, T).filter((r) => (r.start_time as number) >= a - 60000);
  }
  return { events: ev, nodes, endMs, runStartMs: tR, runS: T, totalS: ((endMs ?? tEndRun) - t0) / 1000 };
}
