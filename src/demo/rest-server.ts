/**
 * The demo workspace's REST API: a node:http server that speaks the same paths, paging, filters
 * and error bodies as Databricks' Pipelines 2.0 and Clusters 2.1 APIs, over the in-memory data of
 * the scenario generator (src/demo/generate.ts). Quirks it reproduces on purpose:
 * - GET /api/2.0/pipelines returns `statuses` (no spec), max_results ≤ 100, filter `name LIKE '%x%'`.
 * - GET …/events has no `details` (REST never returns them), default 25 newest first, max_results
 *   ≤ 1000, `page_token` is mutually exclusive with `filter`/`order_by`.
 * - PUT /api/2.0/pipelines/{id} replaces the settings; `expected_last_modified` → 409 RESOURCE_CONFLICT.
 * - GET /api/2.{0,1}/clusters/list-node-types answers the data's `nodeTypes` (the node types the
 *   workspace offers: deprecated ones flagged, one not available in the region).
 * - POST …/updates → 409 when an update is active. A new update replays the pipeline's latest
 *   generated update from its start (its running phase shortened or lengthened by run-model.ts):
 *   the rows up to its first update_progress at once, then each
 *   row (per-minute flow_progress METRICS with backlog_*, the terminal update_progress) once the
 *   demo clock (`now`) reaches its timestamp, checked on every read and on `tick()`. After
 *   `updateDurationMs` of wall time (default ~2 s) whatever is left is written at once and the
 *   update ends, so the interactive demo does not wait an hour for a continuous run.
 * - POST /api/2.0/pipelines creates, POST …/{id}/stop cancels the active update, DELETE …/{id}
 *   removes a pipeline (pipeline-lifecycle.ts). A created pipeline with another's libraries replays
 *   that pipeline's latest generated update; how fast a run goes for its settings is run-model.ts.
 * Fault switches (429/500/503 with Retry-After, latency, reset sockets, truncated bodies) let tests
 * and benchmarks exercise the client's retries. https://docs.databricks.com/api/workspace/pipelines
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { billRun } from './run-billing.js';
import { HttpError, invalid, notFound } from './http-error.js';
import { cascadeParam, canceledRow, deterministicUuid, librariesKey, newClusterId, newPipelineBody, parseCreate } from './pipeline-lifecycle.js';
import { capacity, runModel, usesPythonUdf } from './run-model.js';

type Json = Record<string, unknown>;

/** What the server needs from the demo workspace (DemoWorkspaceData from ./generate.ts fits it). */
export interface DemoRestPipeline {
  scenario?: string;
  /** the scenario's intended verdict (cpu, memory, …): how a run responds to settings (run-model.ts) */
  expected?: string;
  /** body of GET /api/2.0/pipelines/{id} */
  pipeline: object;
  /** UpdateInfo objects, newest first */
  updates: readonly object[];
  /** event-log rows, oldest first, with `details` */
  events: readonly object[];
  /** system.billing.usage rows; a new run is billed from its template's (src/demo/run-billing.ts) */
  usage?: readonly object[];
}
export interface DemoRestData {
  pipelines: readonly DemoRestPipeline[];
  /** `node_types[]` of GET /api/2.{0,1}/clusters/list-node-types; absent → 404, as a workspace that refuses the call */
  nodeTypes?: readonly object[];
}

export type DemoChange =
  | { kind: 'pipeline'; pipelineId: string }
  | { kind: 'update'; pipelineId: string; updateId: string; state: string }
  | { kind: 'events'; pipelineId: string; rows: Json[] }
  /** system.billing.usage rows of a run started here, once it ended, with the settings it ran with */
  | { kind: 'usage'; pipelineId: string; rows: Json[] }
  /** a pipeline created with POST /api/2.0/pipelines (it has no rows yet) */
  | { kind: 'created'; pipelineId: string }
  /** a pipeline deleted with DELETE /api/2.0/pipelines/{id}; its event and billing rows stay, as system tables keep them */
  | { kind: 'deleted'; pipelineId: string };

export interface DemoState {
  /** current GET bodies, ordered by id */
  pipelines(): Json[];
  pipeline(id: string): Json | undefined;
  /** UpdateInfo objects, newest first */
  updates(pipelineId: string): Json[];
  /** event-log rows (with details), oldest first, including those of updates started here */
  events(pipelineId: string): Json[];
  /** what PUT /api/2.0/pipelines/{id} does (the demo's kept settings are put back with it at start) */
  editPipeline(id: string, body: Json): void;
  /** called after every change; returns an unsubscribe function */
  onChange(cb: (change: DemoChange) => void): () => void;
  /** writes the rows of running updates whose time (per the demo clock) has come; every read does this too */
  tick(): void;
}

export interface Fault {
  status?: 429 | 500 | 503;
  retryAfterS?: number;
  /** how many matching requests to affect, then recover; unlimited when absent */
  count?: number;
  latencyMs?: number;
  /** destroy the socket instead of answering */
  reset?: boolean;
  /** send half of the JSON body */
  truncate?: boolean;
  /** only requests whose path matches (default: every /api/ path) */
  paths?: RegExp;
}
export interface FaultSwitches {
  set(f: Fault): void;
  clear(): void;
}

export interface DemoRestServerOptions {
  /** 0 (default) = an ephemeral port */
  port?: number;
  /** when set, /api/ and /__demo/ require `Authorization: Bearer <token>` */
  token?: string;
  /** wall time after which an update started over REST is completed at once (default 2000 ms) */
  updateDurationMs?: number;
  /** the demo clock (default Date.now) */
  now?: () => number;
}

export interface DemoRestServer {
  url: string;
  faults: FaultSwitches;
  state: DemoState;
  close(): Promise<void>;
}


const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELED']);

// ------------------------------------------------------------------------------------------------
// State

interface EventEntry {
  row: Json;
  ts: number;
  id: string;
}
interface PipelineState {
  id: string;
  body: Json;
  originalSpec: Json;
  scenario?: string;
  expected?: string;
  /** a pipeline created here: the update its runs replay (another pipeline's, same libraries), else null */
  template: RunTemplate | null;
  created: boolean;
  /** the cluster a created pipeline's runs name (the template's belongs to the pipeline it came from) */
  clusterId?: string;
  updates: Json[];
  events: EventEntry[];
  /** the generated usage rows (templates for billing new runs) */
  usage: Json[];
  /** ids of updates present in the generated data (templates for new runs) */
  originalUpdateIds: string[];
  runs: number;
  /** the update started here that is still running: its rows not yet written, oldest first */
  run: ActiveRun | null;
}
interface ActiveRun {
  updateId: string;
  update: Json;
  pending: Json[];
  finalState: string;
  timer: NodeJS.Timeout | null;
  /** its system.billing.usage rows, written when it ends */
  usage: Json[];
  /** the usage rows of the run had it ended at `endMs` (a stopped run is billed up to its stop) */
  billUntil: (endMs: number) => Json[];
  /** wall clock at start, and the simulated span of its rows (first → last event, demo-clock ms) */
  startWall: number;
  firstMs: number;
  lastMs: number;
  /** an update_progress row of the run, the model of the CANCELED row a stop writes */
  progressProto: Json | null;
}
/** What a run replays: one update's rows, usage and the settings and scenario it ran with. */
interface RunTemplate {
  updateId: string | null;
  rows: Json[];
  usage: Json[];
  spec: Json;
  scenario?: string;
  expected?: string;
  /** its flow plans run Python UDFs (Photon does not speed those up) */
  pythonUdf: boolean;
  /** any usage row of the template's pipeline (account, workspace, identity for billing) */
  sample?: Json;
}

export interface DemoStateInternals extends DemoState {
  get(id: string): PipelineState | undefined;
  all(): PipelineState[];
  startUpdate(id: string, body: Json): { update_id: string };
  /** POST /api/2.0/pipelines: `{ pipeline_id }`, or `{ effective_settings }` for a dry run (pipeline-lifecycle.ts) */
  createPipeline(body: Json): Json;
  /** POST /api/2.0/pipelines/{id}/stop: cancels the active update (no-op when idle) */
  stopPipeline(id: string): void;
  /** DELETE /api/2.0/pipelines/{id}: ends an active run (CANCELED), then the pipeline is gone */
  deletePipeline(id: string, cascade?: boolean): void;
  close(): void;
}

export function createDemoState(data: DemoRestData, opts: { updateDurationMs?: number; now?: () => number } = {}): DemoStateInternals {
  const now = opts.now ?? Date.now;
  const duration = opts.updateDurationMs ?? 2000;
  const listeners = new Set<(c: DemoChange) => void>();
  const timers = new Set<NodeJS.Timeout>();
  const emit = (c: DemoChange) => {
    for (const cb of listeners) {
      try {
        cb(c);
      } catch {
        // a listener's failure must not break the server
      }
    }
  };

  const byId = new Map<string, PipelineState>();
  for (const p of data.pipelines) {
    const body = clone(p.pipeline as Json);
    const id = String(body.pipeline_id ?? '');
    if (!id) continue;
    const events = (p.events as Json[]).map((row, i) => toEntry(clone(row), i));
    events.sort(compareEntries);
    const updates = (p.updates as Json[]).map(clone);
    byId.set(id, {
      id,
      body,
      originalSpec: clone(obj(body.spec) ?? {}),
      ...(p.scenario !== undefined ? { scenario: p.scenario } : {}),
      ...(p.expected !== undefined ? { expected: p.expected } : {}),
      template: null,
      created: false,
      updates,
      events,
      usage: ((p.usage ?? []) as Json[]).map(clone),
      originalUpdateIds: updates.map((u) => String(u.update_id)),
      runs: 0,
      run: null,
    });
  }
  const sorted = () => {
    tick();
    return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  };

  const appendEvents = (p: PipelineState, rows: Json[]) => {
    if (rows.length === 0) return;
    for (const row of rows) p.events.push(toEntry(row, p.events.length));
    p.events.sort(compareEntries);
    emit({ kind: 'events', pipelineId: p.id, rows: rows.map(clone) });
  };

  /** Writes the due rows of p's running update (all of them when `all`); ends it at its terminal update_progress. */
  const advance = (p: PipelineState, all: boolean) => {
    const run = p.run;
    if (!run) return;
    const t = now();
    let n = 0;
    let ended = all;
    while (n < run.pending.length && (all || toMs(run.pending[n]!.timestamp) <= t)) {
      const r = run.pending[n]!;
      n += 1;
      if (r.event_type === 'update_progress' && TERMINAL.has(progressState(r) ?? '')) ended = true;
    }
    // the rows after the terminal update_progress (if any) come with it
    const due = run.pending.splice(0, ended ? run.pending.length : n);
    appendEvents(p, due);
    if (!ended && run.pending.length > 0) return;
    p.run = null;
    if (run.timer) {
      clearTimeout(run.timer);
      timers.delete(run.timer);
    }
    run.update.state = run.finalState;
    p.body.state = 'IDLE';
    const latest = (p.body.latest_updates as Json[] | undefined)?.[0];
    if (latest && latest.update_id === run.updateId) latest.state = run.finalState;
    if (run.usage.length) emit({ kind: 'usage', pipelineId: p.id, rows: run.usage.map(clone) });
    emit({ kind: 'update', pipelineId: p.id, updateId: run.updateId, state: run.finalState });
  };
  let ticking = false;
  function tick() {
    // a listener that reads the state while rows are being written must not re-enter
    if (ticking) return;
    ticking = true;
    try {
      for (const p of byId.values()) advance(p, false);
    } finally {
      ticking = false;
    }
  }
  const find = (id: string) => {
    tick();
    return byId.get(id);
  };
  let created = 0;

  /**
   * Stops p's running update: the rows due by the stop are written, then an update_progress
   * CANCELED; the run is billed up to the stop. "Now" for the run is the later of the demo clock
   * and where the fast clock has got it (the fraction of updateDurationMs elapsed, of its simulated
   * span), so a stop halfway through the wall-clock run writes about half of its rows.
   */
  const cancelRun = (p: PipelineState) => {
    const run = p.run;
    if (!run) return;
    const frac = duration > 0 ? Math.min(1, (Date.now() - run.startWall) / duration) : 1;
    let at = Math.min(run.lastMs, Math.max(now(), run.firstMs + (run.lastMs - run.firstMs) * frac));
    const keep: Json[] = [];
    for (const r of run.pending) {
      if (toMs(r.timestamp) > at) break;
      if (r.event_type === 'update_progress' && TERMINAL.has(progressState(r) ?? '')) continue;
      keep.push(r);
    }
    // after every row of the run written so far
    for (const e of p.events) if (originOf(e.row).update_id === run.updateId && e.ts >= at) at = e.ts + 1;
    for (const r of keep) if (toMs(r.timestamp) >= at) at = toMs(r.timestamp) + 1;
    const proto = run.progressProto ?? { origin: { pipeline_id: p.id, pipeline_name: p.body.name }, maturity_level: 'STABLE', details: {} };
    run.pending = [...keep, canceledRow(proto, { updateId: run.updateId, at, id: `${run.updateId}-canceled` })];
    run.finalState = 'CANCELED';
    run.usage = run.billUntil(at);
    advance(p, true);
  };

  const state: DemoStateInternals = {
    pipelines: () => sorted().map((p) => clone(p.body)),
    pipeline: (id) => {
      const p = find(id);
      return p && clone(p.body);
    },
    updates: (id) => (find(id)?.updates ?? []).map(clone),
    events: (id) => (find(id)?.events ?? []).map((e) => clone(e.row)),
    onChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    get: find,
    all: sorted,
    tick,

    editPipeline(id, body) {
      const p = find(id);
      if (!p) throw notFound(id);
      const expected = body.expected_last_modified;
      const current = typeof p.body.last_modified === 'number' ? p.body.last_modified : 0;
      if (expected !== undefined && expected !== null && Number(expected) !== current)
        throw new HttpError(409, 'RESOURCE_CONFLICT', `Pipeline ${id} was modified after ${String(expected)} (last_modified ${current}).`);
      const spec: Json = {};
      for (const [k, v] of Object.entries(body)) {
        if (['pipeline_id', 'expected_last_modified', 'allow_duplicate_names', 'run_as', 'parameters'].includes(k)) continue;
        spec[k] = clone(v);
      }
      spec.id = id;
      p.body.spec = spec;
      if (typeof spec.name === 'string') p.body.name = spec.name;
      p.body.last_modified = Math.max(now(), current + 1);
      emit({ kind: 'pipeline', pipelineId: id });
    },

    startUpdate(id, body) {
      const p = find(id);
      if (!p) throw notFound(id);
      const active = p.updates.find((u) => !TERMINAL.has(String(u.state)));
      if (active)
        throw new HttpError(409, 'RESOURCE_CONFLICT', `An update (${String(active.update_id)}) is already active for pipeline ${id}.`);
      p.runs += 1;
      const updateId = deterministicUuid(`${id}/run/${p.runs}`);
      const lastTs = p.events.length ? p.events[p.events.length - 1]!.ts : 0;
      const startMs = Math.max(now(), lastTs + 60_000);
      const plan = planRun(p, updateId, startMs, body);
      const update: Json = {
        pipeline_id: id,
        update_id: updateId,
        state: 'RUNNING',
        cause: typeof body.cause === 'string' ? body.cause : 'API_CALL',
        creation_time: startMs,
        full_refresh: body.full_refresh === true,
        validate_only: body.validate_only === true,
        cluster_id: plan.clusterId,
      };
      p.updates.unshift(update);
      p.body.state = 'RUNNING';
      p.body.latest_updates = [
        { update_id: updateId, state: 'RUNNING', creation_time: new Date(startMs).toISOString() },
        ...((p.body.latest_updates as Json[] | undefined) ?? []),
      ].slice(0, 5);
      if (p.created && plan.clusterId) p.body.cluster_id = plan.clusterId;
      emit({ kind: 'update', pipelineId: id, updateId, state: 'RUNNING' });
      appendEvents(p, plan.first);

      const run: ActiveRun = {
        updateId,
        update,
        pending: plan.rest,
        finalState: plan.finalState,
        timer: null,
        usage: plan.usage,
        billUntil: plan.billUntil,
        startWall: Date.now(),
        firstMs: plan.firstMs,
        lastMs: plan.lastMs,
        progressProto: plan.progressProto,
      };
      p.run = run;
      const timer = setTimeout(() => {
        timers.delete(timer);
        run.timer = null;
        if (p.run === run) advance(p, true);
      }, duration);
      timer.unref?.();
      timers.add(timer);
      run.timer = timer;
      // rows already due (a start in the past of the demo clock)
      tick();
      return { update_id: updateId };
    },

    createPipeline(body) {
      tick();
      const req = parseCreate(body, [...byId.values()].map((q) => String(q.body.name ?? '')));
      // Which data the new pipeline runs on: the same source code (libraries) reads the same data,
      // so it replays the latest generated update of the pipeline with equal libraries (a generated
      // one before a created one, which carries its own template); else the synthetic template.
      const key = librariesKey(req.spec.libraries);
      const source =
        key === null
          ? undefined
          : [...byId.values()]
              .filter((q) => librariesKey(obj(q.body.spec)?.libraries) === key)
              .sort((a, b) => Number(a.created) - Number(b.created) || (a.id < b.id ? -1 : 1))[0];
      // CreatePipelineResponse: effective_settings only for a dry run, pipeline_id only otherwise (sdk-py service/pipelines.py)
      if (req.dryRun) return { effective_settings: clone(req.spec) };
      created += 1;
      // from the creation order and the code it runs, not the name: a name carrying a random id (a
      // benchmark clone's experiment id) must not change the id, and with it the run noise's seed
      let id = deterministicUuid(`created/${created}/${key}`);
      while (byId.has(id)) id = deterministicUuid(`${id}/again`);
      const template = source ? templateOf(source) : null;
      const creator = String(source?.body.creator_user_name ?? 'demo-user@example.com');
      const at = now();
      const pipeline: PipelineState = {
        id,
        body: newPipelineBody(id, req.spec, { creator, runAs: req.runAs, now: at }),
        originalSpec: clone(template?.spec ?? req.spec),
        ...(template?.scenario !== undefined ? { scenario: template.scenario } : {}),
        ...(template?.expected !== undefined ? { expected: template.expected } : {}),
        template,
        created: true,
        clusterId: newClusterId(id, at),
        updates: [],
        events: [],
        usage: [],
        originalUpdateIds: [],
        runs: 0,
        run: null,
      };
      byId.set(id, pipeline);
      emit({ kind: 'created', pipelineId: id });
      return { pipeline_id: id };
    },

    stopPipeline(id) {
      const p = find(id);
      if (!p) throw notFound(id);
      if (p.run) cancelRun(p);
    },

    deletePipeline(id) {
      const p = find(id);
      if (!p) throw notFound(id);
      // an active update is ended first; the demo publishes no tables, so `cascade` has nothing more to drop
      if (p.run) cancelRun(p);
      byId.delete(id);
      emit({ kind: 'deleted', pipelineId: id });
    },

    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      listeners.clear();
    },
  };
  return state;
}

/**
 * The update a pipeline's runs replay: its latest generated update (rows, usage, the settings it ran
 * with); a pipeline created here replays the template it was given at creation (the pipeline with
 * the same libraries), else none (the synthetic one).
 */
function templateOf(p: PipelineState): RunTemplate {
  if (p.template) return p.template;
  const templateId = p.originalUpdateIds.find((u) => p.events.some((e) => originOf(e.row).update_id === u)) ?? null;
  const rows = templateId ? p.events.filter((e) => originOf(e.row).update_id === templateId).map((e) => e.row) : [];
  return {
    updateId: templateId,
    rows,
    usage: templateId ? p.usage.filter((u) => obj(u.usage_metadata)?.dlt_update_id === templateId) : [],
    spec: p.originalSpec,
    pythonUdf: usesPythonUdf(rows),
    ...(p.scenario !== undefined ? { scenario: p.scenario } : {}),
    ...(p.expected !== undefined ? { expected: p.expected } : {}),
    ...(p.usage[0] ? { sample: p.usage[0] } : {}),
  };
}

/**
 * A new run replays its template update (templateOf), shifted to `startMs`, its running phase
 * (from the first update_progress RUNNING on) shrunk by the run model's speedup (run-model.ts: the
 * settings it starts with against the template's, per the tuning guide, times a seeded run-to-run
 * noise); the phases before RUNNING (queueing, waiting for resources, initialization, RESETTING on
 * a full refresh, setting up tables) keep their length. Records processed stay the template's (same
 * data). With other worker capacity, cluster_resources show proportionally more executors and fewer
 * queued tasks. With settings that make it faster, a backlog that grew in the template stops
 * growing: each backlog_* value v of a flow whose first value was v0 becomes min(v, v0²/v), so it
 * drains as fast as it grew (draining ones are unchanged).
 */
function planRun(p: PipelineState, updateId: string, startMs: number, body: Json) {
  const t = templateOf(p);
  const template = t.rows;
  const newSpec = obj(p.body.spec) ?? {};
  const model = runModel({
    ...(t.expected !== undefined ? { expected: t.expected } : {}),
    ...(t.scenario !== undefined ? { scenario: t.scenario } : {}),
    pythonUdf: t.pythonUdf,
    oldSpec: t.spec,
    newSpec,
    seed: `${p.id}/run/${p.runs}`,
  });
  const ratio = model.ratio;
  const newCap = capacity(newSpec);
  const speedup = model.speedup;
  // settings that changed something the model knows (noise alone is no change)
  const changed = model.ratio !== 1 || model.photon !== 1;

  const ts = (r: Json) => toMs(r.timestamp);
  const pipelineName = String(p.body.name ?? p.id);
  const rows = template.length ? [...template].sort((a, b) => ts(a) - ts(b)) : syntheticTemplate(p.id, pipelineName);
  const t0 = ts(rows[0]!);
  const running = rows.find((r) => r.event_type === 'update_progress' && progressState(r) === 'RUNNING');
  const runStart = running ? ts(running) : t0;
  const templateFinal = [...rows].reverse().find((r) => r.event_type === 'update_progress' && TERMINAL.has(progressState(r) ?? ''));
  const templateState = templateFinal ? progressState(templateFinal)! : 'COMPLETED';
  let finalState = templateState;
  if (changed || body.validate_only === true) finalState = 'COMPLETED';
  // a continuous update someone stopped (the template ended CANCELED) replayed as a triggered run
  // (e.g. a benchmark clone, continuous: false): nothing stops it, it ends when the data is processed
  if (templateState === 'CANCELED' && obj(p.body.spec)?.continuous !== true) finalState = 'COMPLETED';
  const fixed = templateState !== finalState;
  // the template's messages name its update ("Update 2b8df5 is RUNNING."): name this one instead
  const templateShort = t.updateId ? t.updateId.slice(0, 6) : null;
  const short = updateId.slice(0, 6);

  let clusterId: string | null = p.clusterId ?? null;
  const out: Json[] = [];
  /** first backlog value per flow and metric path, for the drain transform */
  const firstBacklog = new Map<string, number>();
  rows.forEach((src, i) => {
    // a run whose failure the new settings fixed: drop the template's error rows
    if (fixed && src.level === 'ERROR') return;
    // an incremental run replaying a full-refresh template has no RESETTING phase
    if (body.full_refresh !== true && src.event_type === 'update_progress' && progressState(src) === 'RESETTING') return;
    const row = clone(src);
    const at = ts(src);
    const offset = at <= runStart ? at - t0 : runStart - t0 + (at - runStart) / speedup;
    row.timestamp = new Date(startMs + Math.round(offset)).toISOString();
    row.id = `${updateId}-${String(i).padStart(5, '0')}`;
    if (templateShort && typeof row.message === 'string') row.message = row.message.split(`Update ${templateShort} `).join(`Update ${short} `);
    const origin = originOf(row);
    if (p.clusterId && origin.cluster_id) origin.cluster_id = p.clusterId;
    if (origin.cluster_id) clusterId ??= String(origin.cluster_id);
    // a clone's rows are its own: its id and name (the template may be another pipeline's)
    row.origin = { ...origin, pipeline_id: p.id, pipeline_name: pipelineName, update_id: updateId };
    const details = obj(typeof row.details === 'string' ? safeJson(row.details) : row.details);
    if (details) {
      if (row.event_type === 'update_progress' && TERMINAL.has(progressState(row) ?? ''))
        details.update_progress = { ...(obj(details.update_progress) ?? {}), state: finalState };
      if (row.event_type === 'cluster_resources' && ratio !== 1) scaleClusterResources(details, ratio, newCap);
      if (row.event_type === 'flow_progress' && model.settings > 1) drainBacklog(details, String(origin.flow_name ?? ''), firstBacklog);
      if (row.event_type === 'create_update') {
        const cu = obj(details.create_update);
        if (cu) {
          cu.cause = typeof body.cause === 'string' ? body.cause : 'API_CALL';
          cu.full_refresh = body.full_refresh === true;
        }
      }
      row.details = typeof src.details === 'string' ? JSON.stringify(details) : details;
    }
    out.push(row);
  });
  // the first part (up to the first update_progress after create_update) appears at once
  const cut = Math.max(1, out.findIndex((r) => r.event_type === 'update_progress') + 1);
  const cluster = clusterId ?? String(p.body.cluster_id ?? '');
  // billed as it ran: the settings in effect now, not the template's (run-billing.ts)
  // a loop, not Math.min(...times): a continuous run replays far more rows than a call takes arguments
  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  for (const r of out) {
    const at = ts(r);
    if (at < firstMs) firstMs = at;
    if (at > lastMs) lastMs = at;
  }
  const billUntil = (endMs: number) =>
    billRun({
      pipelineId: p.id,
      updateId,
      clusterId: cluster || null,
      startMs: firstMs,
      endMs,
      oldSpec: t.spec,
      newSpec,
      workerRatio: ratio,
      templateUsage: t.usage,
      templateSpanMs: ts(rows[rows.length - 1]!) - t0,
      sample: p.usage[0] ?? t.sample,
    });
  const progressProto = out.find((r) => r.event_type === 'update_progress') ?? null;
  return { first: out.slice(0, cut), rest: out.slice(cut), finalState, clusterId: cluster, usage: billUntil(lastMs), billUntil, firstMs, lastMs, progressProto };
}

function scaleClusterResources(details: Json, ratio: number, cap: number | null) {
  const walk = (o: Json) => {
    for (const [k, v] of Object.entries(o)) {
      if (v && typeof v === 'object' && !Array.isArray(v)) walk(v as Json);
      else if (typeof v === 'number') {
        if (/^(num_executors|num_task_slots|avg_num_task_slots)$/.test(k)) {
          const scaled = v * ratio;
          o[k] = k === 'num_executors' && cap ? Math.min(Math.round(scaled), cap) : Math.round(scaled * 100) / 100;
        } else if (/queued_tasks/.test(k)) o[k] = Math.round((v / ratio) * 100) / 100;
      }
    }
  };
  const cr = obj(details.cluster_resources);
  if (cr) walk(cr);
}

function drainBacklog(details: Json, flow: string, first: Map<string, number>) {
  const walk = (o: Json, path: string) => {
    for (const [k, v] of Object.entries(o)) {
      const at = `${path}.${k}`;
      if (Array.isArray(v)) v.forEach((x, i) => obj(x) && walk(x as Json, `${at}[${i}]`));
      else if (v && typeof v === 'object') walk(v as Json, at);
      else if (typeof v === 'number' && /^backlog_/.test(k)) {
        const v0 = first.get(at);
        if (v0 === undefined) first.set(at, v);
        else if (v > 0 && v0 > 0) o[k] = Math.round(Math.min(v, (v0 * v0) / v));
      }
    }
  };
  const metrics = obj(obj(details.flow_progress)?.metrics);
  if (metrics) walk(metrics, flow);
}

function syntheticTemplate(pipelineId: string, name: string): Json[] {
  const base = Date.UTC(2026, 0, 1);
  const mk = (s: number, type: string, message: string, details: Json): Json => ({
    id: `t-${s}`,
    timestamp: new Date(base + s * 1000).toISOString(),
    event_type: type,
    level: 'INFO',
    message,
    maturity_level: 'STABLE',
    origin: { pipeline_id: pipelineId, pipeline_name: name },
    details,
  });
  return [
    mk(0, 'create_update', 'Update started by API_CALL.', { create_update: { cause: 'API_CALL' } }),
    mk(1, 'update_progress', 'Update is RUNNING.', { update_progress: { state: 'RUNNING' } }),
    mk(60, 'update_progress', 'Update is COMPLETED.', { update_progress: { state: 'COMPLETED' } }),
  ];
}

// ------------------------------------------------------------------------------------------------
// HTTP

export async function startDemoRestServer(data: DemoRestData, opts: DemoRestServerOptions = {}): Promise<DemoRestServer> {
  const state = createDemoState(data, { updateDurationMs: opts.updateDurationMs, now: opts.now });
  let fault: (Fault & { remaining: number }) | null = null;
  const faults: FaultSwitches = {
    set(f) {
      fault = f.count !== undefined && f.count <= 0 ? null : { ...f, remaining: f.count ?? Number.POSITIVE_INFINITY };
    },
    clear() {
      fault = null;
    },
  };
  const takeFault = (path: string): Fault | null => {
    if (!fault || !path.startsWith('/api/')) return null;
    if (fault.paths && !fault.paths.test(path)) return null;
    const f = fault;
    f.remaining -= 1;
    if (f.remaining <= 0) fault = null;
    return f;
  };
  const pending = new Set<NodeJS.Timeout>();
  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        pending.delete(t);
        resolve();
      }, ms);
      pending.add(t);
    });

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (err instanceof HttpError) sendJson(res, err.status, { error_code: err.errorCode, message: err.message });
      else sendJson(res, 500, { error_code: 'INTERNAL_ERROR', message: 'The demo server failed.' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://demo.local');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (opts.token !== undefined && (path.startsWith('/api/') || path.startsWith('/__demo/'))) {
      if (req.headers.authorization !== `Bearer ${opts.token}`)
        throw new HttpError(401, 'UNAUTHENTICATED', 'Credential was not sent or was of an unsupported type for this API.');
    }
    if (path === '/__demo/faults') {
      if (method === 'DELETE') {
        faults.clear();
        return sendJson(res, 200, {});
      }
      if (method !== 'POST') throw new HttpError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${path}'`);
      const b = await readJson(req);
      if (b.clear === true) faults.clear();
      else faults.set(parseFault(b));
      return sendJson(res, 200, {});
    }

    const f = takeFault(path);
    if (f?.latencyMs) await delay(f.latencyMs);
    if (res.destroyed) return;
    if (f?.reset) {
      req.socket.destroy();
      return;
    }
    if (f?.status) {
      const code = f.status === 429 ? 'REQUEST_LIMIT_EXCEEDED' : f.status === 503 ? 'TEMPORARILY_UNAVAILABLE' : 'INTERNAL_ERROR';
      const headers: Record<string, string> = f.retryAfterS !== undefined ? { 'Retry-After': String(f.retryAfterS) } : {};
      return sendJson(res, f.status, { error_code: code, message: `Demo fault: ${f.status}` }, headers);
    }
    const body = await route(method, path, url.searchParams, req);
    sendJson(res, 200, body, {}, f?.truncate === true);
  }

  async function route(method: string, path: string, q: URLSearchParams, req: IncomingMessage): Promise<unknown> {
    if (path === '/api/2.0/pipelines' && method === 'GET') return listPipelines(state, q);
    // lifecycle (pipeline-lifecycle.ts): create, stop, delete
    if (path === '/api/2.0/pipelines' && method === 'POST') return state.createPipeline(await readJson(req));
    if (path === '/api/2.1/clusters/get' && method === 'GET') return getCluster(state, q);
    if ((path === '/api/2.1/clusters/list-node-types' || path === '/api/2.0/clusters/list-node-types') && method === 'GET' && data.nodeTypes) {
      return { node_types: data.nodeTypes.map((n) => clone(n as Json)) };
    }
    const m = /^\/api\/2\.0\/pipelines\/([^/]+)(?:\/(updates|events|stop)(?:\/([^/]+))?)?$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1]!);
      const sub = m[2];
      const uid = m[3] === undefined ? undefined : decodeURIComponent(m[3]);
      const p = state.get(id);
      if (!p) throw notFound(id);
      if (!sub && method === 'GET') return clone(p.body);
      if (!sub && method === 'PUT') {
        state.editPipeline(id, await readJson(req));
        return {};
      }
      if (!sub && method === 'DELETE') {
        state.deletePipeline(id, cascadeParam(q));
        return {};
      }
      if (sub === 'stop' && uid === undefined && method === 'POST') {
        state.stopPipeline(id);
        return {};
      }
      if (sub === 'updates' && uid === undefined && method === 'GET') return listUpdates(p, q);
      if (sub === 'updates' && uid === undefined && method === 'POST') return state.startUpdate(id, await readJson(req));
      if (sub === 'updates' && uid !== undefined && method === 'GET') {
        const u = p.updates.find((x) => x.update_id === uid);
        if (!u) throw new HttpError(404, 'RESOURCE_DOES_NOT_EXIST', `The specified update ${uid} was not found.`);
        return { update: { ...clone(u), config: clone(p.body.spec ?? {}), mode: p.body.spec && obj(p.body.spec)?.continuous ? 'CONTINUOUS' : 'DEFAULT' } };
      }
      if (sub === 'events' && uid === undefined && method === 'GET') return listEvents(p, q);
    }
    throw new HttpError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${path}'`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    state,
    async close() {
      state.close();
      for (const t of pending) clearTimeout(t);
      pending.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseFault(b: Json): Fault {
  const f: Fault = {};
  if (b.status !== undefined) {
    if (![429, 500, 503].includes(Number(b.status))) throw invalid('status must be 429, 500 or 503');
    f.status = Number(b.status) as 429 | 500 | 503;
  }
  for (const k of ['retryAfterS', 'count', 'latencyMs'] as const) {
    if (b[k] === undefined) continue;
    const n = Number(b[k]);
    if (!Number.isFinite(n) || n < 0) throw invalid(`${k} must be a non-negative number`);
    f[k] = n;
  }
  if (b.reset === true) f.reset = true;
  if (b.truncate === true) f.truncate = true;
  if (typeof b.paths === 'string') {
    try {
      f.paths = new RegExp(b.paths);
    } catch {
      throw invalid('paths must be a regular expression');
    }
  }
  return f;
}

// ---- handlers ----------------------------------------------------------------------------------

function intParam(q: URLSearchParams, name: string, def: number, max: number): number {
  const raw = q.get(name);
  if (raw === null) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw invalid(`${name} must be a positive integer, got '${raw}'.`);
  if (n > max) throw invalid(`${name} must be at most ${max}, got ${n}.`);
  return n;
}

function offsetPage<T>(items: T[], q: URLSearchParams, def: number, max: number, key: string) {
  const maxResults = intParam(q, 'max_results', def, max);
  let offset = 0;
  const token = q.get('page_token');
  if (token !== null) {
    const t = decodeToken(token);
    if (!t || t.k !== key || typeof t.o !== 'number') throw invalid('Invalid page_token.');
    offset = t.o;
  }
  const page = items.slice(offset, offset + maxResults);
  const next = offset + maxResults < items.length ? encodeToken({ k: key, o: offset + maxResults }) : undefined;
  const prev = offset > 0 ? encodeToken({ k: key, o: Math.max(0, offset - maxResults) }) : undefined;
  return { page, next, prev };
}

function listPipelines(state: DemoStateInternals, q: URLSearchParams) {
  const filter = q.get('filter');
  let items = state.all();
  if (filter) {
    const like = /^\s*name\s+like\s+'(.*)'\s*$/i.exec(filter);
    const nb = /^\s*notebook\s*=\s*'(.*)'\s*$/i.exec(filter);
    if (like) {
      const re = likeToRegExp(like[1]!);
      items = items.filter((p) => re.test(String(p.body.name ?? '')));
    } else if (nb) {
      items = items.filter((p) => {
        const libs = (obj(p.body.spec)?.libraries as Json[] | undefined) ?? [];
        return libs.some((l) => obj(l.notebook)?.path === nb[1]);
      });
    } else throw invalid(`Invalid filter '${filter}': use name LIKE '%x%' or notebook='<path>'.`);
  }
  const order = q.get('order_by');
  if (order) {
    const m = /^\s*(id|name)(?:\s+(asc|desc))?\s*$/i.exec(order);
    if (!m) throw invalid(`Invalid order_by '${order}'.`);
    const field = m[1]!.toLowerCase();
    const dir = (m[2] ?? 'asc').toLowerCase() === 'desc' ? -1 : 1;
    const keyOf = (p: PipelineState) => (field === 'id' ? p.id : String(p.body.name ?? ''));
    items = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -dir : keyOf(a) > keyOf(b) ? dir : 0));
  }
  const { page, next } = offsetPage(items, q, 25, 100, `p:${filter ?? ''}:${order ?? ''}`);
  const statuses = page.map((p) => {
    const { spec: _spec, last_modified: _lm, ...rest } = p.body;
    return clone(rest);
  });
  return { statuses, ...(next ? { next_page_token: next } : {}) };
}

function listUpdates(p: PipelineState, q: URLSearchParams) {
  const { page, next, prev } = offsetPage(p.updates, q, 25, 100, `u:${p.id}`);
  return {
    updates: page.map((u) => {
      const { config: _c, mode: _m, ...rest } = u;
      return clone(rest);
    }),
    ...(next ? { next_page_token: next } : {}),
    ...(prev ? { prev_page_token: prev } : {}),
  };
}

type EventCursor = { k: 'e'; f: string | null; asc: boolean; ts: number; id: string };

function listEvents(p: PipelineState, q: URLSearchParams) {
  const token = q.get('page_token');
  const maxResults = intParam(q, 'max_results', 25, 1000);
  let filter: string | null;
  let asc: boolean;
  let after: { ts: number; id: string } | null = null;
  if (token !== null) {
    if (q.has('filter') || q.has('order_by'))
      throw invalid('page_token cannot be combined with filter or order_by; send page_token (and max_results) only.');
    const t = decodeToken(token) as EventCursor | null;
    if (!t || t.k !== 'e') throw invalid('Invalid page_token.');
    filter = t.f;
    asc = t.asc;
    after = { ts: t.ts, id: t.id };
  } else {
    filter = q.get('filter');
    const orders = q.getAll('order_by');
    if (orders.length > 1) throw invalid('order_by supports one field: timestamp.');
    const o = orders[0];
    const m = o === undefined ? null : /^\s*timestamp(?:\s+(asc|desc))?\s*$/i.exec(o);
    if (o !== undefined && !m) throw invalid(`Invalid order_by '${o}': only "timestamp asc" or "timestamp desc".`);
    asc = (m?.[1] ?? 'desc').toLowerCase() === 'asc';
  }
  const pred = parseEventFilter(filter);
  const evs = p.events; // sorted ascending
  // first index strictly after the cursor (ascending) or strictly before it (descending)
  let i: number;
  if (!after) i = asc ? 0 : evs.length - 1;
  else {
    let lo = 0;
    let hi = evs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareEntries(evs[mid]!, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    // lo = first index > cursor
    i = asc ? lo : lo - 1;
    if (!asc && i >= 0 && compareEntries(evs[i]!, after) === 0) i -= 1;
  }
  const out: EventEntry[] = [];
  let more = false;
  for (; asc ? i < evs.length : i >= 0; i += asc ? 1 : -1) {
    const e = evs[i]!;
    if (!pred(e)) continue;
    if (out.length === maxResults) {
      more = true;
      break;
    }
    out.push(e);
  }
  const last = out[out.length - 1];
  return {
    events: out.map((e) => toRestEvent(e.row)),
    ...(more && last ? { next_page_token: encodeToken({ k: 'e', f: filter, asc, ts: last.ts, id: last.id } satisfies EventCursor) } : {}),
  };
}

/** The REST filter grammar: level='X', level in ('X','Y'), id='…', timestamp <op> 'ISO', joined by AND. */
export function parseEventFilter(filter: string | null): (e: EventEntry) => boolean {
  if (!filter || !filter.trim()) return () => true;
  const preds = filter.split(/\s+and\s+/i).map((clause): ((e: EventEntry) => boolean) => {
    const c = clause.trim();
    let m = /^level\s*=\s*'(\w+)'$/i.exec(c);
    if (m) {
      const lvl = m[1]!.toUpperCase();
      return (e) => String(e.row.level ?? '').toUpperCase() === lvl;
    }
    m = /^level\s+in\s*\(([^)]*)\)$/i.exec(c);
    if (m) {
      const vals = m[1]!.split(',').map((v) => v.trim());
      if (vals.some((v) => !/^'\w+'$/.test(v))) throw invalid(`Invalid filter clause '${c}'.`);
      const set = new Set(vals.map((v) => v.slice(1, -1).toUpperCase()));
      return (e) => set.has(String(e.row.level ?? '').toUpperCase());
    }
    m = /^id\s*=\s*'([^']*)'$/i.exec(c);
    if (m) {
      const id = m[1]!;
      return (e) => e.id === id;
    }
    m = /^timestamp\s*(>=|<=|>|<|=)\s*'([^']+)'$/i.exec(c);
    if (m) {
      const t = Date.parse(m[2]!);
      if (!Number.isFinite(t)) throw invalid(`Invalid timestamp in filter clause '${c}'.`);
      const op = m[1]!;
      return (e) => (op === '>' ? e.ts > t : op === '>=' ? e.ts >= t : op === '<' ? e.ts < t : op === '<=' ? e.ts <= t : e.ts === t);
    }
    throw invalid(`Invalid filter clause '${c}': supported are level='X', level in (…), id='…' and timestamp <op> '…' joined by AND.`);
  });
  return (e) => preds.every((p) => p(e));
}

/** REST has no `details`; origin/sequence/error are objects */
function toRestEvent(row: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === 'details') continue;
    if ((k === 'origin' || k === 'sequence' || k === 'error') && typeof v === 'string') {
      const parsed = safeJson(v);
      if (parsed !== undefined) out[k] = parsed;
      continue;
    }
    if (v === null || v === undefined) continue;
    out[k] = k === 'timestamp' ? new Date(toMs(v)).toISOString() : clone(v);
  }
  return out;
}

function getCluster(state: DemoStateInternals, q: URLSearchParams) {
  const clusterId = q.get('cluster_id');
  if (!clusterId) throw invalid('Missing required field: cluster_id');
  for (const p of state.all()) {
    const ids = new Set<string>();
    if (typeof p.body.cluster_id === 'string') ids.add(p.body.cluster_id);
    for (const u of p.updates) if (typeof u.cluster_id === 'string') ids.add(u.cluster_id);
    if (!ids.has(clusterId)) for (const e of p.events) {
      const c = originOf(e.row).cluster_id;
      if (typeof c === 'string') ids.add(c);
    }
    if (!ids.has(clusterId)) continue;
    const spec = obj(p.body.spec) ?? {};
    const clusters = Array.isArray(spec.clusters) ? (spec.clusters as Json[]) : [];
    const c = clusters.find((x) => x.label === undefined || x.label === 'default' || x.label === 'updates') ?? clusters[0] ?? {};
    const current = p.body.cluster_id === clusterId;
    return {
      cluster_id: clusterId,
      cluster_name: `dlt-execution-${p.id}`,
      state: current && p.body.state === 'RUNNING' ? 'RUNNING' : 'TERMINATED',
      spark_version: 'dlt:16.4.x-scala2.12',
      node_type_id: c.node_type_id ?? null,
      driver_node_type_id: c.driver_node_type_id ?? c.node_type_id ?? null,
      ...(obj(c.autoscale) ? { autoscale: clone(c.autoscale) } : { num_workers: typeof c.num_workers === 'number' ? c.num_workers : 0 }),
      cluster_source: 'PIPELINE',
      spark_conf: clone(c.spark_conf ?? {}),
      custom_tags: clone(c.custom_tags ?? {}),
      default_tags: { PipelineId: p.id, ClusterName: `dlt-execution-${p.id}`, ClusterId: clusterId },
      ...(obj(c.aws_attributes) ? { aws_attributes: clone(c.aws_attributes) } : {}),
      ...(obj(c.azure_attributes) ? { azure_attributes: clone(c.azure_attributes) } : {}),
    };
  }
  throw invalid(`Cluster ${clusterId} does not exist`);
}

// ---- small helpers -----------------------------------------------------------------------------

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, truncate = false) {
  if (res.destroyed || res.headersSent) return;
  let buf = Buffer.from(JSON.stringify(body));
  if (truncate) buf = buf.subarray(0, Math.floor(buf.length / 2));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(buf.length), ...headers });
  res.end(buf);
}

async function readJson(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 5_000_000) throw new HttpError(400, 'MALFORMED_REQUEST', 'Request body too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  const v = safeJson(text);
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new HttpError(400, 'MALFORMED_REQUEST', 'Could not parse request body as a JSON object.');
  return v as Json;
}

function likeToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function encodeToken(t: object): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}
function decodeToken(s: string): Record<string, unknown> | null {
  const v = safeJson(Buffer.from(s, 'base64url').toString('utf8'));
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
}

function toEntry(row: Json, i: number): EventEntry {
  return { row, ts: toMs(row.timestamp), id: typeof row.id === 'string' ? row.id : `ev-${String(i).padStart(8, '0')}` };
}
function compareEntries(a: { ts: number; id: string }, b: { ts: number; id: string }) {
  return a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function toMs(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') {
    const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
    return Number.isFinite(t) ? t : 0;
  }
  return 0;
}

function originOf(row: Json): Json {
  const o = typeof row.origin === 'string' ? safeJson(row.origin) : row.origin;
  return obj(o) ?? {};
}
function progressState(row: Json): string | undefined {
  const d = typeof row.details === 'string' ? safeJson(row.details) : row.details;
  const s = obj(obj(d)?.update_progress)?.state;
  return typeof s === 'string' ? s : undefined;
}

function obj(v: unknown): Json | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}
function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}
function clamp(x: number, lo: number, hi: number) {
  return Math.min(hi, Math.max(lo, x));
}

