import { z } from 'zod';
import { IO_WAIT_PERCENT, RIGHT_SIZE_CPU_BELOW, SHUFFLE_BYTES_PER_WORKER_MINUTE } from '../right-size.js';
import { defineRule } from '../types.js';
import { rule as dataSkew } from './data-skew.js';
import { nodeStats } from './node-stats.js';
import { mean, strengthPast } from './stats.js';

const options = z.object({
  /** workers' mean CPU (user + system, %) below which the cluster is oversized (§12.2: cpu_avg < 50) */
  maxCpuPercent: z.number().min(0).max(100),
  /** …and mean task-slot utilization (0..1) below this */
  maxSlotUtilization: z.number().min(0).max(1),
  /** below this mean CPU the finding is a warning rather than info */
  warningCpuPercent: z.number().min(0).max(100),
  /** the running phase must last at least this long, seconds */
  minRunningS: z.number().nonnegative(),
  /** low CPU explained by I/O: io-wait's threshold (mean cpu_wait %) */
  ioWaitPercent: z.number().min(0).max(100),
  /** low CPU explained by shuffle: shuffle-heavy's threshold (bytes per worker-minute) */
  networkBytesPerWorkerMinute: z.number().positive(),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'underused'>({
  meta: {
    id: 'over-provisioned',
    category: 'scaling',
    severity: 'info',
    description: 'Workers are mostly idle: low CPU and low task-slot utilization that I/O or shuffle does not explain. The cluster costs more than the work needs.',
    guideSection: '12.2',
    requires: ['nodeMetrics', 'clusterResources'],
    options,
    defaults: {
      maxCpuPercent: RIGHT_SIZE_CPU_BELOW,
      maxSlotUtilization: 0.5,
      warningCpuPercent: 25,
      minRunningS: 600,
      ioWaitPercent: IO_WAIT_PERCENT,
      networkBytesPerWorkerMinute: SHUFFLE_BYTES_PER_WORKER_MINUTE,
    },
    messages: {
      underused: 'Workers averaged {{cpu}}% CPU and {{slots}}% task-slot utilization over {{minutes}} min; the guide targets 70–85%',
    },
  },
  check(evidence, o) {
    if (evidence.pipeline.spec.serverless) return [];
    const runningS = evidence.update.phasesS.running ?? evidence.update.durationS;
    if (runningS === null || runningS === undefined || runningS < o.minRunningS) return [];
    const stats = nodeStats(evidence);
    if (stats === null || stats.workerCpuMean === null) return [];
    const slotUtil = mean(evidence.clusterResources.map((s) => s.slotUtilization).filter((v): v is number => v !== null));
    if (slotUtil === null) return [];
    const cpu = stats.workerCpuMean;
    if (cpu >= o.maxCpuPercent || slotUtil >= o.maxSlotUtilization) return [];
    // Idle CPUs waiting on storage or the network are an io/network problem, not too many workers.
    if ((stats.workerWaitMean ?? 0) >= o.ioWaitPercent) return [];
    if ((stats.workerNetMean ?? 0) >= o.networkBytesPerWorkerMinute) return [];
    // One busy worker with the rest waiting on it is skew (data-skew), not too many workers.
    if (dataSkew.run(evidence).length > 0) return [];
    const peakExecutors = Math.max(0, ...evidence.clusterResources.map((s) => s.numExecutors ?? 0));
    return [
      {
        messageId: 'underused',
        data: { cpu: Math.round(cpu), slots: Math.round(slotUtil * 100), minutes: Math.round(runningS / 60) },
        severity: cpu < o.warningCpuPercent ? 'warning' : 'info',
        strength: strengthPast(cpu, o.maxCpuPercent, 0),
        evidence: [
          { metric: 'workers mean CPU', value: Math.round(cpu * 10) / 10, unit: '%', threshold: o.maxCpuPercent, source: 'system.compute.node_timeline' },
          { metric: 'task slot utilization (mean)', value: Math.round(slotUtil * 100) / 100, unit: 'ratio', threshold: o.maxSlotUtilization, source: 'event_log:cluster_resources' },
          { metric: 'workers mean cpu_wait', value: Math.round((stats.workerWaitMean ?? 0) * 10) / 10, unit: '%', threshold: o.ioWaitPercent, source: 'system.compute.node_timeline' },
        ],
        fixes: [
          {
            id: 'reduce-max-workers',
            params: { cpuAvg: Math.round(cpu * 10) / 10, slotUtilization: Math.round(slotUtil * 100) / 100, ...(peakExecutors > 0 ? { peakExecutors } : {}) },
          },
        ],
        rulesOut: ['more-workers'],
      },
    ];
  },
});
