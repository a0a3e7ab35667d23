import { z } from 'zod';
import type { FixRequest } from '../types.js';
import { defineRule } from '../types.js';
import { nodeStats, seriesMedian, sustainedShare } from './node-stats.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** a minute is under pressure when the workers' mean mem_used_percent is at least this… */
  minMem: z.number().min(0).max(100),
  /** …and some worker swaps at least this % */
  minSwap: z.number().min(0).max(100),
  /** share of the steady minutes (after warm-up) under pressure needed */
  minShare: z.number().min(0).max(1),
  /** without swap, memory this full in `minFullShare` of the minutes is pressure too */
  fullMem: z.number().min(0).max(100),
  minFullShare: z.number().min(0).max(1),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'pressure'>({
  meta: {
    id: 'memory-pressure',
    category: 'memory',
    severity: 'warning',
    description: 'Workers run with memory nearly full and swapping for a good part of the run, not just a moment: the symptom of spill and OOM before the errors show.',
    guideSection: '2.2, 8.1',
    requires: ['nodeMetrics'],
    options,
    defaults: { minMem: 85, minSwap: 1, minShare: 0.4, fullMem: 95, minFullShare: 0.6 },
    messages: {
      pressure: 'Workers ran at a median {{mem}}% memory used, under pressure in {{share}}% of the minutes after warm-up, swapping up to {{swap}}%',
    },
  },
  check(evidence, o) {
    const stats = nodeStats(evidence);
    if (stats === null || stats.series.length === 0) return [];
    const pressed = sustainedShare(stats, (m) => (m.mem >= o.minMem && m.swap >= o.minSwap ? 1 : 0), 1);
    const full = sustainedShare(stats, (m) => m.mem, o.fullMem);
    if (pressed < o.minShare && full < o.minFullShare) return [];
    const mem = seriesMedian(stats, (m) => m.mem)!;
    const swap = stats.workerSwapMax ?? 0;
    const share = Math.max(pressed, full);
    const fixes: FixRequest[] = [{ id: 'memory-optimized-instances' }, { id: 'offheap-memory' }];
    return [
      {
        messageId: 'pressure',
        data: { mem: Math.round(mem), swap: Math.round(swap * 10) / 10, share: Math.round(share * 100) },
        // Full memory without swap is how a busy Spark worker looks (executor heaps stay allocated):
        // a note, unless the node swaps too (GC and OOMs have their own rules).
        severity: pressed < o.minShare ? 'info' : share >= 0.8 && swap >= 5 ? 'critical' : 'warning',
        strength: Math.round(((strengthPast(mem, o.minMem, 99) + strengthPast(share, o.minShare, 1)) / 2) * 100) / 100,
        evidence: [
          { metric: 'workers median mem_used (after warm-up)', value: Math.round(mem * 10) / 10, unit: '%', threshold: o.minMem, source: 'system.compute.node_timeline' },
          { metric: 'minutes under memory pressure', value: Math.round(share * 100), unit: '%', threshold: o.minShare * 100, source: 'system.compute.node_timeline' },
          { metric: 'workers max mem_swap', value: Math.round(swap * 10) / 10, unit: '%', threshold: o.minSwap, source: 'system.compute.node_timeline' },
        ],
        fixes,
      },
    ];
  },
});
