import { z } from 'zod';
import { defineRule } from '../types.js';
import { nodeStats } from './node-stats.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** workers' mean mem_used_percent at or above which memory is exhausted */
  minMeanMem: z.number().min(0).max(100),
  /** …and the highest mem_swap_percent on any worker must reach this (a small swap is normal) */
  minMaxSwap: z.number().min(0).max(100),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'pressure'>({
  meta: {
    id: 'memory-pressure',
    category: 'memory',
    severity: 'warning',
    description: 'Workers run with memory nearly full and swapping: the symptom of spill and OOM before the errors show.',
    guideSection: '2.2, 8.1',
    requires: ['nodeMetrics'],
    options,
    defaults: { minMeanMem: 90, minMaxSwap: 5 },
    messages: {
      pressure: 'Workers averaged {{mem}}% memory used and swapped up to {{swap}}%',
    },
  },
  check(evidence, o) {
    const stats = nodeStats(evidence);
    if (stats === null || stats.workerMemMean === null || stats.workerSwapMax === null) return [];
    const mem = stats.workerMemMean;
    const swap = stats.workerSwapMax;
    if (mem < o.minMeanMem || swap < o.minMaxSwap) return [];
    return [
      {
        messageId: 'pressure',
        data: { mem: Math.round(mem), swap: Math.round(swap * 10) / 10 },
        strength: Math.round(((strengthPast(mem, o.minMeanMem, 100) + strengthPast(swap, o.minMaxSwap, 5 * o.minMaxSwap)) / 2) * 100) / 100,
        evidence: [
          { metric: 'workers mean mem_used', value: Math.round(mem * 10) / 10, unit: '%', threshold: o.minMeanMem, source: 'system.compute.node_timeline' },
          { metric: 'workers max mem_swap', value: Math.round(swap * 10) / 10, unit: '%', threshold: o.minMaxSwap, source: 'system.compute.node_timeline' },
        ],
        fixes: [{ id: 'memory-optimized-instances' }],
      },
    ];
  },
});
