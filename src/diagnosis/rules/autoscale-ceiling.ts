import { z } from 'zod';
import { defineRule } from '../types.js';
import { peakOptimalExecutors, updatesCluster } from './pipeline-facts.js';
import { nodeStats } from './node-stats.js';
import { mean, strengthPast } from './stats.js';

const options = z.object({
  /** share of cluster_resources samples pinned at max_workers with queued tasks */
  minPinnedShare: z.number().min(0).max(1),
  /** average task-slot utilization (0..1) a pinned sample must reach */
  minSlotUtilization: z.number().min(0).max(1),
  /** optimal_num_executors above max_workers × this is critical */
  criticalOptimalRatio: z.number().min(1),
  /** share of samples whose optimal_num_executors is above max_workers for the estimate to count */
  minOptimalAboveShare: z.number().min(0).max(1),
  /** with node metrics, workers' median CPU below this means the cluster is idle: more workers would not help */
  minWorkerCpu: z.number().min(0).max(100),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'pinned' | 'optimalAboveMax'>({
  meta: {
    id: 'autoscale-ceiling',
    category: 'scaling',
    severity: 'warning',
    description: 'Autoscaling wants more workers than max_workers allows: executors sit at the ceiling with tasks queued, or Databricks reports an optimal size above it.',
    guideSection: '3.3',
    requires: ['spec', 'clusterResources'],
    options,
    defaults: { minPinnedShare: 0.5, minSlotUtilization: 0.9, criticalOptimalRatio: 1.5, minOptimalAboveShare: 0.25, minWorkerCpu: 50 },
    messages: {
      pinned: 'Executors were at max_workers ({{maxWorkers}}) with tasks queued for {{percent}}% of the update',
      optimalAboveMax: 'Databricks estimated {{optimal}} executors as optimal but max_workers is {{maxWorkers}}',
    },
  },
  check(evidence, o) {
    const cluster = updatesCluster(evidence.pipeline.spec);
    if (cluster === null || cluster.autoscale === null) return [];
    const samples = evidence.clusterResources.filter((s) => s.numExecutors !== null);
    if (samples.length === 0) return [];
    const { maxWorkers } = cluster.autoscale;
    const pinned = samples.filter(
      (s) => s.numExecutors! >= maxWorkers && (s.queuedTasks ?? 0) > 0 && (s.slotUtilization ?? 0) >= o.minSlotUtilization,
    );
    const pinnedShare = pinned.length / samples.length;
    const optimal = peakOptimalExecutors(evidence);
    // Databricks' own estimate counts when it stayed above the ceiling for a good part of the run,
    // not for a moment (a brief burst touches max and is served by the next samples).
    const estimates = evidence.clusterResources.filter((s) => s.optimalExecutors !== null);
    const aboveShare = estimates.length ? estimates.filter((s) => s.optimalExecutors! > maxWorkers).length / estimates.length : 0;
    const optimalAbove = optimal !== null && optimal > maxWorkers && (estimates.length === 0 || aboveShare >= o.minOptimalAboveShare);
    if (pinnedShare < o.minPinnedShare && !optimalAbove) return [];
    // Busy slots on idle CPUs (GC, I/O, a skewed task, a driver bottleneck): more workers do not help.
    const stats = nodeStats(evidence);
    if (stats !== null && stats.workerCpuMedian !== null && stats.workerCpuMedian < o.minWorkerCpu) return [];

    const ratio = optimal !== null ? optimal / maxWorkers : null;
    const queued = mean(pinned.map((s) => s.queuedTasks ?? 0));
    const slotUtil = mean(samples.map((s) => s.slotUtilization).filter((v): v is number => v !== null));
    const evidenceItems = [
      { metric: 'max_workers', value: maxWorkers, unit: 'workers', threshold: null, source: 'pipeline.spec' },
      { metric: 'samples pinned at max with queued tasks', value: Math.round(pinnedShare * 1000) / 10, unit: '%', threshold: o.minPinnedShare * 100, source: 'event_log:cluster_resources' },
      ...(optimal !== null ? [{ metric: 'optimal_num_executors (peak)', value: optimal, unit: 'executors', threshold: maxWorkers, source: 'event_log:cluster_resources' }] : []),
      ...(queued !== null ? [{ metric: 'queued tasks while pinned (mean)', value: Math.round(queued * 10) / 10, unit: 'tasks', threshold: 0, source: 'event_log:cluster_resources' }] : []),
      ...(slotUtil !== null ? [{ metric: 'task slot utilization (mean)', value: Math.round(slotUtil * 100) / 100, unit: 'ratio', threshold: o.minSlotUtilization, source: 'event_log:cluster_resources' }] : []),
    ];
    const strength = Math.max(
      strengthPast(pinnedShare, o.minPinnedShare, 1),
      ratio !== null && ratio > 1 ? strengthPast(ratio, 1, o.criticalOptimalRatio * 1.5) : 0,
    );
    const data: Record<string, number> = { maxWorkers, percent: Math.round(pinnedShare * 100) };
    if (optimal !== null) data.optimal = optimal;
    // raise-max-workers sizes from optimal_num_executors when it is above the ceiling, else guide §3.2
    const fixParams: Record<string, number> = {};
    if (optimalAbove && optimal !== null) fixParams.optimal = optimal;
    return [
      {
        messageId: optimalAbove ? 'optimalAboveMax' : 'pinned',
        data,
        severity: ratio !== null && ratio > o.criticalOptimalRatio ? 'critical' : 'warning',
        strength,
        evidence: evidenceItems,
        fixes: [{ id: 'raise-max-workers', params: fixParams }],
      },
    ];
  },
});
