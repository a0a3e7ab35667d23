import { z } from 'zod';
import { defineRule } from '../types.js';
import { nodeStats, seriesMedian, sustainedShare } from './node-stats.js';
import { flowShare } from './pipeline-facts.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** flows that matter: at least this much executor time (minutes)… */
  minExecutorMinutes: z.number().nonnegative(),
  /** …and this share of the running phase (together) */
  minFlowShare: z.number().min(0).max(1),
  /** executor_cpu_time / executor_time below this: tasks are alive but not computing */
  maxCpuRatio: z.number().min(0).max(1),
  /** while the workers' memory is at least this % … */
  minMem: z.number().min(0).max(100),
  /** … in this share of the steady minutes */
  minMemShare: z.number().min(0).max(1),
  /** and their median CPU stays below this % (busy JVMs collecting garbage, not computing) */
  maxCpu: z.number().min(0).max(100),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'thrash'>({
  meta: {
    id: 'gc-thrash',
    category: 'memory',
    severity: 'warning',
    description:
      "Executors are busy but not computing: the big flows' executor CPU time is a small part of their executor time while the workers' memory is full and their CPUs idle. The JVMs spend the run in garbage collection; more workers of the same size or faster cores do not help, more memory per core does (§3.1, §8.1).",
    guideSection: '2.2, 3.1, 8.1',
    requires: ['nodeMetrics', 'flows'],
    options,
    defaults: { minExecutorMinutes: 10, minFlowShare: 0.3, maxCpuRatio: 0.5, minMem: 88, minMemShare: 0.5, maxCpu: 60 },
    messages: {
      thrash: 'Flows using {{share}}% of the running phase spent only {{ratio}}% of their executor time on CPU while workers sat at a median {{mem}}% memory and {{cpu}}% CPU: garbage collection, not work',
    },
  },
  check(evidence, o) {
    const stats = nodeStats(evidence);
    if (stats === null || stats.series.length === 0) return [];
    // the flows that matter and are busy without computing; their executor-time-weighted ratio
    const thrashing = evidence.flows.filter(
      (f) => f.executorTimeMs >= o.minExecutorMinutes * 60_000 && f.executorCpuTimeMs / f.executorTimeMs < o.maxCpuRatio,
    );
    const exec = thrashing.reduce((s, f) => s + f.executorTimeMs, 0);
    if (exec <= 0) return [];
    const ratio = thrashing.reduce((s, f) => s + f.executorCpuTimeMs, 0) / exec;
    const share = Math.min(1, thrashing.reduce((s, f) => s + flowShare(evidence, f.name), 0));
    if (share < o.minFlowShare) return [];
    const memShare = sustainedShare(stats, (m) => m.mem, o.minMem);
    const cpu = stats.workerCpuMedian ?? 0;
    if (memShare < o.minMemShare || cpu >= o.maxCpu) return [];
    const mem = seriesMedian(stats, (m) => m.mem)!;
    return [
      {
        messageId: 'thrash',
        data: { share: Math.round(share * 100), ratio: Math.round(ratio * 100), mem: Math.round(mem), cpu: Math.round(cpu) },
        // busy-but-not-computing executors with full memory are as clear as memory signs get
        severity: ratio < o.maxCpuRatio * 0.7 && memShare >= 0.7 ? 'critical' : 'warning',
        strength: Math.round(((strengthPast(ratio, o.maxCpuRatio, 0.1) + strengthPast(memShare, o.minMemShare, 1)) / 2) * 100) / 100,
        evidence: [
          { metric: 'executor CPU time / executor time (flows that matter)', value: Math.round(ratio * 100) / 100, unit: 'ratio', threshold: o.maxCpuRatio, source: 'event_log:flow_progress' },
          { metric: `minutes with workers at or above ${o.minMem}% memory`, value: Math.round(memShare * 100), unit: '%', threshold: o.minMemShare * 100, source: 'system.compute.node_timeline' },
          { metric: 'workers median CPU', value: Math.round(cpu * 10) / 10, unit: '%', threshold: o.maxCpu, source: 'system.compute.node_timeline' },
        ],
        fixes: [{ id: 'memory-optimized-instances' }, { id: 'offheap-memory' }],
        rulesOut: ['more-workers'],
      },
    ];
  },
});
