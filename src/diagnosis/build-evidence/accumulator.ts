/**
 * The single streaming pass: event rows are folded one by one into per-update aggregates (agg.ts)
 * by the module of their event family; memory stays bounded, no raw row is kept.
 */
import type { EventRow } from '../../databricks/schemas.js';
import { MAX_ERRORS, type UpdateAgg } from './agg.js';
import { autoscaleEvent, clusterResources } from './cluster-resources.js';
import { errorOf } from './errors.js';
import { flowDefinition, flowProgress, streamProgress } from './flows.js';
import { obj } from './json.js';
import { operationProgress, runtimeDetails } from './operations.js';
import { createUpdate, updateProgress } from './phases.js';
import { UpdateSet } from './update-set.js';
import { planningInformation } from './planning.js';

/**
 * Streams event rows into per-update aggregates. Rows are `EventRow`s already validated at the edge
 * (zod or the bundle reader's fast path). Unknown event types are ignored.
 */
export class EventAccumulator extends UpdateSet {
  private withoutUpdate = 0;
  private lastUpdate: UpdateAgg | null = null;

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
      if (err) this.addPipelineError(err, MAX_ERRORS);
      return;
    }

    let u = this.lastUpdate;
    if (u === null || u.id !== updateId) {
      u = this.update(updateId, t);
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

  /** rows without `origin.update_id` (maintenance, pipeline-level) */
  get rowsWithoutUpdate(): number {
    return this.withoutUpdate;
  }
}
