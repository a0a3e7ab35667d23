/**
 * `size` replies built the way the command builds them (formula + sizeAdvice on a diagnosis of
 * fake evidence), for renderer tests: saturated, over-provisioned, serverless and flagged.
 */
import type { Reply } from '../../commands/types.js';
import { currentSizing } from '../../commands/size.js';
import type { Evidence } from '../../src/diagnosis/evidence.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { sizeAdvice, sizeFlags } from '../../src/diagnosis/size-advice.js';
import { calculateClusterSize, optimalPartitions } from '../../src/diagnosis/sizing.js';
import { fakeCluster, fakeClusterSamples, fakeEvidence, fakeNodeSamples } from './fake-evidence.js';

export type SizeReply = Extract<Reply, { kind: 'size' }>;

export function sizeReplyFor(e: Evidence | null, gb: number, complexity = 1): SizeReply {
  const formula = calculateClusterSize(gb, complexity);
  const advice = e ? sizeAdvice(e, diagnose(e), formula, gb) : null;
  const current = e ? currentSizing(e) : null;
  return {
    kind: 'size',
    input: { gb, complexity, pipeline: e?.pipeline.name ?? null },
    size: formula,
    partitions: optimalPartitions(gb),
    current,
    advice,
    flags: sizeFlags(formula, advice, current?.maxWorkers ?? null),
  };
}

/** A fixed 4-worker cluster at 93% CPU with every slot busy and tasks queued. */
export function saturatedEvidence(o: { workers?: number; cpu?: number } = {}): Evidence {
  const workers = o.workers ?? 4;
  return fakeEvidence({
    spec: { photon: false, clusters: [fakeCluster({ numWorkers: workers, autoscale: null })] },
    nodeMetrics: fakeNodeSamples({ workers, cpu: o.cpu ?? 93 }),
    clusterResources: fakeClusterSamples({ numExecutors: workers, slotUtilization: 1, queuedTasks: 40, optimalExecutors: null }),
  });
}

/** A fixed 16-worker cluster idling at `cpu`% with free slots (and `wait`% cpu_wait). */
export function idleEvidence(o: { workers?: number; cpu?: number; wait?: number } = {}): Evidence {
  const workers = o.workers ?? 16;
  return fakeEvidence({
    spec: { clusters: [fakeCluster({ numWorkers: workers, autoscale: null })] },
    nodeMetrics: fakeNodeSamples({ workers, cpu: o.cpu ?? 20, wait: o.wait ?? 3, mem: 35 }),
    clusterResources: fakeClusterSamples({ numExecutors: workers, slotUtilization: 0.2, queuedTasks: 0, optimalExecutors: null }),
  });
}

export function serverlessEvidence(): Evidence {
  return fakeEvidence({ spec: { serverless: true, photon: true, clusters: [] }, nodeMetrics: null, clusterResources: [], gaps: ['node_metrics'] });
}

/** The replies renderer tests go through. */
export function sizeReplies(): Record<string, SizeReply> {
  return {
    'size (saturated)': sizeReplyFor(saturatedEvidence(), 5.07),
    'size (over-provisioned)': sizeReplyFor(idleEvidence(), 0.83),
    'size (serverless)': sizeReplyFor(serverlessEvidence(), 1.48),
    'size (--gb 100000, flagged)': sizeReplyFor(null, 100_000),
    'size (capped)': sizeReplyFor(saturatedEvidence(), 100_000),
  };
}
