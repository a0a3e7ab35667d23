import { z } from 'zod';
import type { Evidence } from '../evidence.js';
import type { EvidenceItem, FixRequest } from '../types.js';
import { defineRule } from '../types.js';
import { nodeStats, sustainedShare, type NodeStats } from './node-stats.js';
import { peakOptimalExecutors, updatesCluster } from './pipeline-facts.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** median over the steady minutes of the workers' CPU (user + system, %) at or above which they are saturated (§1.2: 70–85% is optimal) */
  minMeanCpu: z.number().min(0).max(100),
  /** a minute whose workers' mean CPU is at or above this % counts as hot */
  hotCpu: z.number().min(0).max(100),
  /** share (0..1) of the steady minutes (after warm-up) that must be hot: a spike is not saturation */
  minHotShare: z.number().min(0).max(1),
  /** workers' median memory at or above which compute-optimized nodes (less memory per core, §3.1) would hurt */
  memoryBoundMem: z.number().min(0).max(100),
  /** mean CPU % at or above which the finding is critical */
  criticalMeanCpu: z.number().min(0).max(100),
  /** share (0..1) of the run the cluster must sit at max_workers to count as pinned */
  pinnedShare: z.number().min(0).max(1),
  /** share of cluster_resources samples below max_workers with tasks queued (LEGACY or unset mode) that makes hot CPUs a scaling lag */
  rampingShare: z.number().min(0).max(1),
});
type Options = z.infer<typeof options>;

const r1 = (x: number): number => Math.round(x * 10) / 10;

/** Share of cluster_resources samples with executors below `maxWorkers` and tasks queued. */
function starvedBelowMax(evidence: Evidence, maxWorkers: number): number {
  const s = evidence.clusterResources.filter((x) => x.numExecutors !== null);
  if (s.length === 0) return 0;
  return s.filter((x) => x.numExecutors! < maxWorkers && (x.queuedTasks ?? 0) > 0).length / s.length;
}

/** Share of the run the autoscaling update cluster sat at max_workers (cluster_resources, else node_timeline). */
function pinnedAtMax(evidence: Evidence, stats: NodeStats): { maxWorkers: number; share: number } | null {
  const cluster = updatesCluster(evidence.pipeline.spec);
  if (cluster === null || cluster.autoscale === null) return null;
  const { maxWorkers } = cluster.autoscale;
  const samples = evidence.clusterResources.filter((s) => s.numExecutors !== null);
  if (samples.length > 0) return { maxWorkers, share: samples.filter((s) => s.numExecutors! >= maxWorkers).length / samples.length };
  if (stats.minutes.length === 0) return null;
  return { maxWorkers, share: stats.minutes.filter((m) => m.workers.length >= maxWorkers).length / stats.minutes.length };
}

export const rule = defineRule<Options, 'saturated' | 'saturatedAtMax' | 'hotWhileRamping'>({
  meta: {
    id: 'cpu-saturation',
    category: 'cpu',
    severity: 'warning',
    description: "Workers' CPU stays above the guide's 70–85% band for most of the run: the update is CPU-bound.",
    guideSection: '1.2, 2.2, 3.1',
    requires: ['nodeMetrics'],
    options,
    defaults: { minMeanCpu: 85, hotCpu: 85, minHotShare: 0.6, memoryBoundMem: 85, criticalMeanCpu: 90, pinnedShare: 0.5, rampingShare: 0.4 },
    messages: {
      saturated: 'Workers ran at a median {{cpu}}% CPU, at or above {{hot}}% in {{share}}% of the minutes after warm-up',
      hotWhileRamping: 'Workers ran at a median {{cpu}}% CPU while the cluster was still short of nodes: below max_workers ({{maxWorkers}}) with tasks queued in {{share}}% of the samples',
      saturatedAtMax: 'Workers ran at a median {{cpu}}% CPU (at or above {{hot}}% in {{share}}% of the minutes after warm-up) while the cluster sat at max_workers ({{maxWorkers}})',
    },
  },
  check(evidence, o) {
    const stats = nodeStats(evidence);
    if (stats === null || stats.workerCpuMedian === null) return [];
    const cpu = stats.workerCpuMedian;
    const hotShare = sustainedShare(stats, (m) => m.cpu, o.hotCpu);
    if (cpu < o.minMeanCpu || hotShare < o.minHotShare) return [];

    // Hot CPUs on a cluster still short of nodes — below max_workers with tasks queued for much of
    // the run under LEGACY (or unset) autoscaling — are a scaling lag (§3.3): legacy-autoscaling
    // names it; faster cores would not fix too few of them.
    const cluster = updatesCluster(evidence.pipeline.spec);
    const lagging = cluster?.autoscale && cluster.autoscale.mode !== 'ENHANCED' ? starvedBelowMax(evidence, cluster.autoscale.maxWorkers) : 0;
    if (lagging >= o.rampingShare) {
      return [
        {
          messageId: 'hotWhileRamping',
          data: { cpu: Math.round(cpu), share: Math.round(lagging * 100), maxWorkers: cluster!.autoscale!.maxWorkers },
          severity: 'info',
          strength: 0.5,
          evidence: [
            { metric: 'workers median CPU (after warm-up)', value: r1(cpu), unit: '%', threshold: o.minMeanCpu, source: 'system.compute.node_timeline' },
            { metric: 'samples below max_workers with tasks queued', value: r1(lagging * 100), unit: '%', threshold: o.rampingShare * 100, source: 'event_log:cluster_resources' },
          ],
          fixes: [],
        },
      ];
    }
    const pinned = pinnedAtMax(evidence, stats);
    const atMax = pinned !== null && pinned.share >= o.pinnedShare;
    const evidenceItems: EvidenceItem[] = [
      { metric: 'workers median CPU (after warm-up)', value: r1(cpu), unit: '%', threshold: o.minMeanCpu, source: 'system.compute.node_timeline' },
      { metric: `minutes at or above ${o.hotCpu}% CPU`, value: r1(hotShare * 100), unit: '%', threshold: o.minHotShare * 100, source: 'system.compute.node_timeline' },
      { metric: 'workers', value: stats.workerCount, unit: 'nodes', threshold: null, source: 'system.compute.node_timeline' },
    ];
    if (pinned !== null) {
      evidenceItems.push({ metric: 'run at max_workers', value: r1(pinned.share * 100), unit: '%', threshold: o.pinnedShare * 100, source: evidence.clusterResources.length > 0 ? 'event_log:cluster_resources' : 'system.compute.node_timeline' });
    }
    // Pinned at the ceiling: more workers is the first lever; faster cores (§3.1) either way.
    const optimal = peakOptimalExecutors(evidence);
    const fixes: FixRequest[] = atMax ? [{ id: 'raise-max-workers', params: optimal !== null && optimal > pinned.maxWorkers ? { optimal } : {} }] : [];
    // Compute-optimized nodes have less memory per core (§3.1): not while memory is nearly full too.
    if ((stats.workerMemMedian ?? 0) < o.memoryBoundMem) fixes.push({ id: 'compute-optimized-instances' });
    if (!evidence.pipeline.spec.photon) fixes.push({ id: 'enable-photon' });

    const data: Record<string, number> = { cpu: Math.round(cpu), share: Math.round(hotShare * 100), hot: o.hotCpu };
    if (atMax) data.maxWorkers = pinned.maxWorkers;
    return [
      {
        messageId: atMax ? 'saturatedAtMax' : 'saturated',
        data,
        severity: cpu >= o.criticalMeanCpu ? 'critical' : 'warning',
        strength: Math.round(((strengthPast(cpu, o.minMeanCpu, 97) + strengthPast(hotShare, o.minHotShare, 1)) / 2) * 100) / 100,
        evidence: evidenceItems,
        fixes,
      },
    ];
  },
});
