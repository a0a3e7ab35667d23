/**
 * Databricks' raw shapes → the Evidence model (CONTRACT.md §1).
 *
 * Events are folded one by one into per-update aggregates by `EventAccumulator` (memory stays
 * bounded: long series are downsampled as they arrive, no raw row is kept), then `buildEvidence`
 * picks one update and assembles the Evidence. Event shapes: docs.databricks.com/aws/en/ldp/monitor-event-log-schema.
 */
import { DoctorError } from '../errors.js';
import type { EventRow, ListPriceRow, NodeTimelineRow, RawPipeline, RawUpdate, UsageRow } from '../databricks/schemas.js';
import {
  PHASES,
  type AutoLoaderListing,
  type AutoscaleEvent,
  type BacklogSample,
  type ClusterResourceSample,
  type ClusterSpec,
  type CostInfo,
  type ErrorInfo,
  type Evidence,
  type FlowInfo,
  type FlowStatusChange,
  type Gap,
  type HistoryEntry,
  type NodeSample,
  type Phase,
  type PipelineInfo,
  type PlanningInfo,
  type PlanningIssue,
  type UpdateInfo,
} from './evidence.js';

const TERMINAL_UPDATE_STATES = new Set(['COMPLETED', 'FAILED', 'CANCELED', 'CANCELLED']);
const TERMINAL_FLOW_STATUSES = new Set(['COMPLETED', 'FAILED', 'STOPPED', 'SKIPPED', 'EXCLUDED', 'CANCELED', 'CANCELLED']);
const PHASE_SET: ReadonlySet<string> = new Set(PHASES);
/** Databricks' placeholder flow name for pipeline-level time metrics; the docs' queries exclude it. */
const MISSING_FLOW_NAME = 'pipelines.flowTimeMetrics.missingFlowName';

const MAX_BACKLOG_POINTS = 300;
const MAX_CLUSTER_POINTS = 2000;
const MAX_AUTOSCALE_POINTS = 1000;
const MAX_AUTOLOADER_POINTS = 1000;
const MAX_STATUS_CHANGES = 500;
const MAX_ERRORS = 200;
const HISTORY_MIN_SUCCESSFUL = 5;

// ---------------------------------------------------------------------------------------------
// small readers over unknown JSON

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
}

function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  if (typeof v === 'bigint') return Number(v);
  return null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return null;
}

/** 0..1; some older payloads report percents */
function fraction(v: unknown): number | null {
  const n = num(v);
  return n === null ? null : n > 1 ? n / 100 : n;
}

// ---------------------------------------------------------------------------------------------
// bounded series

/**
 * Keeps every `stride`-th point, doubling the stride (and halving what it holds) when full, plus
 * the earliest and the latest point by time. Result ≤ `max` points, sorted by time.
 */
export class Downsampler<T extends { t: number }> {
  private items: T[] = [];
  private stride = 1;
  private seen = 0;
  private first: T | null = null;
  private last: T | null = null;
  private readonly cap: number;

  constructor(max: number) {
    this.cap = Math.max(2, max - 2);
  }

  get size(): number {
    return this.seen;
  }

  push(x: T): void {
    if (this.first === null || x.t < this.first.t) this.first = x;
    if (this.last === null || x.t >= this.last.t) this.last = x;
    if (this.seen++ % this.stride === 0) {
      this.items.push(x);
      if (this.items.length >= this.cap) {
        this.items = this.items.filter((_, i) => i % 2 === 0);
        this.stride *= 2;
      }
    }
  }

  values(): T[] {
    const out = this.items.slice();
    if (this.first && !out.includes(this.first)) out.push(this.first);
    if (this.last && !out.includes(this.last)) out.push(this.last);
    return out.sort((a, b) => a.t - b.t);
  }
}

// ---------------------------------------------------------------------------------------------
// per-update aggregates

interface FlowDef {
  flowType: string | null;
  language: string | null;
  explainText: string | null;
  inputDatasets: string[];
  outputDataset: string | null;
}

interface FlowAgg {
  name: string;
  statuses: FlowStatusChange[];
  minT: number;
  hasMetrics: boolean;
  outputRows: number;
  upsertedRows: number;
  deletedRows: number;
  outputBytes: number;
  droppedRecords: number;
  executorTimeMs: number;
  executorCpuTimeMs: number;
  backlog: Downsampler<BacklogSample>;
  planning: { t: number; info: PlanningInfo } | null;
}

interface UpdateAgg {
  id: string;
  createdAt: number | null;
  progress: { t: number; state: string }[];
  cause: string | null;
  fullRefresh: boolean | null;
  clusterCounts: Map<string, number>;
  dbrVersion: string | null;
  minT: number;
  maxT: number;
  events: number;
  flows: Map<string, FlowAgg>;
  definitions: Map<string, FlowDef>;
  clusterResources: Downsampler<ClusterResourceSample>;
  autoscale: Downsampler<AutoscaleEvent>;
  autoLoader: Downsampler<AutoLoaderListing>;
  errors: ErrorInfo[];
  errorsDropped: number;
}

function newUpdate(id: string, t: number): UpdateAgg {
  return {
    id,
    createdAt: null,
    progress: [],
    cause: null,
    fullRefresh: null,
    clusterCounts: new Map(),
    dbrVersion: null,
    minT: t,
    maxT: t,
    events: 0,
    flows: new Map(),
    definitions: new Map(),
    clusterResources: new Downsampler(MAX_CLUSTER_POINTS),
    autoscale: new Downsampler(MAX_AUTOSCALE_POINTS),
    autoLoader: new Downsampler(MAX_AUTOLOADER_POINTS),
    errors: [],
    errorsDropped: 0,
  };
}

function newFlow(name: string, t: number): FlowAgg {
  return {
    name,
    statuses: [],
    minT: t,
    hasMetrics: false,
    outputRows: 0,
    upsertedRows: 0,
    deletedRows: 0,
    outputBytes: 0,
    droppedRecords: 0,
    executorTimeMs: 0,
    executorCpuTimeMs: 0,
    backlog: new Downsampler(MAX_BACKLOG_POINTS),
    planning: null,
  };
}

/** sorts and drops consecutive repeats, keeping the first of each run */
function compactStatuses(list: FlowStatusChange[]): FlowStatusChange[] {
  const sorted = list.slice().sort((a, b) => a.t - b.t);
  const out: FlowStatusChange[] = [];
  for (const s of sorted) if (out.length === 0 || out[out.length - 1]!.status !== s.status) out.push(s);
  return out;
}

/** REST events have no `details`; their messages still say "Update 1a2b is RUNNING." / "Flow 'x' is COMPLETED." */
const STATE_IN_MESSAGE = /\bis ([A-Z_]+)\.?\s*$/;

/**
 * Streams event rows into per-update aggregates. Rows are `EventRow`s already validated at the edge
 * (zod or the bundle reader's fast path). Unknown event types are ignored.
 */
export class EventAccumulator {
  private rows = 0;
  private withDetails = 0;
  private withoutUpdate = 0;
  private readonly updates = new Map<string, UpdateAgg>();
  private lastUpdate: UpdateAgg | null = null;
  /** errors without an update id (pipeline-level); matched to the update by time window */
  private readonly looseErrors: ErrorInfo[] = [];

  get count(): number {
    return this.rows;
  }

  /** rows that carried a non-empty `details` */
  get detailedCount(): number {
    return this.withDetails;
  }

  add(row: EventRow): void {
    this.rows++;
    const t = row.timestamp;
    const origin = row.origin;
    const details = row.details ?? null;
    if (details) this.withDetails++;
    const updateId = origin?.update_id;
    const type = row.event_type;

    if (!updateId) {
      this.withoutUpdate++;
      const err = errorOf(row, t);
      if (err && this.looseErrors.length < MAX_ERRORS) this.looseErrors.push(err);
      return;
    }

    let u = this.lastUpdate;
    if (u === null || u.id !== updateId) {
      u = this.updates.get(updateId) ?? null;
      if (u === null) {
        u = newUpdate(updateId, t);
        this.updates.set(updateId, u);
      }
      this.lastUpdate = u;
    }
    u.events++;
    if (t < u.minT) u.minT = t;
    if (t > u.maxT) u.maxT = t;
    const clusterId = origin.cluster_id;
    if (clusterId) u.clusterCounts.set(clusterId, (u.clusterCounts.get(clusterId) ?? 0) + 1);

    switch (type) {
      case 'flow_progress':
        this.flowProgress(u, row, t, details);
        break;
      case 'cluster_resources':
      case 'cluster_utilization':
        if (details) clusterResources(u, t, obj(details[type]));
        break;
      case 'update_progress': {
        const state = str(obj(details?.update_progress)?.state) ?? (details ? null : stateFromMessage(row.message));
        if (state) u.progress.push({ t, state });
        break;
      }
      case 'create_update': {
        if (u.createdAt === null || t < u.createdAt) u.createdAt = t;
        const cu = obj(details?.create_update);
        if (cu) {
          u.cause = str(cu.cause) ?? u.cause;
          u.fullRefresh = bool(cu.full_refresh) ?? u.fullRefresh;
        }
        break;
      }
      case 'flow_definition':
        if (details) flowDefinition(u, origin.flow_name ?? null, obj(details.flow_definition));
        break;
      case 'planning_information':
        if (details) this.planning(u, origin.flow_name ?? origin.dataset_name ?? null, t, obj(details.planning_information));
        break;
      case 'autoscale': {
        const a = obj(details?.autoscale);
        if (a) {
          u.autoscale.push({
            t,
            status: str(a.status),
            optimalExecutors: num(a.optimal_num_executors),
            requestedExecutors: num(a.requested_num_executors),
          });
        }
        break;
      }
      case 'operation_progress': {
        const op = obj(details?.operation_progress);
        if (op && op.type === 'AUTO_LOADER_LISTING') {
          const al = obj(op.auto_loader_details);
          const durationMs = num(op.duration_ms);
          const numFilesListed = num(al?.num_files_listed);
          // duration_ms only appears on the end event of a listing
          if (durationMs !== null || numFilesListed !== null) {
            u.autoLoader.push({ t, durationMs, numFilesListed, sourcePath: str(al?.source_path) });
          }
        }
        break;
      }
      case 'runtime_details': {
        const v = str(obj(obj(details?.runtime_details)?.runtime_version)?.dbr_version);
        if (v) u.dbrVersion = v;
        break;
      }
      default:
        break;
    }

    const err = errorOf(row, t);
    if (err) {
      if (u.errors.length < MAX_ERRORS) u.errors.push(err);
      else u.errorsDropped++;
    }
  }

  private flowProgress(u: UpdateAgg, row: EventRow, t: number, details: Obj | null): void {
    const name = row.origin?.flow_name;
    if (!name || name === MISSING_FLOW_NAME) return;
    let f = u.flows.get(name);
    if (f === undefined) {
      f = newFlow(name, t);
      u.flows.set(name, f);
    } else if (t < f.minT) f.minT = t;
    const fp = obj(details?.flow_progress);
    const status = str(fp?.status) ?? (details ? null : stateFromMessage(row.message));
    if (status) {
      const prev = f.statuses[f.statuses.length - 1];
      if (prev === undefined || prev.status !== status) {
        f.statuses.push({ t, status });
        if (f.statuses.length > MAX_STATUS_CHANGES) {
          f.statuses = compactStatuses(f.statuses);
          if (f.statuses.length > MAX_STATUS_CHANGES) {
            const lastOne = f.statuses[f.statuses.length - 1]!;
            f.statuses = f.statuses.filter((_, i) => i % 2 === 0);
            if (f.statuses[f.statuses.length - 1] !== lastOne) f.statuses.push(lastOne);
          }
        }
      }
    }
    if (!fp) return;
    const m = obj(fp.metrics);
    if (m) {
      f.hasMetrics = true;
      const out = num(m.num_output_rows);
      if (out !== null) f.outputRows += out;
      const ups = num(m.num_upserted_rows);
      if (ups !== null) f.upsertedRows += ups;
      const del = num(m.num_deleted_rows);
      if (del !== null) f.deletedRows += del;
      const bytes = num(m.num_output_bytes);
      if (bytes !== null) f.outputBytes += bytes;
      const ex = num(m.executor_time_ms);
      if (ex !== null) f.executorTimeMs += ex;
      const cpu = num(m.executor_cpu_time_ms);
      if (cpu !== null) f.executorCpuTimeMs += cpu;
      const bb = num(m.backlog_bytes);
      const br = num(m.backlog_records);
      const bf = num(m.backlog_files);
      const bs = num(m.backlog_seconds);
      if (bb !== null || br !== null || bf !== null || bs !== null) f.backlog.push({ t, bytes: bb, records: br, files: bf, seconds: bs });
    }
    const dq = obj(fp.data_quality);
    if (dq) {
      const dropped = num(dq.dropped_records);
      if (dropped !== null) f.droppedRecords += dropped;
    }
  }

  private planning(u: UpdateAgg, flowName: string | null, t: number, p: Obj | null): void {
    if (!p || !flowName) return;
    let f = u.flows.get(flowName);
    if (f === undefined) {
      f = newFlow(flowName, t);
      u.flows.set(flowName, f);
    }
    if (f.planning !== null && f.planning.t > t) return; // keep the latest plan
    const techniques = Array.isArray(p.technique_information) ? p.technique_information : [];
    let chosen: string | null = null;
    const issues: PlanningIssue[] = [];
    const seen = new Set<string>();
    const addIssues = (list: unknown) => {
      if (!Array.isArray(list)) return;
      for (const raw of list) {
        const i = obj(raw);
        const issueType = str(i?.issue_type);
        if (!i || !issueType) continue;
        const issue: PlanningIssue = {
          issueType,
          preventIncrementalization: bool(i.prevent_incrementalization) ?? false,
          subType:
            str(i.plan_not_incrementalizable_sub_type) ??
            str(i.plan_not_deterministic_sub_type) ??
            str(i.cost_model_rejection_subtype) ??
            null,
          operator: str(i.operator_name) ?? str(i.expression_name) ?? null,
        };
        const key = `${issue.issueType}|${issue.subType}|${issue.operator}|${issue.preventIncrementalization}`;
        if (!seen.has(key)) {
          seen.add(key);
          issues.push(issue);
        }
      }
    };
    for (const raw of techniques) {
      const ti = obj(raw);
      if (!ti) continue;
      if (bool(ti.is_chosen) === true) chosen = str(ti.maintenance_type) ?? chosen;
      addIssues(ti.incrementalization_issues);
    }
    addIssues(p.incrementalization_issues);
    f.planning = { t, info: { chosenTechnique: chosen, issues } };
  }

  /** updates seen in the events, oldest first */
  updateIds(): string[] {
    return [...this.updates.values()].sort((a, b) => startOf(a) - startOf(b)).map((u) => u.id);
  }

  /**
   * CONTRACT §1: `updateId` when given (UPDATE_NOT_FOUND if the events do not have it), else the
   * newest update with an end state, else the newest (running) one.
   */
  selectUpdateId(updateId?: string, updates?: RawUpdate[] | null): string {
    if (this.rows === 0) throw new DoctorError('NO_EVENTS', 'no events');
    if (this.updates.size === 0) throw new DoctorError('NO_EVENTS', 'no events with an update id');
    const ids = this.updateIds();
    if (updateId !== undefined) {
      if (this.updates.has(updateId)) return updateId;
      const near = ids.filter((id) => id.startsWith(updateId) || updateId.startsWith(id)).slice(0, 3);
      throw new DoctorError('UPDATE_NOT_FOUND', `Update "${updateId}" is not in the event log.`, {
        suggestions: near.length ? near : ids.slice(-3).reverse(),
        hint: `Updates in the event log: ${ids.slice(-5).reverse().join(', ')}`,
      });
    }
    const listed = new Map((updates ?? []).map((r) => [r.update_id, r]));
    for (let i = ids.length - 1; i >= 0; i--) {
      const u = this.updates.get(ids[i]!)!;
      if (endOf(u) !== null) return u.id;
      const state = listed.get(u.id)?.state;
      if (u.progress.length === 0 && state && TERMINAL_UPDATE_STATES.has(state)) return u.id;
    }
    return ids[ids.length - 1]!;
  }

  /** @internal for buildEvidence */
  get(updateId: string): UpdateAgg | undefined {
    return this.updates.get(updateId);
  }

  /** @internal for buildEvidence */
  all(): IterableIterator<UpdateAgg> {
    return this.updates.values();
  }

  /** @internal for buildEvidence */
  pipelineErrors(): ErrorInfo[] {
    return this.looseErrors;
  }

  /** rows without `origin.update_id` (maintenance, pipeline-level) */
  get rowsWithoutUpdate(): number {
    return this.withoutUpdate;
  }
}

function stateFromMessage(message: string | null | undefined): string | null {
  if (!message) return null;
  const m = STATE_IN_MESSAGE.exec(message);
  return m ? m[1]! : null;
}

function errorOf(row: EventRow, t: number): ErrorInfo | null {
  const level = row.level ?? '';
  const e = row.error;
  const hasError = !!e && ((e.exceptions?.length ?? 0) > 0 || e.fatal === true);
  if (level !== 'ERROR' && !(level === 'WARN' && hasError)) return null;
  return {
    t,
    level,
    eventType: row.event_type,
    message: row.message ?? '',
    fatal: e?.fatal === true,
    exceptions: (e?.exceptions ?? []).map((x) => ({ className: x.class_name ?? '', message: x.message ?? '' })),
  };
}

function clusterResources(u: UpdateAgg, t: number, cr: Obj | null): void {
  if (!cr) return;
  // current docs nest the metrics; the docs' own example queries (and older pipelines) use flat fields
  const ts = obj(cr.task_slot_metrics);
  const as = obj(cr.autoscale_info);
  const pick = (nested: Obj | null, key: string) => {
    const v = nested ? num(nested[key]) : null;
    return v ?? num(cr[key]);
  };
  u.clusterResources.push({
    t,
    numExecutors: pick(ts, 'num_executors'),
    numTaskSlots: pick(ts, 'num_task_slots'),
    avgTaskSlots: pick(ts, 'avg_num_task_slots'),
    slotUtilization: fraction(ts?.avg_task_slot_utilization ?? cr.avg_task_slot_utilization),
    queuedTasks: pick(ts, 'avg_num_queued_tasks'),
    optimalExecutors: pick(as, 'optimal_num_executors'),
    requestedExecutors: pick(as, 'latest_requested_num_executors') ?? num(cr.requested_num_executors),
    state: str(as?.state) ?? str(cr.state),
  });
}

function flowDefinition(u: UpdateAgg, flowName: string | null, fd: Obj | null): void {
  if (!fd) return;
  const output = str(fd.output_dataset);
  const name = flowName ?? output;
  if (!name || name === MISSING_FLOW_NAME) return;
  const inputs = Array.isArray(fd.input_datasets)
    ? fd.input_datasets.map((d) => str(d) ?? str(obj(d)?.name)).filter((d): d is string => d !== null)
    : [];
  u.definitions.set(name, {
    flowType: str(fd.flow_type),
    language: str(fd.language),
    explainText: str(fd.explain_text),
    inputDatasets: inputs,
    outputDataset: output,
  });
}

function sortedProgress(u: UpdateAgg): { t: number; state: string }[] {
  return u.progress.slice().sort((a, b) => a.t - b.t);
}

function startOf(u: UpdateAgg): number {
  if (u.createdAt !== null) return u.createdAt;
  let min = Infinity;
  for (const p of u.progress) if (p.t < min) min = p.t;
  return Number.isFinite(min) ? min : u.minT;
}

function endOf(u: UpdateAgg): number | null {
  if (u.progress.length === 0) return null;
  let last = u.progress[0]!;
  for (const p of u.progress) if (p.t >= last.t) last = p;
  return TERMINAL_UPDATE_STATES.has(last.state) ? last.t : null;
}

function outputRowsOf(u: UpdateAgg): number | null {
  let any = false;
  let sum = 0;
  for (const f of u.flows.values()) {
    if (!f.hasMetrics) continue;
    any = true;
    sum += f.outputRows + f.upsertedRows;
  }
  return any ? sum : null;
}

function updateInfo(u: UpdateAgg, listed: RawUpdate | undefined): UpdateInfo {
  const progress = sortedProgress(u);
  const startedAt = startOf(u);
  const endedAt = endOf(u);
  const phasesS: Partial<Record<Phase, number>> = {};
  for (let i = 0; i < progress.length; i++) {
    const cur = progress[i]!;
    const key = cur.state.toLowerCase();
    if (!PHASE_SET.has(key)) continue;
    // the last, still-open phase of a running update lasts until the newest event seen
    const until = progress[i + 1]?.t ?? (endedAt === null ? u.maxT : cur.t);
    const phase = key as Phase;
    phasesS[phase] = (phasesS[phase] ?? 0) + Math.max(0, until - cur.t) / 1000;
  }
  let clusterId: string | null = null;
  let best = 0;
  for (const [id, n] of u.clusterCounts) {
    if (n > best) {
      best = n;
      clusterId = id;
    }
  }
  return {
    id: u.id,
    state: progress[progress.length - 1]?.state ?? listed?.state ?? 'UNKNOWN',
    cause: u.cause ?? listed?.cause ?? null,
    fullRefresh: u.fullRefresh ?? listed?.full_refresh ?? false,
    startedAt,
    endedAt,
    durationS: endedAt === null ? null : Math.max(0, endedAt - startedAt) / 1000,
    phasesS,
    clusterId: clusterId ?? listed?.cluster_id ?? null,
    outputRows: outputRowsOf(u),
    dbrVersion: u.dbrVersion,
  };
}

function flowInfo(f: FlowAgg | undefined, name: string, def: FlowDef | undefined): FlowInfo {
  const statuses = f ? compactStatuses(f.statuses) : [];
  const final = statuses[statuses.length - 1] ?? null;
  const startedAt = f && (f.statuses.length > 0 || f.hasMetrics) ? f.minT : null;
  const endedAt = final && TERMINAL_FLOW_STATUSES.has(final.status) ? final.t : null;
  return {
    name,
    flowType: def?.flowType ?? null,
    language: def?.language ?? null,
    explainText: def?.explainText ?? null,
    inputDatasets: def?.inputDatasets ?? [],
    outputDataset: def?.outputDataset ?? null,
    statuses,
    finalStatus: final?.status ?? null,
    startedAt,
    endedAt,
    durationS: startedAt !== null && endedAt !== null ? Math.max(0, endedAt - startedAt) / 1000 : null,
    outputRows: f?.outputRows ?? 0,
    upsertedRows: f?.upsertedRows ?? 0,
    deletedRows: f?.deletedRows ?? 0,
    outputBytes: f?.outputBytes ?? 0,
    droppedRecords: f?.droppedRecords ?? 0,
    executorTimeMs: f?.executorTimeMs ?? 0,
    executorCpuTimeMs: f?.executorCpuTimeMs ?? 0,
    backlog: f ? f.backlog.values() : [],
    planning: f?.planning?.info ?? null,
  };
}

function nodeSample(r: NodeTimelineRow): NodeSample {
  return {
    t: r.start_time,
    clusterId: r.cluster_id,
    instanceId: r.instance_id ?? '',
    driver: r.driver ?? false,
    cpuUser: r.cpu_user_percent ?? 0,
    cpuSystem: r.cpu_system_percent ?? 0,
    cpuWait: r.cpu_wait_percent ?? 0,
    memUsed: r.mem_used_percent ?? 0,
    memSwap: r.mem_swap_percent ?? 0,
    netSent: r.network_sent_bytes ?? 0,
    netReceived: r.network_received_bytes ?? 0,
    nodeType: r.node_type ?? null,
  };
}

// ---------------------------------------------------------------------------------------------

export interface EvidenceInput {
  pipeline: RawPipeline;
  updates: RawUpdate[] | null;
  events: EventAccumulator;
  /** null = not available (serverless / no warehouse) */
  nodeTimeline: NodeTimelineRow[] | null;
  cost: CostInfo | null;
  /** default: newest update with an end state, else the running one (CONTRACT §1) */
  updateId?: string;
  gaps?: Gap[];
  notes?: string[];
}

export function buildEvidence(input: EvidenceInput): Evidence {
  const acc = input.events;
  const id = acc.selectUpdateId(input.updateId, input.updates);
  const agg = acc.get(id)!;
  const listed = new Map((input.updates ?? []).map((r) => [r.update_id, r]));
  const pipeline = pipelineSpecFrom(input.pipeline);
  const serverless = pipeline.spec.serverless;
  const update = updateInfo(agg, listed.get(id));
  const windowEnd = update.endedAt ?? agg.maxT;

  const gaps: Gap[] = [];
  const gap = (g: Gap) => {
    if (!gaps.includes(g)) gaps.push(g);
  };
  for (const g of input.gaps ?? []) gap(g);
  const notes = [...(input.notes ?? [])];

  if (acc.detailedCount === 0) {
    gap('event_details');
    notes.push('events carry no details (REST API only): flow metrics, cluster_resources and planning information are unavailable');
  }

  // flows: those with progress or a plan in this update, plus the ones it defined
  const names = new Set<string>([...agg.definitions.keys(), ...agg.flows.keys()]);
  let latestDefs: Map<string, FlowDef> | null = null;
  const defFor = (name: string): FlowDef | undefined => {
    const own = agg.definitions.get(name);
    if (own) return own;
    if (latestDefs === null) {
      // definitions from other updates (oldest first so newer ones win)
      latestDefs = new Map();
      for (const uid of acc.updateIds()) for (const [n, d] of acc.get(uid)!.definitions) latestDefs.set(n, d);
    }
    return latestDefs.get(name);
  };
  const flows = [...names].sort().map((name) => flowInfo(agg.flows.get(name), name, defFor(name)));
  if (!flows.some((f) => f.flowType !== null || f.outputDataset !== null || f.inputDatasets.length > 0)) gap('flow_definitions');

  const clusterResources = agg.clusterResources.values();
  if (clusterResources.length === 0) gap('cluster_resources');

  // node metrics: the update's cluster(s), inside its window
  let nodeMetrics: NodeSample[] | null = null;
  if (input.nodeTimeline !== null && !serverless) {
    const ids = new Set(agg.clusterCounts.keys());
    const listedCluster = listed.get(id)?.cluster_id;
    if (listedCluster) ids.add(listedCluster);
    const from = update.startedAt;
    const rows = input.nodeTimeline.filter((r) => {
      if (ids.size > 0 && !ids.has(r.cluster_id)) return false;
      const end = r.end_time ?? r.start_time + 60_000;
      return r.start_time <= windowEnd && end >= from;
    });
    nodeMetrics = rows.length > 0 ? rows.map(nodeSample).sort((a, b) => a.t - b.t) : null;
  }
  if (nodeMetrics === null) gap('node_metrics');

  // history: earlier updates with an end, newest first
  const history: HistoryEntry[] = [];
  for (const u of acc.all()) {
    if (u.id === id) continue;
    const start = startOf(u);
    const end = endOf(u);
    if (end === null || start >= update.startedAt) continue;
    const info = updateInfo(u, listed.get(u.id));
    history.push({ updateId: u.id, state: info.state, startedAt: start, durationS: info.durationS ?? 0, outputRows: info.outputRows });
  }
  history.sort((a, b) => b.startedAt - a.startedAt);
  if (history.filter((h) => h.state === 'COMPLETED').length < HISTORY_MIN_SUCCESSFUL) gap('history');

  if (input.cost === null) gap('cost');

  const errors = [...agg.errors];
  for (const e of acc.pipelineErrors()) if (e.t >= update.startedAt && e.t <= windowEnd) errors.push(e);
  errors.sort((a, b) => a.t - b.t);
  if (agg.errorsDropped > 0) notes.push(`kept the first ${MAX_ERRORS} error events of update ${id}; ${agg.errorsDropped} more not shown`);

  return {
    pipeline,
    update,
    flows,
    clusterResources,
    autoscale: agg.autoscale.values(),
    errors,
    autoLoader: agg.autoLoader.values(),
    nodeMetrics,
    history,
    cost: input.cost,
    gaps,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------
// cost

export function costFromRows(
  usage: UsageRow[],
  prices: ListPriceRow[],
  opts: { pipelineId: string; updateId?: string; now: number; days?: number },
): CostInfo | null {
  const days = opts.days ?? 30;
  const rows = usage.filter((r) => r.usage_metadata?.dlt_pipeline_id === opts.pipelineId);
  if (rows.length === 0) return null;
  const since = opts.now - days * 86_400_000;
  const priceOf = (r: UsageRow): number | null => {
    let best: ListPriceRow | null = null;
    for (const p of prices) {
      if (p.sku_name !== r.sku_name) continue;
      if (p.cloud && r.cloud && p.cloud !== r.cloud) continue;
      if (p.usage_unit && r.usage_unit && p.usage_unit !== r.usage_unit) continue;
      if (r.usage_end_time < p.price_start_time) continue;
      if (p.price_end_time !== null && p.price_end_time !== undefined && r.usage_end_time >= p.price_end_time) continue;
      if (best === null || p.price_start_time > best.price_start_time) best = p;
    }
    if (!best) return null;
    // docs recommend effective_list (accounts for promotions) over the plain list price
    return best.pricing?.effective_list?.default ?? best.pricing?.default ?? null;
  };
  let updateDbus: number | null = null;
  let updateDollars: number | null = null;
  let periodDbus = 0;
  let periodDollars = 0;
  let maintenanceDbus = 0;
  for (const r of rows) {
    const q = r.usage_quantity; // RETRACTION rows are negative: always sum across record types
    const price = priceOf(r);
    const dollars = price === null ? 0 : q * price;
    if (opts.updateId !== undefined && r.usage_metadata?.dlt_update_id === opts.updateId) {
      updateDbus = (updateDbus ?? 0) + q;
      updateDollars = (updateDollars ?? 0) + dollars;
    }
    if (r.usage_end_time > since && r.usage_start_time <= opts.now) {
      periodDbus += q;
      periodDollars += dollars;
      if (r.usage_metadata?.dlt_maintenance_id) maintenanceDbus += q;
    }
  }
  return { updateDbus, updateDollars, periodDbus, periodDollars, maintenanceDbus, periodDays: days };
}

// ---------------------------------------------------------------------------------------------
// pipeline spec

export function pipelineSpecFrom(raw: RawPipeline): PipelineInfo {
  const s = raw.spec ?? {};
  const clusters: ClusterSpec[] = (s.clusters ?? []).map((c) => ({
    label: c.label ?? 'default',
    numWorkers: c.autoscale ? null : (c.num_workers ?? null),
    autoscale: c.autoscale
      ? {
          minWorkers: c.autoscale.min_workers,
          maxWorkers: c.autoscale.max_workers,
          // enhanced autoscaling is the default for new pipelines; only an explicit LEGACY is legacy
          mode: c.autoscale.mode?.toUpperCase() === 'LEGACY' ? 'LEGACY' : 'ENHANCED',
        }
      : null,
    nodeTypeId: c.node_type_id ?? null,
    driverNodeTypeId: c.driver_node_type_id ?? null,
    instancePoolId: c.instance_pool_id ?? null,
    driverInstancePoolId: c.driver_instance_pool_id ?? null,
    sparkConf: c.spark_conf ?? {},
    availability: c.aws_attributes?.availability ?? c.azure_attributes?.availability ?? c.gcp_attributes?.availability ?? null,
    firstOnDemand: c.aws_attributes?.first_on_demand ?? c.azure_attributes?.first_on_demand ?? null,
  }));
  const catalog = s.catalog ?? null;
  const schema = s.schema ?? s.target ?? null;
  const el = s.event_log;
  const elCatalog = el?.catalog ?? catalog;
  const elSchema = el?.schema ?? schema;
  const libraries: string[] = [];
  for (const lib of s.libraries ?? []) {
    const path =
      str(obj(lib.notebook)?.path) ??
      str(obj(lib.file)?.path) ??
      str(obj(lib.glob)?.include) ??
      str(lib.jar) ??
      str(lib.whl) ??
      str(obj(lib.maven)?.coordinates);
    if (path) libraries.push(path);
  }
  return {
    id: raw.pipeline_id,
    name: raw.name ?? s.name ?? raw.pipeline_id,
    state: raw.state ?? null,
    health: raw.health ?? null,
    creatorUserName: raw.creator_user_name ?? null,
    lastModified: raw.last_modified ?? null,
    spec: {
      photon: s.photon ?? false,
      serverless: s.serverless ?? false,
      continuous: s.continuous ?? false,
      development: s.development ?? false,
      channel: s.channel ?? null,
      edition: s.edition ?? null,
      catalog,
      schema,
      configuration: s.configuration ?? {},
      clusters,
      tags: s.tags ?? {},
      eventLog: el && elCatalog && elSchema ? { catalog: elCatalog, schema: elSchema, name: el.name } : null,
      libraries,
    },
  };
}
