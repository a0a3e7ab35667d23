import { z } from 'zod';
import { defineRule } from '../types.js';
import { nodeStats } from './node-stats.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** driver's mean mem_used_percent at or above which it is out of memory */
  minDriverMem: z.number().min(0).max(100),
  /** …while the workers' mean CPU stays below this (%): they wait on the driver */
  maxWorkerCpu: z.number().min(0).max(100),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'driverFull'>({
  meta: {
    id: 'driver-memory-pressure',
    category: 'memory',
    severity: 'warning',
    description: 'The driver runs with memory nearly full while the workers sit mostly idle: work is being pulled onto the driver (collect, toPandas) or the driver is too small for the pipeline.',
    guideSection: '8.1, 8.2',
    requires: ['nodeMetrics'],
    options,
    defaults: { minDriverMem: 90, maxWorkerCpu: 40 },
    messages: {
      driverFull: 'The driver averaged {{mem}}% memory used while workers averaged only {{cpu}}% CPU',
    },
  },
  check(evidence, o) {
    const stats = nodeStats(evidence);
    if (stats === null || stats.driverMemMean === null || stats.workerCpuMean === null) return [];
    const mem = stats.driverMemMean;
    const cpu = stats.workerCpuMean;
    if (mem < o.minDriverMem || cpu >= o.maxWorkerCpu) return [];
    return [
      {
        messageId: 'driverFull',
        data: { mem: Math.round(mem), cpu: Math.round(cpu) },
        strength: strengthPast(mem, o.minDriverMem, 100),
        evidence: [
          { metric: 'driver mean mem_used', value: Math.round(mem * 10) / 10, unit: '%', threshold: o.minDriverMem, source: 'system.compute.node_timeline' },
          { metric: 'workers mean CPU', value: Math.round(cpu * 10) / 10, unit: '%', threshold: o.maxWorkerCpu, source: 'system.compute.node_timeline' },
        ],
        fixes: [{ id: 'avoid-collect' }, { id: 'larger-driver' }],
      },
    ];
  },
});
