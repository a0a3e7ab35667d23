/**
 * `cluster_resources` (and the older `cluster_utilization`) and `autoscale` events → executor
 * count, task slots, queued tasks and the autoscaler's own estimates. Current docs nest the metrics
 * (`task_slot_metrics`, `autoscale_info`); the docs' example queries and older pipelines use flat
 * fields: both are read. docs.databricks.com/aws/en/ldp/monitor-event-log-schema (ClusterResources).
 */
import type { UpdateAgg } from './agg.js';
import { fraction, num, obj, str, type Obj } from './json.js';

export function clusterResources(u: UpdateAgg, t: number, cr: Obj | null): void {
  if (!cr) return;
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

export function autoscaleEvent(u: UpdateAgg, t: number, a: Obj | null): void {
  if (!a) return;
  u.autoscale.push({
    t,
    status: str(a.status),
    optimalExecutors: num(a.optimal_num_executors),
    requestedExecutors: num(a.requested_num_executors),
  });
}
