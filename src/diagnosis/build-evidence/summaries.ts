/**
 * The update summary statements' rows (src/databricks/queries/update-*.sql, issue 16) → the
 * per-update aggregates buildEvidence reads (agg.ts), with the same readers the event fold uses
 * for the rows read whole (create_update, update_progress, runtime_details, autoscale, plans,
 * definitions, errors). What the warehouse summed arrives summed: per flow and time bucket the
 * metrics and backlog, per flow its status changes, cluster resources and Auto Loader listings
 * sampled. Rows are validated at the edge (src/databricks/summary-schemas.ts, EventRowSchema).
 */
import type { EventRow } from '../../databricks/schemas.js';
import type { AutoLoaderRow, ClusterResourceRow, FlowBucketRow, FlowStatusRow, OverviewRow } from '../../databricks/summary-schemas.js';
import { MAX_AUTOLOADER_POINTS, MAX_CLUSTER_POINTS, MAX_ERRORS, newUpdate, type UpdateAgg } from './agg.js';
import { autoscaleEvent } from './cluster-resources.js';
import { Downsampler } from './downsampler.js';
import { errorOf } from './errors.js';
import { flowDefinition, flowOf, MISSING_FLOW_NAME } from './flows.js';
import { fraction, obj } from './json.js';
import { runtimeDetails } from './operations.js';
import { createUpdate, updateProgress } from './phases.js';
import { planningInformation } from './planning.js';
import type { UpdateSet } from './update-set.js';

/** A milestone row (update-milestones.sql): an event row, the kind the statement gave it, and how many rows of that kind there were. */
export interface MilestoneRow {
  row: EventRow;
  kind: string;
  kindTotal: number | null;
}

export interface UpdateSummaries {
  updateId: string;
  overview: OverviewRow[];
  milestones: MilestoneRow[];
  flowBuckets: FlowBucketRow[];
  flowStatuses: FlowStatusRow[];
  clusterResources: ClusterResourceRow[];
  autoLoader: AutoLoaderRow[];
}

/** the statements' samples (≤ 2,001 and ≤ 1,001 rows) kept whole */
const SAMPLE_SLACK = 4;

function milestone(set: UpdateSet, u: UpdateAgg, m: MilestoneRow): void {
  const { row, kind } = m;
  const t = row.timestamp;
  const details = row.details ?? null;
  const flow = row.origin?.flow_name ?? null;
  if (kind === 'other_definition') {
    // a flow this update did not redefine: its latest definition in the pipeline's log
    const scratch = newUpdate(row.origin?.update_id ?? '', t);
    flowDefinition(scratch, flow, obj(details?.flow_definition));
    for (const [name, def] of scratch.definitions) set.addDefinitionElsewhere(name, def, t);
    return;
  }
  if (!row.origin?.update_id) {
    const err = errorOf(row, t);
    if (err) set.addPipelineError(err, MAX_ERRORS);
    return;
  }
  switch (kind) {
    case 'create_update':
      createUpdate(u, t, details);
      break;
    case 'update_progress':
      updateProgress(u, row, t, details);
      break;
    case 'runtime_details':
      runtimeDetails(u, obj(details?.runtime_details));
      break;
    case 'autoscale':
      autoscaleEvent(u, t, obj(details?.autoscale));
      break;
    case 'flow_definition':
      if (details) flowDefinition(u, flow, obj(details.flow_definition));
      break;
    case 'planning_information':
      if (details) planningInformation(u, flow ?? row.origin?.dataset_name ?? null, t, obj(details.planning_information));
      break;
    default:
      break; // 'error': read below only
  }
  const err = errorOf(row, t);
  if (err) u.errors.push(err);
}

function flowBucket(u: UpdateAgg, r: FlowBucketRow): void {
  const progress = r.progress_events ?? 0;
  const batches = r.batches ?? 0;
  if (r.flow_name === MISSING_FLOW_NAME || (progress === 0 && batches === 0) || r.bucket_ms === null) return;
  const f = flowOf(u, r.flow_name, r.min_ms ?? r.bucket_ms);
  const reports = r.reports ?? 0;
  if (reports > 0) {
    f.hasMetrics = true;
    f.outputRows += r.output_rows ?? 0;
    f.upsertedRows += r.upserted_rows ?? 0;
    f.deletedRows += r.deleted_rows ?? 0;
    f.outputBytes += r.output_bytes ?? 0;
    f.executorTimeMs += r.executor_time_ms ?? 0;
    f.executorCpuTimeMs += r.executor_cpu_time_ms ?? 0;
  }
  f.droppedRecords += r.dropped_records ?? 0;
  if (r.backlog_ms !== null) {
    f.backlog.push({ t: r.backlog_ms, bytes: r.backlog_bytes, records: r.backlog_records, files: r.backlog_files, seconds: r.backlog_seconds });
  }
  if (reports > 0 || batches > 0) {
    f.stream.addBucket(r.bucket_ms, r.width_ms ?? 60_000, r.series_max_ms ?? r.max_ms ?? r.bucket_ms, {
      rows: r.stream_rows ?? 0,
      reports,
      batches,
      batchMsSum: r.batch_ms_sum ?? 0,
      intervals: r.intervals ?? 0,
      intervalMsSum: r.interval_ms_sum ?? 0,
    });
  }
}

/**
 * Folds one update's summaries into `set`. Nothing is added when the overview is empty (the event
 * log does not have the update). Returns the aggregate, or null.
 */
export function foldSummaries(set: UpdateSet, s: UpdateSummaries): UpdateAgg | null {
  let events = 0;
  let detailed = 0;
  let minT = Infinity;
  let maxT = -Infinity;
  for (const r of s.overview) {
    events += r.events ?? 0;
    detailed += r.detailed ?? 0;
    if (r.min_ms !== null && r.min_ms < minT) minT = r.min_ms;
    if (r.max_ms !== null && r.max_ms > maxT) maxT = r.max_ms;
  }
  if (events === 0 || !Number.isFinite(minT)) return null;
  const u = set.update(s.updateId, minT);
  set.countRows(events, detailed);
  u.events += events;
  u.minT = Math.min(u.minT, minT);
  u.maxT = Math.max(u.maxT, maxT);
  for (const r of s.overview) if (r.cluster_id) u.clusterCounts.set(r.cluster_id, (u.clusterCounts.get(r.cluster_id) ?? 0) + (r.events ?? 0));

  let errorsSeen = 0;
  let errorsTotal = 0;
  for (const m of s.milestones) {
    milestone(set, u, m);
    if (m.kind === 'error' && m.row.origin?.update_id) {
      errorsSeen++;
      errorsTotal = Math.max(errorsTotal, m.kindTotal ?? 0);
    }
  }
  // the statement keeps the first 200 error rows of the update and the pipeline's (one cap for both)
  if (u.errors.length > MAX_ERRORS) u.errors.length = MAX_ERRORS;
  u.errorsDropped += Math.max(0, errorsTotal - Math.max(errorsSeen, MAX_ERRORS));

  for (const r of s.flowStatuses) {
    if (r.t_ms === null || r.flow_name === MISSING_FLOW_NAME) continue;
    flowOf(u, r.flow_name, r.t_ms).statuses.push({ t: r.t_ms, status: r.status.toUpperCase() });
  }
  for (const r of s.flowBuckets) flowBucket(u, r);

  if (s.clusterResources.length > 0) {
    u.clusterResources = new Downsampler(Math.max(MAX_CLUSTER_POINTS, s.clusterResources.length) + SAMPLE_SLACK);
    for (const r of s.clusterResources) {
      if (r.t_ms === null) continue;
      u.clusterResources.push({
        t: r.t_ms,
        numExecutors: r.num_executors,
        numTaskSlots: r.num_task_slots,
        avgTaskSlots: r.avg_num_task_slots,
        slotUtilization: fraction(r.avg_task_slot_utilization),
        queuedTasks: r.avg_num_queued_tasks,
        optimalExecutors: r.optimal_num_executors,
        requestedExecutors: r.requested_num_executors,
        state: r.state,
      });
    }
  }
  if (s.autoLoader.length > 0) {
    u.autoLoader = new Downsampler(Math.max(MAX_AUTOLOADER_POINTS, s.autoLoader.length) + SAMPLE_SLACK);
    for (const r of s.autoLoader) {
      if (r.t_ms === null) continue;
      u.autoLoader.push({ t: r.t_ms, durationMs: r.duration_ms, numFilesListed: r.num_files_listed, sourcePath: r.source_path });
    }
  }
  return u;
}
