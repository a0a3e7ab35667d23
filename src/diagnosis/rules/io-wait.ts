import { z } from 'zod';
import { defineRule } from '../types.js';
import { nodeStats, seriesMedian, sustainedShare } from './node-stats.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** workers' mean cpu_wait_percent (I/O wait) at or above which the run is I/O-bound */
  minWait: z.number().min(0).max(100),
  /** …while their mean CPU (user + system) stays below this % */
  maxCpu: z.number().min(0).max(100),
  /** median cpu_wait % at or above which the finding is critical */
  criticalWait: z.number().min(0).max(100),
  /** share of the steady minutes (after warm-up) with cpu_wait at or above minWait */
  minShare: z.number().min(0).max(1),
  /** swapping explains I/O wait (pages going to disk): a worker swapping at least this % … */
  swapPercent: z.number().min(0).max(100),
  /** … in this share of the minutes hands the finding to memory-pressure */
  swapShare: z.number().min(0).max(1),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'ioBound'>({
  meta: {
    id: 'io-wait',
    category: 'io',
    severity: 'warning',
    description: "Workers spend a large share of time waiting on disk or storage I/O with low CPU: the guide's I/O-bound pattern (low CPU, slow reads/writes).",
    guideSection: '2.2, 3.1, 3.4, 7.1',
    requires: ['nodeMetrics'],
    options,
    defaults: { minWait: 15, maxCpu: 50, criticalWait: 30, minShare: 0.5, swapPercent: 5, swapShare: 0.3 },
    messages: {
      ioBound: 'Workers spent a median {{wait}}% of CPU time waiting on I/O ({{share}}% of the minutes after warm-up at or above {{min}}%) at only {{cpu}}% CPU',
    },
  },
  check(evidence, o) {
    const stats = nodeStats(evidence);
    if (stats === null || stats.series.length === 0) return [];
    const wait = seriesMedian(stats, (m) => m.wait)!;
    const cpu = stats.workerCpuMedian!;
    const share = sustainedShare(stats, (m) => m.wait, o.minWait);
    if (share < o.minShare || wait < o.minWait * 0.8 || cpu >= o.maxCpu) return [];
    // Swapping shows up as I/O wait: that is memory pressure, not slow storage.
    if (sustainedShare(stats, (m) => m.swap, o.swapPercent) >= o.swapShare) return [];
    return [
      {
        messageId: 'ioBound',
        data: { wait: Math.round(wait), cpu: Math.round(cpu), share: Math.round(share * 100), min: o.minWait },
        severity: wait >= o.criticalWait ? 'critical' : 'warning',
        strength: Math.round(((strengthPast(wait, o.minWait, 2 * o.criticalWait) + strengthPast(share, o.minShare, 1)) / 2) * 100) / 100,
        evidence: [
          { metric: 'workers median cpu_wait (after warm-up)', value: Math.round(wait * 10) / 10, unit: '%', threshold: o.minWait, source: 'system.compute.node_timeline' },
          { metric: `minutes with cpu_wait at or above ${o.minWait}%`, value: Math.round(share * 100), unit: '%', threshold: o.minShare * 100, source: 'system.compute.node_timeline' },
          { metric: 'workers median CPU', value: Math.round(cpu * 10) / 10, unit: '%', threshold: o.maxCpu, source: 'system.compute.node_timeline' },
        ],
        fixes: [{ id: 'storage-optimized-instances' }, { id: 'enable-io-cache' }, { id: 'optimize-write' }, { id: 'predictive-optimization' }],
      },
    ];
  },
});
