import { z } from 'zod';
import { atUsualPace } from '../baseline.js';
import { defineRule } from '../types.js';
import { nodeStats, seriesMedian, sustainedShare } from './node-stats.js';
import { strengthPast } from './stats.js';

const GIB = 1024 ** 3;

const options = z.object({
  /** workers' mean network_sent_bytes + network_received_bytes per worker-minute at or above which the run is shuffle-heavy */
  minNetBytesPerWorkerMinute: z.number().positive(),
  /** …while their mean CPU (user + system) stays below this % */
  maxCpu: z.number().min(0).max(100),
  /** share of the steady minutes (after warm-up) at or above the network threshold */
  minShare: z.number().min(0).max(1),
  /** median bytes per worker-minute that are heavy on any node's link (≈ 1.1 Gbit/s in + out) */
  heavyNetBytesPerWorkerMinute: z.number().positive(),
  /** below heavy, an update within this ratio of its baseline duration is at its usual pace: info */
  usualPaceRatio: z.number().min(1),
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
    defaults: { minNetBytesPerWorkerMinute: GIB, maxCpu: 50, minShare: 0.5, heavyNetBytesPerWorkerMinute: 8 * GIB, usualPaceRatio: 1.25 },
    messages: {
      shuffleBound: 'Workers moved a median {{gib}} GiB per worker-minute over the network ({{share}}% of the minutes after warm-up above {{min}} GiB) at only {{cpu}}% CPU',
    },
  },
  check(evidence, o) {
    const stats = nodeStats(evidence);
    if (stats === null || stats.series.length === 0) return [];
    const net = seriesMedian(stats, (m) => m.net)!;
    const cpu = stats.workerCpuMedian!;
    const share = sustainedShare(stats, (m) => m.net, o.minNetBytesPerWorkerMinute);
    if (share < o.minShare || cpu >= o.maxCpu) return [];
    // How many bytes make a shuffle-bound run depends on the nodes' links, which node_timeline does
    // not report; a few GiB a minute is a few percent of one. Moderate traffic names the verdict only
    // when the update is slower than usual (or there is no usual); heavy traffic names it anyway.
    const usualPace = atUsualPace(evidence, o.usualPaceRatio);
    const heavy = net >= o.heavyNetBytesPerWorkerMinute;
    return [
      {
        messageId: 'shuffleBound',
        ...(usualPace && !heavy ? { severity: 'info' as const } : {}),
        data: { gib: Math.round((net / GIB) * 10) / 10, cpu: Math.round(cpu), share: Math.round(share * 100), min: Math.round((o.minNetBytesPerWorkerMinute / GIB) * 10) / 10 },
        strength: Math.round(((strengthPast(net, o.minNetBytesPerWorkerMinute, 4 * o.minNetBytesPerWorkerMinute) + strengthPast(share, o.minShare, 1)) / 2) * 100) / 100,
        evidence: [
          { metric: 'workers median network sent+received (after warm-up)', value: Math.round(net), unit: 'bytes/min', threshold: o.minNetBytesPerWorkerMinute, source: 'system.compute.node_timeline' },
          { metric: 'minutes above the network threshold', value: Math.round(share * 100), unit: '%', threshold: o.minShare * 100, source: 'system.compute.node_timeline' },
          { metric: 'workers median CPU', value: Math.round(cpu * 10) / 10, unit: '%', threshold: o.maxCpu, source: 'system.compute.node_timeline' },
        ],
        fixes: [{ id: 'broadcast-threshold' }, { id: 'enable-aqe-coalesce' }, { id: 'storage-optimized-instances', params: { size: 'large' } }],
      },
    ];
  },
});
