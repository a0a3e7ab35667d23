/** Runs one case: a pipeline, its history of updates, the update to diagnose, and writes the bundle. */
import { join } from 'node:path';
import { DEFAULT_FMT, eventRows, pipelineJson, writeBundle, type Fmt, type Label } from './bundle.js';
import {
  Rng,
  buildGraph,
  clusterIdAt,
  fnv1a,
  simulateContinuous,
  simulateUpdate,
  type ClusterCfg,
  type Cloud,
  type ContinuousPlan,
  type Ctx,
  type Ev,
  type FlowDef,
  type HeavySpec,
  type Obj,
  type Prof,
  type UpdatePlan,
} from './sim.js';

export type Kind = 'ok' | 'full' | 'failed' | 'canceled';
export interface Phases {
  q: number;
  waiting: number;
  init: number;
  setup: number;
}

interface Common {
  name: string;
  label: Omit<Label, 'update_id'>;
  cloud: Cloud;
  region: string;
  pipelineName: string;
  catalog: string;
  schema: string;
  edition?: string;
  channel?: string;
  photon: boolean;
  serverless?: boolean;
  cluster: ClusterCfg | null;
  maintenance?: boolean;
  configuration?: Record<string, string>;
  libraries?: Obj[];
  dbr?: string;
  runAs?: string;
  graph: { total: number; heavy: HeavySpec[]; external: string[]; pythonShare?: number };
  start: string;
  fmt?: Partial<Fmt>;
}

export interface TriggeredCfg extends Common {
  history: {
    kinds: Kind[];
    phases: Phases;
    phasesAt?: (i: number, n: number) => Partial<Phases>;
    prof: Prof | null;
    profAt?: (i: number, n: number) => Prof | null;
    durScale?: (f: FlowDef, i: number, n: number) => number;
    flows?: (all: FlowDef[], i: number, n: number) => FlowDef[];
    planning?: (f: FlowDef, i: number, n: number, kind: Kind) => Obj | null;
    fullMult?: number;
    spacingH?: number;
    backlog?: UpdatePlan['backlog'];
  };
  target: {
    cause?: string;
    user?: string;
    phases: Phases;
    fullRefresh?: boolean;
    durScale: (f: FlowDef) => number;
    rowsScale?: (f: FlowDef) => number;
    ratio?: (f: FlowDef) => number;
    outcome?: 'COMPLETED' | 'FAILED' | 'CANCELED';
    setupFailure?: UpdatePlan['setupFailure'];
    flowFailure?: UpdatePlan['flowFailure'];
    transient?: UpdatePlan['transient'];
    cancelAt?: number;
    cancelBy?: string;
    prof: Prof | null;
    planning?: UpdatePlan['planning'];
    ops?: UpdatePlan['ops'];
    backlog?: UpdatePlan['backlog'];
    progressEvery?: number;
    flows?: (all: FlowDef[]) => FlowDef[];
  };
}

export interface ContinuousCfg extends Common {
  /** earlier (ended) updates of the continuous pipeline, oldest first */
  previous: Array<{ days: number; end: 'CANCELED' | 'FAILED'; endError?: { cls: string; msg: string; flow: string }; prof: Prof; batch: ContinuousPlan['batch'] }>;
  target: {
    phases: Phases;
    runFor: number;
    batchEvery: (f: FlowDef) => number;
    batch: ContinuousPlan['batch'];
    prof: Prof;
    nodeWindowH: number;
  };
}

export interface CaseSummary {
  name: string;
  verdict: string;
  totalS: number;
  runS: number;
  phases: Phases;
  baselineS: number | null;
  ratio: number | null;
  flows: number;
  events: number;
  nodeRows: number;
  state: string;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const SP_IDS = ['svc-dlt-prod', 'svc-lakeflow', 'etl-runner'];

function makeCtx(rng: Rng, c: Common): Ctx {
  return {
    rng,
    cloud: c.cloud,
    region: c.region,
    orgId: Number(rng.digits(16)),
    accountId: rng.uuid(),
    pipelineId: rng.uuid(),
    pipelineName: c.pipelineName,
    serverless: c.serverless ?? false,
    photon: c.photon,
    cluster: c.cluster,
    flowIds: new Map(),
    runAs: c.runAs ?? (rng.chance(0.5) ? rng.uuid() : `${rng.pick(SP_IDS)}@corp.example.com`),
    dbr: c.dbr ?? rng.pick(['15.4', '16.4', '16.4', '17.3']),
  };
}

const HIST_FAILS = [
  { cls: 'io.delta.exceptions.ConcurrentAppendException', msg: '[DELTA_CONCURRENT_APPEND] ConcurrentAppendException: Files were added to the root of the table by a concurrent update. Please try the operation again.' },
  { cls: 'org.apache.spark.SparkException', msg: 'Job aborted due to stage failure: Task 7 in stage 31.0 failed 4 times, most recent failure: Lost task 7.3 in stage 31.0 (TID 2211) (10.0.3.17 executor 2): ExecutorLostFailure (executor 2 exited unrelated to the running tasks) Reason: Executor decommission: worker decommissioned because of spot preemption.' },
  { cls: 'com.databricks.sql.io.FileReadException', msg: 'Error while reading file part-00012-4f1c.c000.snappy.parquet. [DELTA_FILE_NOT_FOUND_DETAILED] File referenced in the transaction log cannot be found. This occurs when data has been manually deleted from the file system rather than using the table DELETE statement.' },
];

function noisyPhases(rng: Rng, p: Phases): Phases {
  return { q: p.q * rng.ln(0.3), waiting: p.waiting * rng.ln(0.2), init: p.init * rng.ln(0.1), setup: p.setup * rng.ln(0.12) };
}

function finish(
  c: Common,
  ctx: Ctx,
  rng: Rng,
  runs: Array<{ plan: { id: string; t0: number; cause: string; fullRefresh: boolean; clusterId: string | null }; state: string; events: Ev[]; nodes: Obj[] }>,
  label: Label,
  root: string,
  continuous: boolean,
): void {
  const fmt: Fmt = { ...DEFAULT_FMT, ...(c.fmt ?? {}) };
  const events: Ev[] = runs.flatMap((r) => r.events);
  const nodes = runs.flatMap((r) => r.nodes);
  const newestFirst = [...runs].sort((a, b) => b.plan.t0 - a.plan.t0);
  const latest = newestFirst[0]!;
  const creator = `${rng.pick(['ana.silva', 'j.weber', 'priya.n', 'tom.okafor', 'li.wei', 'marta.k'])}@corp.example.com`;
  const pipeline = pipelineJson({
    ctx,
    catalog: c.catalog,
    schema: c.schema,
    edition: c.edition ?? 'ADVANCED',
    channel: c.channel ?? 'CURRENT',
    continuous,
    configuration: c.configuration ?? { 'pipelines.env': 'prod' },
    libraries: c.libraries ?? [{ glob: { include: `/Workspace/Repos/data-eng/${c.pipelineName}/transformations/**` } }],
    cluster: c.cluster,
    maintenance: c.maintenance,
    state: latest.state === 'RUNNING' ? 'RUNNING' : 'IDLE',
    health: latest.state === 'FAILED' ? 'UNHEALTHY' : 'HEALTHY',
    clusterId: latest.plan.clusterId,
    creator,
    latest: newestFirst.map((r) => ({ update_id: r.plan.id, state: r.state, creation_time: r.plan.t0 })),
    lastModified: newestFirst[newestFirst.length - 1]!.plan.t0 - 86400000 * 3,
    tags: { team: c.schema.split('_')[0]!, cost_center: `cc-${rng.int(100, 999)}` },
  });
  const updates = newestFirst.map((r) => {
    const u: Obj = { pipeline_id: ctx.pipelineId, update_id: r.plan.id, cause: r.plan.cause, state: r.state, creation_time: r.plan.t0, full_refresh: r.plan.fullRefresh, validate_only: false };
    if (r.plan.clusterId) u.cluster_id = r.plan.clusterId;
    return u;
  });
  writeBundle(join(root, c.name), { pipeline, updates, events: eventRows(ctx, events, fmt, rng), nodes: ctx.cluster ? nodes : null, label, fmt, rng });
}

export function runTriggered(c: TriggeredCfg, root: string): CaseSummary {
  const rng = new Rng(fnv1a(`holdout:${c.name}`));
  const ctx = makeCtx(rng, c);
  const flows = buildGraph(rng, { catalog: c.catalog, schema: c.schema, total: c.graph.total, heavy: c.graph.heavy, external: c.graph.external, photon: c.photon, pythonShare: c.graph.pythonShare });
  const assignIds = () => flows.forEach((f) => ctx.flowIds.set(f.name, rng.uuid()));
  assignIds();
  const tT = Date.parse(c.start);
  const n = c.history.kinds.length;
  const spacing = (c.history.spacingH ?? 24) * 3600000;
  const runs: Parameters<typeof finish>[3] = [];
  const hist: Array<{ s: number; state: string; full: boolean }> = [];
  const heavyNames = c.graph.heavy.map((h) => flows.find((f) => f.name.endsWith(`.${h.t}`))!.name);
  c.history.kinds.forEach((kind, i) => {
    const t0 = tT - (n - i) * spacing + rng.u(-25, 35) * 60000;
    const ph = noisyPhases(rng, { ...c.history.phases, ...(c.history.phasesAt?.(i, n) ?? {}) });
    const vol = rng.ln(0.05);
    const fl = c.history.flows?.(flows, i, n) ?? flows;
    if (kind === 'full') assignIds();
    const mult = kind === 'full' ? (c.history.fullMult ?? 2.6) : 1;
    const durs = new Map(fl.map((f) => [f.name, f.dur * rng.ln(0.07) * vol * mult * (c.history.durScale?.(f, i, n) ?? 1)]));
    const expectedRun = Math.max(...fl.map((f) => durs.get(f.name)!)) * 1.6;
    const prof = c.history.profAt?.(i, n) ?? c.history.prof;
    const plan: UpdatePlan = {
      id: rng.uuid(),
      cause: kind === 'full' || rng.chance(0.12) ? 'USER_ACTION' : 'JOB_TASK',
      t0,
      fullRefresh: kind === 'full',
      user: `${rng.pick(['ana.silva', 'j.weber', 'priya.n'])}@corp.example.com`,
      ...ph,
      flows: fl,
      dur: (f) => durs.get(f.name)!,
      outcome: kind === 'failed' ? 'FAILED' : kind === 'canceled' ? 'CANCELED' : 'COMPLETED',
      flowFailure: kind === 'failed' ? { flow: rng.pick(heavyNames.filter((h) => fl.some((f) => f.name === h))), at: rng.u(60, 400), ...rng.pick(HIST_FAILS), attempts: rng.int(1, 2) } : undefined,
      cancelAt: kind === 'canceled' ? expectedRun * rng.u(0.25, 0.5) : undefined,
      cancelCause: kind === 'canceled' ? (rng.chance(0.5) ? 'WORKFLOW_CANCELLATION' : 'USER_ACTION') : undefined,
      prof,
      crEvery: [55, 95],
      nodeTimeline: false,
      planning: c.history.planning ? (f) => c.history.planning!(f, i, n, kind) : undefined,
      backlog: c.history.backlog,
      progressEvery: c.history.backlog ? 90 : undefined,
      clusterId: c.cluster ? clusterIdAt(rng, t0 + ph.waiting * 500) : null,
    };
    const r = simulateUpdate(ctx, plan);
    const st = plan.outcome;
    runs.push({ plan, state: st, events: r.events, nodes: [] });
    hist.push({ s: r.totalS, state: st, full: plan.fullRefresh });
  });
  // the update to diagnose
  const tg = c.target;
  if (tg.fullRefresh) assignIds();
  const tfl = tg.flows?.(flows) ?? flows;
  const vol = rng.ln(0.04);
  const durs = new Map(tfl.map((f) => [f.name, f.dur * rng.ln(0.06) * vol * tg.durScale(f)]));
  const ph = tg.phases;
  const plan: UpdatePlan = {
    id: rng.uuid(),
    cause: tg.cause ?? 'JOB_TASK',
    t0: tT,
    fullRefresh: tg.fullRefresh ?? false,
    user: tg.user,
    ...ph,
    flows: tfl,
    dur: (f) => durs.get(f.name)!,
    rowsScale: tg.rowsScale,
    ratio: tg.ratio,
    outcome: tg.outcome ?? (tg.setupFailure || tg.flowFailure ? 'FAILED' : tg.cancelAt !== undefined ? 'CANCELED' : 'COMPLETED'),
    setupFailure: tg.setupFailure,
    flowFailure: tg.flowFailure,
    transient: tg.transient,
    cancelAt: tg.cancelAt,
    cancelBy: tg.cancelBy,
    cancelCause: tg.cancelAt !== undefined ? 'USER_ACTION' : undefined,
    prof: tg.prof,
    crEvery: [50, 75],
    nodeTimeline: !!c.cluster,
    planning: tg.planning,
    ops: tg.ops,
    backlog: tg.backlog,
    progressEvery: tg.progressEvery,
    clusterId: c.cluster ? clusterIdAt(rng, tT + ph.waiting * 500) : null,
  };
  const r = simulateUpdate(ctx, plan);
  const state = plan.outcome;
  runs.push({ plan, state, events: r.events, nodes: r.nodes });
  const label: Label = { ...c.label };
  finish(c, ctx, rng, runs, label, root, false);
  const done = hist.slice(-10).filter((h) => h.state === 'COMPLETED').map((h) => h.s);
  const base = median(done);
  return {
    name: c.name,
    verdict: c.label.verdict,
    totalS: Math.round(r.totalS),
    runS: Math.round(r.runS),
    phases: { q: Math.round(ph.q), waiting: Math.round(ph.waiting), init: Math.round(ph.init), setup: Math.round(ph.setup) },
    baselineS: base === null ? null : Math.round(base),
    ratio: base === null ? null : Math.round((r.totalS / base) * 100) / 100,
    flows: tfl.length,
    events: runs.reduce((s, x) => s + x.events.length, 0),
    nodeRows: r.nodes.length,
    state,
  };
}

export function runContinuous(c: ContinuousCfg, root: string): CaseSummary {
  const rng = new Rng(fnv1a(`holdout:${c.name}`));
  const ctx = makeCtx(rng, c);
  const flows = buildGraph(rng, { catalog: c.catalog, schema: c.schema, total: c.graph.total, heavy: c.graph.heavy, external: c.graph.external, photon: c.photon });
  flows.forEach((f) => ctx.flowIds.set(f.name, rng.uuid()));
  const tT = Date.parse(c.start);
  const runs: Parameters<typeof finish>[3] = [];
  // previous continuous updates: long-lived, sampled sparsely (about one batch event an hour per flow)
  let t = tT;
  const prevPlans: ContinuousPlan[] = [];
  for (const p of [...c.previous].reverse()) {
    const runFor = p.days * 86400;
    t = t - runFor * 1000 - rng.u(20, 90) * 60000;
    prevPlans.unshift({
      id: rng.uuid(),
      cause: rng.pick(['USER_ACTION', 'API_CALL']),
      t0: t,
      q: 2,
      waiting: rng.u(110, 200),
      init: rng.u(50, 90),
      setup: rng.u(20, 40),
      flows,
      runFor,
      end: p.end,
      endError: p.endError,
      batchEvery: () => 3600,
      batch: p.batch,
      prof: p.prof,
      crEvery: [3000, 4200],
      nodeWindow: null,
      clusterId: clusterIdAt(rng, t + 60000),
    });
  }
  for (const pp of prevPlans) {
    const r = simulateContinuous(ctx, pp);
    runs.push({ plan: { ...pp, fullRefresh: false }, state: pp.end, events: r.events, nodes: [] });
  }
  const tg = c.target;
  const plan: ContinuousPlan = {
    id: rng.uuid(),
    cause: 'USER_ACTION',
    t0: tT,
    ...tg.phases,
    flows,
    runFor: tg.runFor,
    end: 'RUNNING',
    batchEvery: tg.batchEvery,
    batch: tg.batch,
    prof: tg.prof,
    crEvery: [50, 75],
    nodeWindow: [tg.runFor - tg.nodeWindowH * 3600, tg.runFor],
    clusterId: clusterIdAt(rng, tT + 90000),
  };
  const r = simulateContinuous(ctx, plan);
  runs.push({ plan: { ...plan, fullRefresh: false }, state: 'RUNNING', events: r.events, nodes: r.nodes });
  const label: Label = { ...c.label, update_id: plan.id };
  finish(c, ctx, rng, runs, label, root, true);
  return {
    name: c.name,
    verdict: c.label.verdict,
    totalS: Math.round(r.totalS),
    runS: Math.round(r.runS),
    phases: { q: tg.phases.q, waiting: Math.round(tg.phases.waiting), init: Math.round(tg.phases.init), setup: Math.round(tg.phases.setup) },
    baselineS: null,
    ratio: null,
    flows: flows.length,
    events: runs.reduce((s, x) => s + x.events.length, 0),
    nodeRows: r.nodes.length,
    state: 'RUNNING',
  };
}
