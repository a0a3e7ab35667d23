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
