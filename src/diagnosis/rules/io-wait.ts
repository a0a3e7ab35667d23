import { z } from 'zod';
import { defineRule } from '../types.js';
import { nodeStats } from './node-stats.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** workers' mean cpu_wait_percent (I/O wait) at or above which the run is I/O-bound */
  minWait: z.number().min(0).max(100),
  /** …while their mean CPU (user + system) stays below this % */
  maxCpu: z.number().min(0).max(100),
  /** mean cpu_wait % at or above which the finding is critical */
  criticalWait: z.number().min(0).max(100),
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
    defaults: { minWait: 15, maxCpu: 50, criticalWait: 30 },
    messages: {
      ioBound: 'Workers spent {{wait}}% of CPU time waiting on I/O and averaged only {{cpu}}% CPU',
    },
  },
  check(evidence, o) {
    const stats = nodeStats(evidence);
    if (stats === null || stats.workerWaitMean === null || stats.workerCpuMean === null) return [];
    const wait = stats.workerWaitMean;
    const cpu = stats.workerCpuMean;
    if (wait < o.minWait || cpu >= o.maxCpu) return [];
    return [
      {
        messageId: 'ioBound',
        data: { wait: Math.round(wait), cpu: Math.round(cpu) },
        severity: wait >= o.criticalWait ? 'critical' : 'warning',
        strength: strengthPast(wait, o.minWait, 2 * o.criticalWait),
        evidence: [
          { metric: 'workers mean cpu_wait', value: Math.round(wait * 10) / 10, unit: '%', threshold: o.minWait, source: 'system.compute.node_timeline' },
          { metric: 'workers mean CPU', value: Math.round(cpu * 10) / 10, unit: '%', threshold: o.maxCpu, source: 'system.compute.node_timeline' },
        ],
        fixes: [{ id: 'storage-optimized-instances' }, { id: 'enable-io-cache' }, { id: 'optimize-write' }],
      },
    ];
  },
});
