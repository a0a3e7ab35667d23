import { z } from 'zod';
import { SKEW } from '../right-size.js';
import { defineRule } from '../types.js';
import { nodeStats } from './node-stats.js';
import { mean, median, strengthPast } from './stats.js';

const options = z.object({
  /** in a skewed minute the busiest worker's CPU is at least this many times the median worker's */
  minRatio: z.number().min(1),
  /** …and at least this CPU % */
  minBusiestCpu: z.number().min(0).max(100),
  /** skewed minutes needed to report… */
  minMinutes: z.number().int().positive(),
  /** …and their share of the steady minutes (after warm-up): skew that lasts, not one slow task */
  minShare: z.number().min(0).max(1),
  /** a minute counts only with at least this many workers reporting (with 2 the median includes the busiest) */
  minWorkers: z.number().int().min(3),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'skewed'>({
  meta: {
    id: 'data-skew',
    category: 'network',
    severity: 'warning',
    description: 'For minutes at a time one worker is busy while the others idle: a few partitions (skewed keys) hold most of the data and one task holds up the stage.',
    guideSection: '2.2, 8.3, 11.2',
    requires: ['nodeMetrics'],
    options,
    // the per-minute test is the one the digest applies in SQL (right-size.ts SKEW, digest-utilization.sql)
    defaults: { minRatio: SKEW.minRatio, minBusiestCpu: SKEW.minBusiestCpu, minMinutes: 5, minShare: SKEW.minShare, minWorkers: SKEW.minWorkers },
    messages: {
      skewed: 'For {{minutes}} min one worker ran at {{busiest}}% CPU while the median worker ran at {{median}}% ({{ratio}}×)',
    },
  },
  check(evidence, o) {
    const stats = nodeStats(evidence);
    if (stats === null) return [];
    const skewed: { busiest: number; median: number; instance: string }[] = [];
    for (const minute of stats.minutes) {
      if (minute.workers.length < o.minWorkers) continue;
      const cpus = minute.workers.map((w) => w.cpuUser + w.cpuSystem);
      const med = median(cpus)!;
      const top = minute.workers.reduce((a, b) => (b.cpuUser + b.cpuSystem > a.cpuUser + a.cpuSystem ? b : a));
      const busiest = top.cpuUser + top.cpuSystem;
      // An idle median (0%) would make any ratio infinite; floor it at 1%.
      if (busiest >= o.minBusiestCpu && busiest >= o.minRatio * Math.max(med, 1)) skewed.push({ busiest, median: med, instance: top.instanceId });
    }
    const counted = stats.minutes.filter((m) => m.workers.length >= o.minWorkers).length;
    if (skewed.length < o.minMinutes || counted === 0 || skewed.length / counted < o.minShare) return [];
    const busiest = mean(skewed.map((s) => s.busiest))!;
    const med = mean(skewed.map((s) => s.median))!;
    const ratio = busiest / Math.max(med, 1);
    const counts = new Map<string, number>();
    for (const s of skewed) counts.set(s.instance, (counts.get(s.instance) ?? 0) + 1);
    const [instance] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    return [
      {
        messageId: 'skewed',
        data: { minutes: skewed.length, busiest: Math.round(busiest), median: Math.round(med), ratio: Math.round(ratio * 10) / 10 },
        strength: Math.max(strengthPast(skewed.length, o.minMinutes, 4 * o.minMinutes), strengthPast(Math.min(ratio, 4 * o.minRatio), o.minRatio, 4 * o.minRatio)),
        evidence: [
          { metric: 'skewed minutes', value: skewed.length, unit: 'min', threshold: o.minMinutes, source: 'system.compute.node_timeline' },
          { metric: 'busiest worker CPU (mean over skewed minutes)', value: Math.round(busiest * 10) / 10, unit: '%', threshold: o.minBusiestCpu, source: 'system.compute.node_timeline' },
          { metric: 'median worker CPU (mean over skewed minutes)', value: Math.round(med * 10) / 10, unit: '%', threshold: null, source: 'system.compute.node_timeline' },
          { metric: 'busiest / median CPU', value: Math.round(ratio * 10) / 10, unit: 'x', threshold: o.minRatio, source: 'system.compute.node_timeline' },
          { metric: 'most often busiest worker', value: instance, unit: '', threshold: null, source: 'system.compute.node_timeline' },
        ],
        fixes: [{ id: 'enable-skew-join' }, { id: 'salt-skewed-key' }],
        rulesOut: ['more-workers'],
      },
    ];
  },
});
