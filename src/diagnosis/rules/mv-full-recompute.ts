import { z } from 'zod';
import type { FixRequest } from '../types.js';
import { defineRule } from '../types.js';
import { flowShare, updateDurationS } from './pipeline-facts.js';

const options = z.object({
  /** issue types that are expected and not worth a finding (CHANGE_SET_MISSING: the first compute of a view) */
  ignoreIssueTypes: z.array(z.string()),
  /** the view's share of the running phase (critical path / wall clock) from which the recompute names the verdict */
  minShare: z.number().min(0).max(1),
});
type Options = z.infer<typeof options>;

const COMPLETE_RECOMPUTE = 'MAINTENANCE_TYPE_COMPLETE_RECOMPUTE';

/** planning_information issue type → the fix that removes it (Databricks incremental refresh docs). */
const FIX_BY_ISSUE: Record<string, string> = {
  CDF_UNAVAILABLE: 'enable-cdf',
  ROW_TRACKING_NOT_ENABLED: 'enable-row-tracking',
  PLAN_NOT_DETERMINISTIC: 'deterministic-mv',
};

export const rule = defineRule<Options, 'fullRecompute'>({
  meta: {
    id: 'mv-full-recompute',
    category: 'planning',
    severity: 'warning',
    description: 'A materialized view was fully recomputed because something in its sources or query prevents incremental refresh.',
    guideSection: 'docs',
    docUrl: 'https://docs.databricks.com/aws/en/optimizations/incremental-refresh',
    requires: ['flows'],
    options,
    defaults: { ignoreIssueTypes: ['CHANGE_SET_MISSING'], minShare: 0.25 },
    messages: {
      fullRecompute: '{{flow}} was fully recomputed ({{durationS}} s): {{issues}} prevents incremental refresh',
    },
  },
  check(evidence, o) {
    // A full refresh recomputes everything on purpose.
    if (evidence.update.fullRefresh) return [];
    const runningS = evidence.update.phasesS.running ?? updateDurationS(evidence.update) ?? 0;
    const ignore = new Set(o.ignoreIssueTypes);
    return evidence.flows.flatMap((flow) => {
      const planning = flow.planning;
      if (planning === null || planning.chosenTechnique !== COMPLETE_RECOMPUTE) return [];
      const blocking = planning.issues.filter((i) => i.preventIncrementalization && !ignore.has(i.issueType));
      if (blocking.length === 0) return [];
      const types = [...new Set(blocking.map((i) => i.issueType))];
      const tables = flow.inputDatasets.join(', ');
      const fixes: FixRequest[] = [];
      for (const type of types) {
        const id = FIX_BY_ISSUE[type];
        if (id === undefined || fixes.some((f) => f.id === id)) continue;
        const subType = blocking.find((i) => i.issueType === type)?.subType ?? null;
        fixes.push({
          id,
          params: {
            flow: flow.name,
            ...(tables !== '' ? { table: tables } : {}),
            ...(subType !== null ? { subType } : {}),
          },
        });
      }
      const durationS = flow.durationS ?? 0;
      const share = evidence.timeline ? flowShare(evidence, flow.name) : runningS > 0 ? Math.min(1, durationS / runningS) : 0;
      return [
        {
          messageId: 'fullRecompute' as const,
          data: { flow: flow.name, durationS: Math.round(durationS), issues: types.join(', ') },
          // a recompute that takes most of the update matters more than a small view's; a small one is info
          severity: share >= o.minShare ? ('warning' as const) : ('info' as const),
          strength: Math.round((0.5 + 0.5 * share) * 100) / 100,
          evidence: [
            { metric: 'maintenance type', value: COMPLETE_RECOMPUTE, unit: '', threshold: 'incremental', source: 'event_log:planning_information' },
            ...types.map((t) => ({ metric: 'incrementalization issue', value: t, unit: '', threshold: null, source: 'event_log:planning_information' })),
            { metric: `${flow.name} duration`, value: Math.round(durationS), unit: 's', threshold: null, source: 'event_log:flow_progress' },
          ],
          fixes,
        },
      ];
    });
  },
});
