/**
 * Facts derived the same way by several rules and fixes: the update's length, the cluster that
 * runs updates, the peak optimal executor count. Pure functions of Evidence. (Node metrics: node-stats.ts.)
 */
import type { ClusterSpec, Evidence, PipelineSpec, UpdateInfo } from '../evidence.js';

/** The update's duration; while it runs (durationS null), the sum of its phases so far. */
export function updateDurationS(update: UpdateInfo): number | null {
  if (update.durationS !== null) return update.durationS;
  const phases = Object.values(update.phasesS);
  return phases.length > 0 ? phases.reduce((a, b) => a + b, 0) : null;
}

/**
 * The cluster that runs updates: label "default" (or the older "updates"), never "maintenance".
 * Databricks: Enhanced Autoscaling applies to update clusters only; maintenance uses legacy.
 */
export function updatesCluster(spec: PipelineSpec): ClusterSpec | null {
  if (spec.serverless) return null;
  return spec.clusters.find((c) => c.label === 'updates') ?? spec.clusters.find((c) => c.label === 'default') ?? null;
}

/** The largest optimal_num_executors Databricks reported (cluster_resources and autoscale events). */
export function peakOptimalExecutors(evidence: Evidence): number | null {
  const values = [
    ...evidence.clusterResources.map((s) => s.optimalExecutors),
    ...evidence.autoscale.map((e) => e.optimalExecutors),
  ].filter((v): v is number => v !== null && Number.isFinite(v));
  return values.length > 0 ? Math.max(...values) : null;
}

/**
 * How much of the update a flow decides, 0..1: its share of the running phase from the timeline
 * (critical path / wall-clock split, build-evidence/dag.ts), or, without flow timings, its share of
 * the update's executor time. A flow-level finding is weighted by this: a small flow cannot name
 * the verdict however bad its own numbers look.
 */
export function flowShare(evidence: Evidence, flowName: string): number {
  const t = evidence.timeline?.flows.find((f) => f.name === flowName);
  if (t) return t.share;
  const total = evidence.flows.reduce((s, f) => s + f.executorTimeMs, 0);
  const own = evidence.flows.find((f) => f.name === flowName)?.executorTimeMs ?? 0;
  return total > 0 ? own / total : evidence.flows.length === 1 ? 1 : 0;
}

/** Share (0..1) of cluster_resources samples with every task slot busy and tasks waiting; null without samples. */
export function slotsSaturatedShare(evidence: Evidence, minUtilization = 0.9): number | null {
  const samples = evidence.clusterResources.filter((s) => s.slotUtilization !== null);
  if (samples.length === 0) return null;
  return samples.filter((s) => s.slotUtilization! >= minUtilization && (s.queuedTasks ?? 0) > 0).length / samples.length;
}

/**
 * Publishes to Unity Catalog (spec.catalog set, not hive_metastore): its tables are UC managed tables,
 * whose file sizes Databricks tunes itself (docs.databricks.com/aws/en/tables/tune-file-size).
 */
export function publishesToUnityCatalog(spec: PipelineSpec): boolean {
  return spec.catalog !== null && spec.catalog !== 'hive_metastore';
}
