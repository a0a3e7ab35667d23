/**
 * A live (or demo) workspace as a `Source`: REST for the pipeline, its updates and (fallback)
 * events without details; SQL for the event log with details, the update history, node metrics
 * and cost. Independent statements run in parallel, in one round when REST names the update.
 * Without a warehouse, or without the grant to read the event log, the diagnosis is REST-only and
 * says exactly what to grant or configure. `collectRaw` gathers Databricks' own shapes (what
 * `export` writes as a bundle); `evidenceFrom` turns them into Evidence; concurrent identical
 * `collect` calls share one promise (single flight, short TTL).
 */
import { updateNotFound } from '../diagnosis/build-evidence/update-set.js';
import { DoctorError, pipelineNotFound } from '../errors.js';
import type { CostInfo, Evidence, EvidenceWindow } from '../diagnosis/evidence.js';
import { buildEvidence, costFromRows, EventAccumulator, foldSummaries, pipelineSpecFrom } from '../diagnosis/build-evidence/index.js';
import { overviewCluster, overviewEvents, readSummaries, summariesFrom, windowOf, type SummaryRows } from './update-summaries.js';
import { writeBundle } from '../bundle/write.js';
import type { CollectOptions, ExportOptions, ExportResult, PipelineSummary, Source } from '../source.js';
import type { PipelineDetails, RestClient } from './rest.js';
import { EventRowSchema, ListPriceRowSchema, NodeTimelineRowSchema, UsageRowSchema, type EventRow, type RawNodeType, type RawPipeline, type RawUpdate } from './schemas.js';
import type { EventSource, QueryName, SqlParams, Warehouse } from './sql.js';
import { costBackendFromRest } from '../digest/backend.js';
import { parseWorkerLoad } from '../digest/utilization.js';
import { createFleetBacklogReader } from './fleet-backlog.js';
import { createFleetReader } from './fleet-reader.js';
import { FLEET_HISTORY_DAYS, listPipelineSummaries } from './pipeline-list.js';
import { SAVINGS_PERIOD_DAYS } from '../diagnosis/right-size.js';

const DAY = 86_400_000;
const HISTORY_DAYS = 60;
/** the cost period: the week right-sizing is priced on, as in `cost` and the digest (right-size.ts) */
const COST_DAYS = SAVINGS_PERIOD_DAYS;
/** a continuous pipeline's update is judged on its last 8 hours unless `--window` says otherwise (issue 16) */
export const DEFAULT_WINDOW_MINUTES = 480;
const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELED']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface WorkspaceSourceOptions {
  rest: RestClient;
  /** null: no SQL warehouse configured → REST-only diagnosis */
  warehouse: Warehouse | null;
  kind: 'workspace' | 'demo';
  /** workspace URL for links, e.g. https://adb-1.2.azuredatabricks.net */
  host: string;
  /** DLT_DOCTOR_EVENT_SOURCE: event_log (default), published, system_table */
  eventSource?: 'event_log' | 'published' | 'system_table';
  now?: () => number;
  /**
   * an offline bundle served as a workspace (src/bundle/read.ts): a file it does not hold is no
   * outage, so no note says the node types "could not be read"
   */
  offline?: boolean;
  /** how long a collected Evidence is reused for the same pipeline and update (wall clock), default 5 000; 0: single flight only */
  collectCacheTtlMs?: number;
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** Up to 3 names close to `ref`: containing it first, then by edit distance (within a third of the length). */
export function suggestNames(ref: string, names: readonly string[]): string[] {
  const r = ref.toLowerCase();
  const scored = names
    .map((name) => {
      const n = name.toLowerCase();
      const d = editDistance(r, n);
      const contains = n.includes(r) || r.includes(n);
      return { name, score: contains ? -1 / (1 + d) : d, ok: contains || d <= Math.max(2, Math.ceil(Math.max(r.length, n.length) / 3)) };
    })
    .filter((s) => s.ok)
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return [...new Set(scored.map((s) => s.name))].slice(0, 3);
}

const ms = (v: unknown): number | null => {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v;
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(String(v)) ? String(v) : `${String(v).replace(' ', 'T')}Z`);
  return Number.isFinite(t) ? t : null;
};
const numOrNull = (v: unknown): number | null => {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

interface HistoryRow {
  updateId: string;
  createdAt: number | null;
  firstEventAt: number;
  endedAt: number | null;
  state: string | null;
  cause: string | null;
  fullRefresh: boolean | null;
  outputRows: number | null;
  /** first time in each update_progress state, in the order the update went through them */
  states: { state: string; at: number }[];
  dbrVersion: string | null;
  peakExecutors: number | null;
  /** flows that reported a status */
  flows: number | null;
}

/** the update_progress states update-history.sql dates (their first time), before the end state */
const HISTORY_STATES = [
  ['CREATED', 'created_state_at'],
  ['QUEUED', 'queued_at'],
  ['WAITING_FOR_RESOURCES', 'waiting_at'],
  ['INITIALIZING', 'initializing_at'],
  ['SETTING_UP_TABLES', 'setting_up_at'],
  ['RESETTING', 'resetting_at'],
  ['RUNNING', 'running_at'],
] as const;
/** at most this many flow rows stand for an earlier update's flows (the count is all what-changed reads) */
const MAX_HISTORY_FLOWS = 1000;

function historyRows(rows: Record<string, unknown>[]): HistoryRow[] {
  const out: HistoryRow[] = [];
  for (const r of rows) {
    const updateId = typeof r.update_id === 'string' ? r.update_id : null;
    const firstEventAt = ms(r.first_event_at);
    if (!updateId || firstEventAt === null) continue;
    const metricEvents = numOrNull(r.flow_metric_events) ?? 0;
    out.push({
      updateId,
      createdAt: ms(r.created_at),
      firstEventAt,
      endedAt: ms(r.ended_at),
      state: typeof r.state === 'string' ? r.state : null,
      cause: typeof r.cause === 'string' ? r.cause : null,
      fullRefresh: r.full_refresh === true || r.full_refresh === 'true' ? true : r.full_refresh === false || r.full_refresh === 'false' ? false : null,
      outputRows: metricEvents > 0 ? numOrNull(r.output_rows) : null,
      states: HISTORY_STATES.flatMap(([state, col]) => {
        const at = ms(r[col]);
        return at === null ? [] : [{ state, at }];
      }).sort((a, b) => a.at - b.at),
      dbrVersion: typeof r.dbr_version === 'string' && r.dbr_version !== '' ? r.dbr_version : null,
      peakExecutors: numOrNull(r.peak_executors),
      flows: numOrNull(r.flows),
    });
  }
  return out;
}

/**
 * The aggregate of an earlier update as the few event rows that carry it (create_update, the first
 * update_progress of each state and the final one, runtime_details, one cluster_resources with the
 * peak executors, a status row per flow, one flow_progress with the update's output rows), so
 * buildEvidence derives the history, baseline and what-changed from one code path whatever the source.
 */
function historyEvents(pipelineId: string, h: HistoryRow): EventRow[] {
  const origin = { pipeline_id: pipelineId, update_id: h.updateId };
  const start = h.createdAt ?? h.firstEventAt;
  const rows: EventRow[] = [
    { id: `history-${h.updateId}-create`, timestamp: start, event_type: 'create_update', origin, details: { create_update: { cause: h.cause, full_refresh: h.fullRefresh } } },
  ];
  // the phases: each state at its first time, then the end state (buildEvidence's phase code reads them)
  for (const st of h.states) {
    if (h.endedAt !== null && st.at > h.endedAt) continue;
    rows.push({ id: `history-${h.updateId}-${st.state}`, timestamp: st.at, event_type: 'update_progress', origin, details: { update_progress: { state: st.state } } });
  }
  if (h.dbrVersion) {
    rows.push({ id: `history-${h.updateId}-runtime`, timestamp: start, event_type: 'runtime_details', origin, details: { runtime_details: { runtime_version: { dbr_version: h.dbrVersion } } } });
  }
  if (h.peakExecutors !== null && h.peakExecutors > 0) {
    const at = h.states.find((x) => x.state === 'RUNNING')?.at ?? start;
    rows.push({ id: `history-${h.updateId}-executors`, timestamp: at, event_type: 'cluster_resources', origin, details: { cluster_resources: { num_executors: h.peakExecutors } } });
  }
  // the flow count: one status row per flow, named only by its number (names are not compared)
  for (let i = 1; i <= Math.min(h.flows ?? 0, MAX_HISTORY_FLOWS); i++) {
    rows.push({ id: `history-${h.updateId}-flow-${i}`, timestamp: h.endedAt ?? start, event_type: 'flow_progress', origin: { ...origin, flow_name: `(flow ${i})` }, details: { flow_progress: { status: 'COMPLETED' } } });
  }
  if (h.endedAt !== null && h.state) {
    rows.push({ id: `history-${h.updateId}-end`, timestamp: h.endedAt, event_type: 'update_progress', origin, details: { update_progress: { state: h.state } } });
  }
  if (h.outputRows !== null) {
    rows.push({
      id: `history-${h.updateId}-rows`,
      timestamp: h.endedAt ?? start,
      event_type: 'flow_progress',
      origin: { ...origin, flow_name: '(update total)' },
      details: { flow_progress: { metrics: { num_output_rows: h.outputRows } } },
    });
  }
  return rows;
}

/** newest update with an end state, else the running one (CONTRACT §1) */
function chooseUpdate(updates: RawUpdate[], history: HistoryRow[]): string | null {
  const sorted = [...updates].sort((a, b) => (b.creation_time ?? 0) - (a.creation_time ?? 0));
  const ended = sorted.find((u) => u.state && TERMINAL.has(u.state));
  if (ended) return ended.update_id;
  const fromHistory = [...history].sort((a, b) => b.firstEventAt - a.firstEventAt);
  return fromHistory.find((h) => h.endedAt !== null)?.updateId ?? sorted[0]?.update_id ?? fromHistory[0]?.updateId ?? null;
}

/**
 * `--update` that REST does not list, resolved against the event log's updates (an id or a unique
 * prefix); none there: UPDATE_NOT_FOUND naming those it has. Without a history, taken as given.
 */
function updateInHistory(wanted: string, history: HistoryRow[], listed: RawUpdate[]): string {
  if (history.length === 0 || history.some((h) => h.updateId === wanted)) return wanted;
  const prefixed = history.filter((h) => h.updateId.toLowerCase().startsWith(wanted.toLowerCase()));
  if (prefixed.length === 1) return prefixed[0]!.updateId;
  const ids = [...new Set([...listed.map((u) => u.update_id), ...history.map((h) => h.updateId)])];
  throw updateNotFound(wanted, ids);
}

/**
 * What a workspace diagnosis reads, in Databricks' own shapes, before any interpretation:
 * `collect` builds the Evidence from it, `export` writes it as a bundle (CONTRACT.md §1).
 */
export interface RawCollection {
  pipelineId: string;
  /** GET /api/2.0/pipelines/{id}, parsed, with the spec exactly as received (rawSpec) */
  pipeline: PipelineDetails;
  /** GET …/updates; null when that call failed */
  updates: RawUpdate[] | null;
  /** the update the SQL event log was read for; otherwise the one asked for (or undefined: buildEvidence chooses) */
  updateId: string | undefined;
  /** event-log rows of that update as the warehouse returned them (export); null when not read */
  sqlEvents: Record<string, unknown>[] | null;
  /** the update summary statements' rows for that update (a diagnosis); null when not read */
  summaries?: SummaryRows | null;
  /** the part of the update the summaries cover; null or absent: all of it */
  window?: EvidenceWindow | null;
  /** earlier updates of the history query, as the few event rows that carry their summary */
  historyEvents: EventRow[];
  /** REST events (no details) when the SQL event log was not available */
  restEvents: EventRow[] | null;
  /** system.compute.node_timeline rows as returned; null when not read (serverless, no grant, …) */
  nodeTimeline: Record<string, unknown>[] | null;
  /** aggregate: update-cost and pipeline-cost rows (collect); rows: usage and list-price rows (export) */
  cost:
    | { kind: 'aggregate'; update: Record<string, unknown> | null; period: Record<string, unknown>; utilization?: Record<string, unknown> | null }
    | { kind: 'rows'; usage: Record<string, unknown>[]; prices: Record<string, unknown>[]; utilization?: Record<string, unknown> | null }
    | null;
  /** GET /api/2.1/clusters/list-node-types node_types[]; null when not read (serverless) or the call failed */
  nodeTypes?: RawNodeType[] | null;
  gaps: Evidence['gaps'];
  notes: string[];
  /** the "now" the periods were computed from */
  now: number;
}

const originOf = (row: Record<string, unknown>): Record<string, unknown> | null => {
  const o = row.origin;
  if (o && typeof o === 'object') return o as Record<string, unknown>;
  if (typeof o === 'string') {
    try {
      const parsed: unknown = JSON.parse(o);
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  return null;
};

/** the SQL cost rows → CostInfo (null when the pipeline has no usage in the period or the update) */
function costFromAggregates(update: Record<string, unknown> | null, period: Record<string, unknown>, utilization: Record<string, unknown> | null): CostInfo | null {
  const updateDbus = update && numOrNull(update.usage_rows) ? numOrNull(update.dbus) : null;
  const cost: CostInfo = {
    updateDbus,
    // unpriced usage is worth $0, as in pipeline-cost.sql's coalesce and costFromRows
    updateDollars: updateDbus === null ? null : (numOrNull(update?.dollars) ?? 0),
    periodDbus: numOrNull(period.dbus) ?? 0,
    periodDollars: numOrNull(period.dollars) ?? 0,
    maintenanceDbus: numOrNull(period.maintenance_dbus) ?? 0,
    maintenanceDollars: numOrNull(period.maintenance_dollars) ?? 0,
    periodDays: COST_DAYS,
    ...(utilization ? { periodLoad: parseWorkerLoad(utilization) } : {}),
  };
  return cost.periodDbus === 0 && updateDbus === null ? null : cost;
}

/** RawCollection → Evidence: the same buildEvidence every source uses. */
export function evidenceFrom(raw: RawCollection): Evidence {
  const acc = new EventAccumulator();
  const notes = [...raw.notes];
  if (raw.summaries && raw.updateId) {
    const { summaries, skipped } = summariesFrom(raw.updateId, raw.summaries);
    foldSummaries(acc, summaries);
    if (skipped) notes.push(`${skipped} summary rows of the event log did not match their schema and were skipped`);
  }
  if (raw.sqlEvents) {
    let skipped = 0;
    for (const e of raw.sqlEvents) {
      const row = EventRowSchema.safeParse(e);
      if (row.success) acc.add(row.data);
      else skipped++;
    }
    if (skipped) notes.push(`${skipped} event-log rows did not match the event schema and were skipped`);
  }
  for (const e of raw.historyEvents) acc.add(e);
  for (const e of raw.restEvents ?? []) acc.add(e);
  if (acc.count === 0) throw new DoctorError('NO_EVENTS', `Pipeline "${raw.pipeline.name ?? raw.pipelineId}" has no events yet.`);
  const serverless = raw.pipeline.spec?.serverless === true;
  const nodeTimeline = serverless || raw.nodeTimeline === null
    ? null
    : raw.nodeTimeline.flatMap((r) => {
        const p = NodeTimelineRowSchema.safeParse(r);
        return p.success ? [p.data] : [];
      });
  let cost: CostInfo | null = null;
  if (raw.cost?.kind === 'aggregate') cost = costFromAggregates(raw.cost.update, raw.cost.period, raw.cost.utilization ?? null);
  else if (raw.cost?.kind === 'rows') {
    const usage = raw.cost.usage.flatMap((r) => {
      const p = UsageRowSchema.safeParse(r);
      return p.success ? [p.data] : [];
    });
    const prices = raw.cost.prices.flatMap((r) => {
      const p = ListPriceRowSchema.safeParse(r);
      return p.success ? [p.data] : [];
    });
    cost = costFromRows(usage, prices, { pipelineId: raw.pipelineId, ...(raw.updateId ? { updateId: raw.updateId } : {}), now: raw.now, days: COST_DAYS });
    if (cost && raw.cost.utilization) cost.periodLoad = parseWorkerLoad(raw.cost.utilization);
  }
  return buildEvidence({
    pipeline: raw.pipeline,
    updates: raw.updates,
    events: acc,
    nodeTimeline,
    cost,
    nodeTypes: raw.nodeTypes ?? null,
    updateId: raw.updateId,
    gaps: raw.gaps,
    notes,
    ...(raw.window ? { window: raw.window } : {}),
  });
}

/** pipeline.json: the GET body with the spec as received, so settings the schema does not name survive */
function pipelineBody(p: PipelineDetails): Record<string, unknown> {
  const { rawSpec, ...body } = p;
  return rawSpec ? { ...body, spec: rawSpec } : body;
}

/** events.jsonl rows: SQL rows as fetched, then the history summaries / REST events with ISO timestamps */
function* eventLines(raw: RawCollection): Generator<unknown> {
  for (const e of raw.sqlEvents ?? []) yield e;
  for (const e of [...raw.historyEvents, ...(raw.restEvents ?? [])]) yield { ...e, timestamp: new Date(e.timestamp).toISOString() };
}

/** what gather reads: cost as aggregates (a diagnosis) or rows (export); events as summaries (a diagnosis) or every row (export) */
type GatherOptions = CollectOptions & { cost?: 'aggregate' | 'rows'; events?: 'summaries' | 'rows' };

export function createWorkspaceSource(opts: WorkspaceSourceOptions): Source {
  const { rest, warehouse } = opts;
  const now = opts.now ?? Date.now;
  const host = opts.host.replace(/\/+$/, '');
  const base = /^https?:\/\//.test(host) ? host : `https://${host}`;

  /** which event-log relation to read for this pipeline, plus a note when the config cannot be honoured */
  function eventSourceFor(pipeline: RawPipeline): { source: EventSource; note: string | null } {
    if (opts.eventSource === 'system_table') return { source: { kind: 'system_table' }, note: null };
    if (opts.eventSource === 'published') {
      const el = pipelineSpecFrom(pipeline).spec.eventLog;
      if (el) return { source: { kind: 'table', table: `${el.catalog}.${el.schema}.${el.name}` }, note: null };
      return {
        source: { kind: 'event_log' },
        note: 'DLT_DOCTOR_EVENT_SOURCE=published but this pipeline does not publish its event log (no event_log setting): read it with event_log() instead',
      };
    }
    return { source: { kind: 'event_log' }, note: null };
  }

  async function sql(name: QueryName, params: SqlParams, source?: EventSource): Promise<Record<string, unknown>[]> {
    if (!warehouse) throw new Error('no warehouse');
    return warehouse.query(name, params, source ? { eventSource: source } : undefined);
  }

  /** Runs a query; a refusal or outage becomes a note (and null) instead of failing the diagnosis. */
  async function optional<T>(what: string, run: () => Promise<T>, notes: string[]): Promise<T | null> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof DoctorError && (err.code === 'PERMISSION_DENIED' || err.code === 'SOURCE_UNAVAILABLE')) {
        notes.push(`${what} unavailable: ${err.message}${err.hint ? ` To fix: ${err.hint}` : ''}`);
        return null;
      }
      throw err;
    }
  }

  async function resolvePipeline(ref: string): Promise<{ id: string; name: string }> {
    const wanted = ref.trim();
    if (UUID.test(wanted)) {
      try {
        const p = await rest.getPipeline(wanted);
        return { id: p.pipeline_id, name: p.name ?? p.spec?.name ?? p.pipeline_id };
      } catch (err) {
        if (!(err instanceof DoctorError && err.code === 'PIPELINE_NOT_FOUND')) throw err;
      }
    }
    const all = await rest.listPipelines();
    const named = all.map((p) => ({ id: p.pipeline_id, name: p.name ?? p.pipeline_id }));
    const byId = named.find((p) => p.id.toLowerCase() === wanted.toLowerCase());
    if (byId) return byId;
    const exact = named.filter((p) => p.name === wanted);
    if (exact.length === 1) return exact[0]!;
    const matches = named.filter((p) => p.name.toLowerCase() === wanted.toLowerCase());
    if (matches.length === 1) return matches[0]!;
    // "Orders Silver" for orders_silver: spaces, hyphens and underscores alike, when only one matches
    const loose = (n: string) => n.toLowerCase().replace(/[\s_-]+/g, '_');
    const near = matches.length === 0 ? named.filter((p) => loose(p.name) === loose(wanted)) : [];
    if (near.length === 1) return near[0]!;
    if (matches.length > 1) {
      const ids = matches.slice(0, 3).map((m) => m.id);
      throw new DoctorError('PIPELINE_NOT_FOUND', `${matches.length} pipelines are named "${wanted}"; name one by id.`, {
        suggestions: ids,
        hint: `Did you mean ${ids.map((i) => `\`${i}\``).join(', ')}?`,
      });
    }
    throw pipelineNotFound(wanted, suggestNames(wanted, named.map((p) => p.name)));
  }

  /**
   * Everything collect reads, in Databricks' own shapes (what `export` writes as a bundle). One
   * round of SQL when REST names the update (or --update is one REST lists): the history, the
   * update's events, node metrics and cost run in parallel. Only when REST has no finished update
   * does the history run first, to choose one.
   */
  async function gather(id: string, options: GatherOptions = {}): Promise<RawCollection> {
    const costMode = options.cost ?? 'aggregate';
    const eventMode = options.events ?? 'summaries';
    const [pipeline, updates] = await Promise.all([rest.getPipeline(id), rest.listUpdates(id).catch(() => null)]);
    const listed = updates ?? [];
    // `--update 8f2c1e`: a prefix of one listed update id stands for it (ids are long UUIDs; the
    // bot's own output and the help show their first characters)
    if (options.updateId && !listed.some((u) => u.update_id === options.updateId)) {
      const want = options.updateId.toLowerCase();
      const matches = listed.filter((u) => u.update_id.toLowerCase().startsWith(want));
      if (matches.length === 1) options = { ...options, updateId: matches[0]!.update_id };
      else if (matches.length > 1) {
        const ids = matches.slice(0, 3).map((u) => u.update_id);
        throw new DoctorError('UPDATE_NOT_FOUND', `${matches.length} updates start with "${options.updateId.slice(0, 40)}"; give more of the id.`, {
          suggestions: ids,
          hint: `Updates starting so: ${ids.join(', ')}`,
        });
      }
    }
    const serverless = pipeline.spec?.serverless === true;
    // the node types the workspace offers, so a suggested node type is one it has; optional: a
    // refusal or outage leaves suggestions unchecked (a note), never fails the diagnosis
    const nodeTypesP: Promise<{ list: RawNodeType[] | null; note: string | null }> = serverless
      ? Promise.resolve({ list: null, note: null })
      : rest.listNodeTypes().then(
          (list) => ({ list, note: list.length === 0 ? 'The workspace listed no node types (GET /api/2.1/clusters/list-node-types): suggested node types are not checked against it.' : null }),
          (err: unknown) => ({
            list: null,
            note: opts.offline ? null : `The node types the workspace offers (GET /api/2.1/clusters/list-node-types) could not be read${err instanceof Error && err.message ? `: ${err.message}` : ''}; suggested node types are not checked against them.`,
          }),
        );
    const t = now();
    const raw: RawCollection = {
      pipelineId: id,
      pipeline,
      updates,
      updateId: options.updateId,
      sqlEvents: null,
      historyEvents: [],
      restEvents: null,
      nodeTimeline: null,
      cost: null,
      nodeTypes: null,
      gaps: updates === null ? ['updates_api'] : [],
      notes: [],
      now: t,
    };

    if (warehouse) {
      const { source, note } = eventSourceFor(pipeline);
      if (note) raw.notes.push(note);
      // each statement's notes in a fixed order, whatever order the parallel statements finish in
      const notesOf = {
        history: [] as string[], events: [] as string[], nodes: [] as string[], updateCost: [] as string[], periodCost: [] as string[], nodesLate: [] as string[],
      };
      const costSince = new Date(t - COST_DAYS * DAY);
      const costUntil = new Date(t);
      const historyP = optional('The update history (SQL)', () => sql('update-history', { pipeline_id: id, since: new Date(t - HISTORY_DAYS * DAY) }, source), notesOf.history)
        .then((rows) => (rows ? historyRows(rows) : []));
      const periodP = costMode === 'aggregate'
        ? optional('Pipeline cost (system.billing)', () => sql('pipeline-cost', { pipeline_id: id, since: costSince, until: costUntil }), notesOf.periodCost)
        : Promise.resolve(null);
      // the period's worker load, as `cost` and the digest read it: right-sizing is priced on it
      const utilizationP = !serverless
        ? optional('Cluster utilization (system.compute.node_timeline)', () => sql('digest-utilization', { period_start: costSince, period_end: costUntil, pipeline_ids: id }), notesOf.periodCost)
        : Promise.resolve(null);

      // a diagnosis reads node metrics bucketed (bounded rows), an export the table's own rows
      const nodeQuery = (cluster: string, from: number, until: number, into: string[]) =>
        optional('Node metrics (system.compute.node_timeline)', () =>
          sql(eventMode === 'summaries' ? 'node-timeline-buckets' : 'node-timeline', { cluster_id: cluster, start_time: new Date(from - 5 * 60_000), end_time: new Date(until + 5 * 60_000) }), into);
      /** the update's events: bounded summaries (a diagnosis, over `window` when there is one) or every row (export) */
      // the window: the minutes before the update's newest event (the statements compute it, so
      // it costs no extra round); stated even when the update is shorter (then all of it is read)
      const windowMinutes = options.windowMinutes ?? (pipeline.spec?.continuous === true ? DEFAULT_WINDOW_MINUTES : null);
      const eventsOf = async (updateId: string) => {
        const ids = { pipeline_id: id, update_id: updateId };
        if (eventMode === 'rows') return { rows: await sql('update-events', ids, source), summaries: null, window: null };
        const summaries = await readSummaries(sql, ids, windowMinutes, source);
        const window: EvidenceWindow | null = windowMinutes === null ? null : windowOf(summaries, windowMinutes, options.windowMinutes !== undefined);
        return { rows: null, summaries, window };
      };
      /** the statements about one update; `history` null while it is still running in parallel */
      const forUpdate = (updateId: string, history: HistoryRow[] | null) => {
        const listedUpdate = listed.find((u) => u.update_id === updateId);
        const h = history?.find((x) => x.updateId === updateId);
        const from = listedUpdate?.creation_time ?? h?.createdAt ?? h?.firstEventAt ?? t - DAY;
        // without the history the end is unknown: up to now (buildEvidence keeps the update's window)
        const until = h?.endedAt ?? t;
        const clusterId = listedUpdate?.cluster_id ?? null;
        // the update's span bounds its billing rows' usage_date (update-cost.sql, pipeline-usage.sql);
        // an update neither listed nor in the history may be older than a day: the history's reach then
        const startedAt = listedUpdate?.creation_time ?? h?.createdAt ?? h?.firstEventAt;
        const updateSpan = { update_start: new Date(startedAt ?? t - HISTORY_DAYS * DAY), update_end: new Date(until) };
        const costParams = { pipeline_id: id, update_id: updateId, since: costSince, until: costUntil, ...updateSpan };
        const running = !(listedUpdate?.state && TERMINAL.has(listedUpdate.state)) && !h?.endedAt;
        // a running update's window ends about now: its node metrics need not be read before it
        const nodeFrom = running && eventMode === 'summaries' && windowMinutes !== null ? Math.max(from, t - windowMinutes * 60_000) : from;
        return Promise.all([
          optional('The event log (SQL)', () => eventsOf(updateId), notesOf.events),
          !serverless && clusterId ? nodeQuery(clusterId, nodeFrom, until, notesOf.nodes) : Promise.resolve(null),
          costMode === 'aggregate'
            ? optional('Update cost (system.billing)', () => sql('update-cost', { pipeline_id: id, update_id: updateId, ...updateSpan }), notesOf.updateCost)
            : optional('Cost rows (system.billing)', () => Promise.all([sql('pipeline-usage', costParams), sql('list-prices', costParams)]), notesOf.updateCost),
        ]).then(([events, nodes, cost]) => ({ updateId, clusterId, from, events, nodes, cost }));
      };

      const terminalListed = [...listed].sort((a, b) => (b.creation_time ?? 0) - (a.creation_time ?? 0)).find((u) => u.state && TERMINAL.has(u.state));
      // a continuous pipeline's running update is the pipeline itself: it is what "why slow" asks about
      const newestListed = [...listed].sort((a, b) => (b.creation_time ?? 0) - (a.creation_time ?? 0))[0];
      const runningContinuous = pipeline.spec?.continuous === true && newestListed?.state && !TERMINAL.has(newestListed.state) ? newestListed : undefined;
      const known = options.updateId ?? runningContinuous?.update_id ?? terminalListed?.update_id ?? null;
      const inOneRound = known !== null && listed.some((u) => u.update_id === known);
      const [history, periodCost, utilization, firstTry] = await Promise.all([
        historyP,
        periodP,
        utilizationP,
        inOneRound
          ? forUpdate(known, null)
          : historyP.then((h) => {
              const updateId = options.updateId ? updateInHistory(options.updateId, h, listed) : chooseUpdate(listed, h);
              return updateId ? forUpdate(updateId, h) : null;
            }),
      ]);
      // REST's update has no rows in the event log (an offline bundle of other updates, a log
      // past retention): unless it was asked for, diagnose the newest update the log does have
      const hasRows = (u: typeof firstTry) => (u?.events?.rows ? u.events.rows.length > 0 : u?.events?.summaries ? overviewEvents(u.events.summaries) > 0 : false);
      let perUpdate = firstTry;
      if (firstTry && !hasRows(firstTry) && !options.updateId) {
        const fromLog = chooseUpdate([], history);
        if (fromLog && fromLog !== firstTry.updateId) perUpdate = await forUpdate(fromLog, history);
      }

      if (perUpdate) {
        const { updateId, events } = perUpdate;
        const rows = events?.rows ?? null;
        if (events && hasRows(perUpdate)) {
          raw.updateId = updateId;
          if (rows) {
            // the system-table variant carries update_id beside origin: put it where a reader looks
            raw.sqlEvents = rows.map((e) => {
              const uid = typeof e.update_id === 'string' ? e.update_id : null;
              if (!uid) return e;
              const origin = originOf(e);
              return origin?.update_id ? e : { ...e, origin: { ...origin, update_id: uid } };
            });
          } else {
            raw.summaries = events.summaries;
            raw.window = events.window;
          }
          for (const hrow of history) if (hrow.updateId !== updateId) raw.historyEvents.push(...historyEvents(id, hrow));
          raw.nodeTimeline = perUpdate.nodes;
          // no cluster id from REST: take the one the events name
          if (raw.nodeTimeline === null && !serverless && !perUpdate.clusterId) {
            const fromEvents = rows
              ? rows.map((e) => originOf(e)?.cluster_id).find((c): c is string => typeof c === 'string')
              : overviewCluster(events.summaries!);
            const h = history.find((x) => x.updateId === updateId);
            if (fromEvents) raw.nodeTimeline = await nodeQuery(fromEvents, events.window?.from ?? perUpdate.from, h?.endedAt ?? t, notesOf.nodesLate);
          }
        } else if (events) {
          notesOf.events.push(`The event log has no rows for update ${updateId}.`);
        }
        if (costMode === 'aggregate') {
          if (periodCost && periodCost[0]) raw.cost = {
            kind: 'aggregate',
            update: (perUpdate.cost as Record<string, unknown>[] | null)?.[0] ?? null,
            period: periodCost[0],
            utilization: utilization?.find((r) => r.pipeline_id === id) ?? null,
          };
        } else if (perUpdate.cost) {
          const [usage, prices] = perUpdate.cost as [Record<string, unknown>[], Record<string, unknown>[]];
          raw.cost = { kind: 'rows', usage, prices, utilization: utilization?.find((r) => r.pipeline_id === id) ?? null };
        }
      }
      raw.notes.push(...notesOf.history, ...notesOf.events, ...notesOf.nodes, ...notesOf.updateCost, ...notesOf.periodCost, ...notesOf.nodesLate);
    } else if (!opts.offline) {
      raw.notes.push(
        'No SQL warehouse configured (DATABRICKS_WAREHOUSE_HTTP_PATH): flow metrics, cluster utilization, node metrics and cost are read with SQL, so this diagnosis uses the REST API only.',
      );
    }

    if (raw.sqlEvents === null && !raw.summaries) {
      // REST-only: events without details, newest first
      raw.restEvents = await rest.listEvents(id, { maxEvents: 1000 });
      if (warehouse) raw.notes.push('Diagnosed from REST events only (no details): see the notes above for what to grant.');
    }
    const nodeTypes = await nodeTypesP;
    raw.nodeTypes = nodeTypes.list;
    if (nodeTypes.note) raw.notes.push(nodeTypes.note);
    const total = (raw.sqlEvents?.length ?? 0) + (raw.summaries ? overviewEvents(raw.summaries) : 0) + raw.historyEvents.length + (raw.restEvents?.length ?? 0);
    if (total === 0) throw new DoctorError('NO_EVENTS', `Pipeline "${pipeline.name ?? id}" has no events yet.`);
    return raw;
  }

  /** ref → the raw parts of its diagnosis (see RawCollection) */
  async function collectRaw(ref: string, options: GatherOptions = {}): Promise<RawCollection> {
    options.onProgress?.('resolving');
    const { id } = await resolvePipeline(ref);
    options.onProgress?.('collecting');
    return gather(id, options);
  }

  // single flight + a short TTL: concurrent (or back-to-back) diagnoses of one update share one
  // set of REST and SQL calls. Wall-clock TTL (not opts.now, which tests pin to the data's "now").
  const collected = new Map<string, { at: number | null; evidence: Promise<Evidence> }>();
  const collectTtlMs = opts.collectCacheTtlMs ?? 5_000;

  async function collect(ref: string, options: CollectOptions = {}): Promise<Evidence> {
    options.onProgress?.('resolving');
    const { id } = await resolvePipeline(ref);
    options.onProgress?.('collecting');
    const key = `${id}\u0000${options.updateId ?? ''}\u0000${options.windowMinutes ?? ''}`;
    const hit = collected.get(key);
    let evidence: Promise<Evidence>;
    if (hit && !options.fresh && (hit.at === null || Date.now() - hit.at < collectTtlMs)) {
      evidence = hit.evidence;
    } else {
      const entry: { at: number | null; evidence: Promise<Evidence> } = { at: null, evidence: null as unknown as Promise<Evidence> };
      entry.evidence = gather(id, {
        ...(options.updateId ? { updateId: options.updateId } : {}),
        ...(options.windowMinutes !== undefined ? { windowMinutes: options.windowMinutes } : {}),
      }).then(evidenceFrom);
      collected.set(key, entry);
      entry.evidence.then(
        () => {
          entry.at = Date.now();
          if (collectTtlMs <= 0 && collected.get(key) === entry) collected.delete(key);
        },
        () => {
          if (collected.get(key) === entry) collected.delete(key);
        },
      );
      evidence = entry.evidence;
    }
    const ev = await evidence;
    options.onProgress?.('analysing');
    return ev;
  }

  async function exportBundle(ref: string, options: ExportOptions): Promise<ExportResult> {
    const raw = await collectRaw(ref, { cost: 'rows', events: 'rows', ...(options.updateId ? { updateId: options.updateId } : {}) });
    const files = ['pipeline.json'];
    if (raw.updates !== null) files.push('updates.json');
    files.push('events.jsonl');
    if (raw.nodeTimeline !== null) files.push('node_timeline.jsonl');
    const cost = raw.cost?.kind === 'rows' ? raw.cost : null;
    if (cost) files.push('usage.jsonl', 'list_prices.jsonl');
    if (cost?.utilization) files.push('utilization.json');
    if (raw.nodeTypes) files.push('node_types.json');
    const stats = await writeBundle(options.outDir, {
      pipeline: pipelineBody(raw.pipeline),
      updates: raw.updates === null ? null : { updates: raw.updates },
      events: eventLines(raw),
      nodeTimeline: raw.nodeTimeline,
      usage: cost?.usage ?? null,
      listPrices: cost?.prices ?? null,
      utilization: cost?.utilization ?? null,
      nodeTypes: raw.nodeTypes ?? null,
    });
    return { dir: options.outDir, files, events: stats.events };
  }

  // the pipeline list and the alert poll: REST pages plus at most one fleet-wide statement (pipeline-list.ts)
  const fleet = warehouse ? createFleetReader({ warehouse, now }) : null;
  const backlog = warehouse ? createFleetBacklogReader({ warehouse, now }) : null;
  const listPipelines = (filter?: string): Promise<PipelineSummary[]> => listPipelineSummaries({ rest, fleet, backlog, now }, filter);
  async function fleetUpdateStates(): Promise<Map<string, { updateId: string; state: string }> | null> {
    const states = fleet ? await fleet.read(new Date(now() - FLEET_HISTORY_DAYS * DAY)) : null;
    return states && new Map([...states].map(([id, st]) => [id, { updateId: st.lastUpdate.id, state: st.lastUpdate.state }]));
  }

  return {
    kind: opts.kind,
    pipelineUrl: (pipelineId, updateId) => `${base}/pipelines/${pipelineId}${updateId ? `/updates/${updateId}` : ''}`,
    listPipelines,
    ...(fleet ? { fleetUpdateStates } : {}),
    resolvePipeline,
    collect,
    exportBundle,
    // cost and digests: one statement per section over every pipeline (src/digest/compute.ts)
    ...(warehouse ? { costBackend: async () => costBackendFromRest(warehouse, rest) } : {}),
  };
}
