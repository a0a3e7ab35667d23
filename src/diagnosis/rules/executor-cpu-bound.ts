import { z } from 'zod';
import type { FixRequest, Severity } from '../types.js';
import { defineRule } from '../types.js';
import { nodeStats, sustainedShare } from './node-stats.js';
import { flowShare, slotsSaturatedShare } from './pipeline-facts.js';
import { rule as pythonUdf } from './python-udf.js';
import { strengthPast } from './stats.js';

const options = z.object({
  /** a flow needs at least this much executor time (minutes) to matter */
  minExecutorMinutes: z.number().nonnegative(),
  /** executor_cpu_time_ms / executor_time_ms at or above which the flow is CPU-heavy (0..1) */
  minCpuRatio: z.number().min(0).max(1),
  /** the flow's share of the running phase (critical path / wall clock) needed to name the verdict */
  minFlowShare: z.number().min(0).max(1),
  /** corroboration: share of the steady minutes with workers at or above `busyCpu` % … */
  minBusyShare: z.number().min(0).max(1),
  busyCpu: z.number().min(0).max(100),
  /** … or of cluster_resources samples with all slots busy and tasks queued */
  minSaturatedSlotsShare: z.number().min(0).max(1),
  /** without node metrics or cluster_resources (serverless), the ratio alone must reach this */
  minRatioAlone: z.number().min(0).max(1),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'cpuBound' | 'cpuHeavy'>({
  meta: {
    id: 'executor-cpu-bound',
    category: 'cpu',
    severity: 'warning',
    description:
      "A flow that decides much of the update spends almost all its executor time on CPU (flow_progress executor_cpu_time_ms vs executor_time_ms) while the cluster's CPUs or task slots are saturated. A ratio near 0.8 alone is what ordinary ETL reports: without saturation, or for a small flow, the finding is info.",
    guideSection: '2.2, 6.4',
    docUrl: 'https://docs.databricks.com/aws/en/ldp/monitor-event-log-schema',
    requires: ['flows'],
    options,
    defaults: { minExecutorMinutes: 10, minCpuRatio: 0.8, minFlowShare: 0.3, minBusyShare: 0.5, busyCpu: 85, minSaturatedSlotsShare: 0.5, minRatioAlone: 0.9 },
    messages: {
      cpuBound: 'Flow {{flow}} ({{share}}% of the running phase) spent {{ratio}}% of its {{minutes}} executor-minutes on CPU while the cluster was saturated',
      cpuHeavy: 'Flow {{flow}} spent {{ratio}}% of its {{minutes}} executor-minutes on CPU ({{share}}% of the running phase; {{why}})',
    },
  },
  check(evidence, o) {
    const heavy = evidence.flows
      .filter((f) => f.executorTimeMs >= o.minExecutorMinutes * 60_000 && f.executorTimeMs > 0)
      .map((f) => ({ flow: f, ratio: f.executorCpuTimeMs / f.executorTimeMs, share: flowShare(evidence, f.name) }))
      .filter((x) => x.ratio >= o.minCpuRatio)
      .sort((a, b) => b.share - a.share || b.flow.executorTimeMs - a.flow.executorTimeMs);
    const top = heavy[0];
    if (top === undefined) return [];

    const stats = nodeStats(evidence);
    const busy = stats ? sustainedShare(stats, (m) => m.cpu, o.busyCpu) : null;
    const slots = slotsSaturatedShare(evidence);
    // Node CPU is the direct measure: with it, busy task slots on CPUs inside the 70–85% band (§1.2)
    // are a healthy, busy cluster. Slots speak only when node metrics are missing.
    const corroborated = busy !== null ? busy >= o.minBusyShare : slots !== null && slots >= o.minSaturatedSlotsShare;
    const blind = busy === null && slots === null;
    const names = top.share >= o.minFlowShare && (corroborated || (blind && top.ratio >= o.minRatioAlone));
    const severity: Severity = names ? 'warning' : 'info';

    const minutes = Math.round(top.flow.executorTimeMs / 60_000);
    const fixes: FixRequest[] = [];
    // Photon does not run Python UDFs (§4.4): for a UDF flow, python-udf's fix is the one that helps.
    const runsUdf = top.flow.explainText !== null && pythonUdf.meta.defaults.markers.some((m) => top.flow.explainText!.includes(m));
    if (!evidence.pipeline.spec.photon && !runsUdf) fixes.push({ id: 'enable-photon' });
    if (names) fixes.push({ id: 'compute-optimized-instances' });
    const r2 = (x: number) => Math.round(x * 100) / 100;
    return [
      {
        messageId: names ? 'cpuBound' : 'cpuHeavy',
        data: {
          flow: top.flow.name,
          ratio: Math.round(top.ratio * 100),
          minutes,
          share: Math.round(top.share * 100),
          // say why it is only a note: a saturated cluster with a small flow is not "not saturated"
          ...(names ? {} : { why: top.share < o.minFlowShare ? 'too small a part of the run to decide it' : blind ? 'no cluster metrics to show saturation' : 'cluster not saturated' }),
        },
        severity,
        strength: r2(strengthPast(top.ratio, o.minCpuRatio, 1) * Math.min(1, 0.4 + top.share)),
        evidence: [
          { metric: `${top.flow.name} executor CPU time / executor time`, value: r2(top.ratio), unit: 'ratio', threshold: o.minCpuRatio, source: 'event_log:flow_progress' },
          { metric: `${top.flow.name} executor time`, value: minutes, unit: 'min', threshold: o.minExecutorMinutes, source: 'event_log:flow_progress' },
          { metric: `${top.flow.name} share of the running phase`, value: Math.round(top.share * 100), unit: '%', threshold: o.minFlowShare * 100, source: 'event_log:flow_progress' },
          ...(busy !== null ? [{ metric: `minutes with workers at or above ${o.busyCpu}% CPU`, value: Math.round(busy * 100), unit: '%', threshold: o.minBusyShare * 100, source: 'system.compute.node_timeline' }] : []),
          ...(slots !== null ? [{ metric: 'samples with all task slots busy and tasks queued', value: Math.round(slots * 100), unit: '%', threshold: o.minSaturatedSlotsShare * 100, source: 'event_log:cluster_resources' }] : []),
        ],
        fixes,
      },
    ];
  },
});
