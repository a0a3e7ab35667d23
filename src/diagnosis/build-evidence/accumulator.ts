/**
 * The single streaming pass: event rows are folded one by one into per-update aggregates (agg.ts)
 * by the module of their event family; memory stays bounded, no raw row is kept.
 */
import { DoctorError } from '../../errors.js';
import type { EventRow, RawUpdate } from '../../databricks/schemas.js';
import type { ErrorInfo } from '../evidence.js';
import { MAX_ERRORS, newUpdate, type UpdateAgg } from './agg.js';
import { autoscaleEvent, clusterResources } from './cluster-resources.js';
import { errorOf } from './errors.js';
import { flowDefinition, flowProgress, streamProgress } from './flows.js';
import { obj } from './json.js';
import { operationProgress, runtimeDetails } from './operations.js';
import { createUpdate, endOf, startOf, TERMINAL_UPDATE_STATES, updateProgress } from './phases.js';
import { planningInformation } from './planning.js';

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

  /** distinct update ids seen so far (the bundle reader caps them) */
  get updateCount(): number {
    return this.updates.size;
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
        flowProgress(u, row, t, details);
        break;
      case 'stream_progress':
        streamProgress(u, row, t, details);
        break;
      case 'cluster_resources':
      case 'cluster_utilization':
        if (details) clusterResources(u, t, obj(details[type]));
        break;
      case 'update_progress':
        updateProgress(u, row, t, details);
        break;
      case 'create_update':
        createUpdate(u, t, details);
        break;
      case 'flow_definition':
        if (details) flowDefinition(u, origin.flow_name ?? null, obj(details.flow_definition));
        break;
      case 'planning_information':
        if (details) planningInformation(u, origin.flow_name ?? origin.dataset_name ?? null, t, obj(details.planning_information));
        break;
      case 'autoscale':
        autoscaleEvent(u, t, obj(details?.autoscale));
        break;
      case 'operation_progress':
        operationProgress(u, t, obj(details?.operation_progress));
        break;
      case 'runtime_details':
        runtimeDetails(u, obj(details?.runtime_details));
        break;
      default:
        break;
    }

    const err = errorOf(row, t);
    if (err) {
      if (u.errors.length < MAX_ERRORS) u.errors.push(err);
      else u.errorsDropped++;
    }
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
