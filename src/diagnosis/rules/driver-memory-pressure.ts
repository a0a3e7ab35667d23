import { z } from 'zod';
import { defineRule } from '../types.js';
import { nodeStats, seriesMedian, sustainedShare } from './node-stats.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** a minute counts when the driver's mem_used_percent is at least this */
  minDriverMem: z.number().min(0).max(100),
  /** share of the steady minutes it must hold */
  minShare: z.number().min(0).max(1),
  /** …while the workers' median CPU stays below this (%): they wait on the driver; or the driver swaps */
  maxWorkerCpu: z.number().min(0).max(100),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'driverFull'>({
  meta: {
    id: 'driver-memory-pressure',
    category: 'memory',
    severity: 'warning',
    description: 'The driver runs with memory nearly full for a good part of the run while the workers sit mostly idle (or the driver swaps): work is being pulled onto the driver (collect, toPandas) or the driver is too small. Worker changes do not help.',
    guideSection: '8.1, 8.2',
    requires: ['nodeMetrics'],
    options,
    defaults: { minDriverMem: 90, minShare: 0.5, maxWorkerCpu: 50 },
    messages: {
      driverFull: 'The driver ran at a median {{mem}}% memory used ({{share}}% of the minutes at or above {{min}}%) while workers ran at {{cpu}}% CPU',
    },
  },
  check(evidence, o) {
    const stats = nodeStats(evidence);
    if (stats === null || stats.driverMemMean === null) return [];
    const share = sustainedShare(stats, (m) => m.driverMem, o.minDriverMem);
    if (share < o.minShare) return [];
    const mem = seriesMedian(stats, (m) => m.driverMem)!;
    const cpu = stats.workerCpuMedian ?? 0;
    const swaps = sustainedShare(stats, (m) => m.driverSwap, 1) >= 0.3;
    if (cpu >= o.maxWorkerCpu && !swaps) return [];
    return [
      {
        messageId: 'driverFull',
        data: { mem: Math.round(mem), cpu: Math.round(cpu), share: Math.round(share * 100), min: o.minDriverMem },
        strength: Math.round(((strengthPast(mem, o.minDriverMem, 100) + strengthPast(share, o.minShare, 1)) / 2) * 100) / 100,
        evidence: [
          { metric: 'driver median mem_used (after warm-up)', value: Math.round(mem * 10) / 10, unit: '%', threshold: o.minDriverMem, source: 'system.compute.node_timeline' },
          { metric: `minutes with the driver at or above ${o.minDriverMem}% memory`, value: Math.round(share * 100), unit: '%', threshold: o.minShare * 100, source: 'system.compute.node_timeline' },
          { metric: 'workers median CPU', value: Math.round(cpu * 10) / 10, unit: '%', threshold: o.maxWorkerCpu, source: 'system.compute.node_timeline' },
        ],
        fixes: [{ id: 'avoid-collect' }, { id: 'larger-driver' }],
        rulesOut: ['workers'],
      },
    ];
  },
});
