import { z } from 'zod';
import { defineRule } from '../types.js';
import { nodeStats } from './node-stats.js';
import { strengthPast } from './stats.js';

const GIB = 1024 ** 3;

const options = z.object({
  /** workers' mean network_sent_bytes + network_received_bytes per worker-minute at or above which the run is shuffle-heavy */
  minNetBytesPerWorkerMinute: z.number().positive(),
  /** …while their mean CPU (user + system) stays below this % */
  maxCpu: z.number().min(0).max(100),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'shuffleBound'>({
  meta: {
    id: 'shuffle-heavy',
    category: 'network',
    severity: 'warning',
    description: "Workers move a lot of data over the network with low CPU: the guide's network-bound pattern (large shuffles, slow joins).",
    guideSection: '2.2, 3.1, 6.2, 6.3',
    requires: ['nodeMetrics'],
    options,
    defaults: { minNetBytesPerWorkerMinute: GIB, maxCpu: 50 },
    messages: {
      shuffleBound: 'Workers moved {{gib}} GiB per worker-minute over the network while averaging only {{cpu}}% CPU',
    },
  },
  check(evidence, o) {
    const stats = nodeStats(evidence);
    if (stats === null || stats.workerNetMean === null || stats.workerCpuMean === null) return [];
    const net = stats.workerNetMean;
    const cpu = stats.workerCpuMean;
    if (net < o.minNetBytesPerWorkerMinute || cpu >= o.maxCpu) return [];
    return [
      {
        messageId: 'shuffleBound',
        data: { gib: Math.round((net / GIB) * 10) / 10, cpu: Math.round(cpu) },
        strength: strengthPast(net, o.minNetBytesPerWorkerMinute, 4 * o.minNetBytesPerWorkerMinute),
        evidence: [
          { metric: 'workers mean network sent+received', value: Math.round(net), unit: 'bytes/min', threshold: o.minNetBytesPerWorkerMinute, source: 'system.compute.node_timeline' },
          { metric: 'workers mean CPU', value: Math.round(cpu * 10) / 10, unit: '%', threshold: o.maxCpu, source: 'system.compute.node_timeline' },
        ],
        fixes: [{ id: 'broadcast-threshold' }, { id: 'enable-aqe-coalesce' }, { id: 'storage-optimized-instances', params: { size: 'large' } }],
      },
    ];
  },
});
