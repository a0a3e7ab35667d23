import { z } from 'zod';
import type { FixRequest } from '../types.js';
import { defineRule } from '../types.js';
import { rule as pythonUdf } from './python-udf.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** a flow needs at least this much executor time (minutes) to matter */
  minExecutorMinutes: z.number().nonnegative(),
  /** executor_cpu_time_ms / executor_time_ms at or above which the flow is CPU-bound (0..1) */
  minCpuRatio: z.number().min(0).max(1),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'cpuBound' | 'cpuBoundMany'>({
  meta: {
    id: 'executor-cpu-bound',
    category: 'cpu',
    severity: 'warning',
    description: "A flow's tasks spend almost all their executor time on CPU (flow_progress executor_cpu_time_ms vs executor_time_ms): its transformations are compute-bound. Works without node metrics (serverless too).",
    guideSection: '2.2, 6.4',
    docUrl: 'https://docs.databricks.com/aws/en/ldp/monitor-event-log-schema',
    requires: ['flows'],
    options,
    defaults: { minExecutorMinutes: 10, minCpuRatio: 0.8 },
    messages: {
      cpuBound: 'Flow {{flow}} spent {{ratio}}% of its {{minutes}} executor-minutes on CPU',
      cpuBoundMany: '{{count}} flows are CPU-bound; {{flow}} spent {{ratio}}% of its {{minutes}} executor-minutes on CPU',
    },
  },
  check(evidence, o) {
    const bound = evidence.flows
      .filter((f) => f.executorTimeMs >= o.minExecutorMinutes * 60_000 && f.executorTimeMs > 0)
      .map((f) => ({ flow: f, ratio: f.executorCpuTimeMs / f.executorTimeMs }))
      .filter((x) => x.ratio >= o.minCpuRatio)
      .sort((a, b) => b.flow.executorTimeMs - a.flow.executorTimeMs);
    const top = bound[0];
    if (top === undefined) return [];
    const minutes = Math.round(top.flow.executorTimeMs / 60_000);
    const fixes: FixRequest[] = [];
    // Photon does not run Python UDFs (§4.4): for a UDF flow, python-udf's fix is the one that helps.
    const runsUdf = top.flow.explainText !== null && pythonUdf.meta.defaults.markers.some((m) => top.flow.explainText!.includes(m));
    if (!evidence.pipeline.spec.photon && !runsUdf) fixes.push({ id: 'enable-photon' });
    fixes.push({ id: 'compute-optimized-instances' });
    return [
      {
        messageId: bound.length > 1 ? 'cpuBoundMany' : 'cpuBound',
        data: { flow: top.flow.name, ratio: Math.round(top.ratio * 100), minutes, count: bound.length },
        strength: strengthPast(top.ratio, o.minCpuRatio, 1),
        evidence: [
          { metric: `${top.flow.name} executor CPU time / executor time`, value: Math.round(top.ratio * 100) / 100, unit: 'ratio', threshold: o.minCpuRatio, source: 'event_log:flow_progress' },
          { metric: `${top.flow.name} executor time`, value: minutes, unit: 'min', threshold: o.minExecutorMinutes, source: 'event_log:flow_progress' },
          { metric: 'CPU-bound flows', value: bound.length, unit: 'flows', threshold: 1, source: 'event_log:flow_progress' },
        ],
        fixes,
      },
    ];
  },
});
