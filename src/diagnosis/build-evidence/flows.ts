/**
 * Flows: `flow_progress` (status timeline, metrics, backlog, data quality) and `flow_definition`
 * (type, language, plan, input and output datasets) events → FlowInfo. Shapes:
 * docs.databricks.com/aws/en/ldp/monitor-event-log-schema (FlowProgress, FlowMetrics, FlowDefinition).
 */
import type { EventRow } from '../../databricks/schemas.js';
import type { FlowInfo, FlowStatusChange } from '../evidence.js';
import { MAX_STATUS_CHANGES, newFlow, type FlowAgg, type FlowDef, type UpdateAgg } from './agg.js';
import { num, obj, str, type Obj } from './json.js';
import { stateFromMessage } from './phases.js';

export const TERMINAL_FLOW_STATUSES = new Set(['COMPLETED', 'FAILED', 'STOPPED', 'SKIPPED', 'EXCLUDED', 'CANCELED', 'CANCELLED']);
/** flow_progress statuses of a flow doing its own work (not QUEUED behind its inputs) */
const WORKING_STATUSES = new Set(['STARTING', 'PLANNING', 'RUNNING']);
/** Databricks' placeholder flow name for pipeline-level time metrics; the docs' queries exclude it. */
export const MISSING_FLOW_NAME = 'pipelines.flowTimeMetrics.missingFlowName';

/** sorts and drops consecutive repeats, keeping the first of each run */
export function compactStatuses(list: FlowStatusChange[]): FlowStatusChange[] {
  const sorted = list.slice().sort((a, b) => a.t - b.t);
  const out: FlowStatusChange[] = [];
  for (const s of sorted) if (out.length === 0 || out[out.length - 1]!.status !== s.status) out.push(s);
  return out;
}

export function flowOf(u: UpdateAgg, name: string, t: number): FlowAgg {
  let f = u.flows.get(name);
  if (f === undefined) {
    f = newFlow(name, t);
    u.flows.set(name, f);
  } else if (t < f.minT) f.minT = t;
  return f;
}

export function flowProgress(u: UpdateAgg, row: EventRow, t: number, details: Obj | null): void {
  const name = row.origin?.flow_name;
  if (!name || name === MISSING_FLOW_NAME) return;
  const f = flowOf(u, name, t);
  const fp = obj(details?.flow_progress);
  const raw = str(fp?.status) ?? (details ? null : stateFromMessage(row.message));
  const status = raw === null ? null : raw.toUpperCase();
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
    f.stream.report(t, out === null && ups === null ? null : (out ?? 0) + (ups ?? 0));
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

/**
 * `stream_progress`: `details.stream_progress.progress_json` is a JSON string shaped like Spark's
 * StreamingQueryProgress (shared reference, event log schema); its `batchDuration` is the
 * micro-batch's processing time in ms. An object is read too; anything unparsable is ignored.
 */
export function streamProgress(u: UpdateAgg, row: EventRow, t: number, details: Obj | null): void {
  const name = row.origin?.flow_name;
  if (!name || name === MISSING_FLOW_NAME) return;
  const raw = obj(details?.stream_progress)?.progress_json;
  let progress: Obj | null = null;
  if (typeof raw === 'string') {
    try {
      progress = obj(JSON.parse(raw) as unknown);
    } catch {
      return;
    }
  } else progress = obj(raw);
  const ms = num(progress?.batchDuration);
  if (ms === null) return;
  flowOf(u, name, t).stream.batch(t, ms);
}

export function flowDefinition(u: UpdateAgg, flowName: string | null, fd: Obj | null): void {
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

/** Seconds in RUNNING: from each RUNNING status to the next status change (or `openUntil` if still running). */
function runningSeconds(statuses: FlowStatusChange[], openUntil: number | null): number | null {
  let total = 0;
  let any = false;
  for (let i = 0; i < statuses.length; i++) {
    const s = statuses[i]!;
    if (s.status !== 'RUNNING') continue;
    const next = statuses[i + 1]?.t ?? openUntil;
    if (next === null) continue;
    any = true;
    total += Math.max(0, next - s.t) / 1000;
  }
  return any ? total : null;
}

export function flowInfo(f: FlowAgg | undefined, name: string, def: FlowDef | undefined, updateEnd: number | null): FlowInfo {
  const statuses = f ? compactStatuses(f.statuses) : [];
  const final = statuses[statuses.length - 1] ?? null;
  // A flow waits QUEUED until its inputs are ready; its own time starts when it starts working.
  const working = statuses.find((x) => WORKING_STATUSES.has(x.status));
  const startedAt = f && (f.statuses.length > 0 || f.hasMetrics) ? (working?.t ?? f.minT) : null;
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
    runningS: runningSeconds(statuses, endedAt ?? updateEnd),
    outputRows: f?.outputRows ?? 0,
    upsertedRows: f?.upsertedRows ?? 0,
    deletedRows: f?.deletedRows ?? 0,
    outputBytes: f?.outputBytes ?? 0,
    droppedRecords: f?.droppedRecords ?? 0,
    executorTimeMs: f?.executorTimeMs ?? 0,
    executorCpuTimeMs: f?.executorCpuTimeMs ?? 0,
    backlog: f ? f.backlog.values() : [],
    stream: f ? f.stream.values() : [],
    planning: f?.planning?.info ?? null,
  };
}
