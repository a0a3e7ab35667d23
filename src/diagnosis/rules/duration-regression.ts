import { z } from 'zod';
import { defineRule } from '../types.js';
import { comparableHistory } from '../baseline.js';
import { whatChanged } from '../what-changed.js';
import { median, strengthPast } from './stats.js';

const options = z.object({
  /** duration ≥ baseline median × this */
  minRatio: z.number().min(1),
  /** fewer successful prior updates than this: no baseline, no finding */
  minUpdates: z.number().int().positive(),
  /** a full refresh needs this many earlier full refreshes to compare with */
  minFullRefreshes: z.number().int().positive(),
  /** how many of the newest successful updates form the baseline */
  baselineUpdates: z.number().int().positive(),
  /** "data growth" when row growth ≥ this × time growth (both as ratio − 1) */
  dataGrowthShare: z.number().min(0).max(1),
});
type Options = z.infer<typeof options>;

export const rule = defineRule<Options, 'dataGrowth' | 'slowdown' | 'regression'>({
  meta: {
    id: 'duration-regression',
    category: 'none',
    severity: 'warning',
    description: 'The update took much longer than the pipeline usually does; says whether more data explains it or the same data got slower.',
    guideSection: '10.1',
    requires: ['history'],
    options,
    defaults: { minRatio: 1.5, minUpdates: 5, minFullRefreshes: 2, baselineUpdates: 10, dataGrowthShare: 0.8 },
    messages: {
      dataGrowth: 'The update took {{ratio}}× its usual {{medianS}} s, and it wrote {{rowsRatio}}× the usual rows: data growth, not a slowdown{{changed}}',
      slowdown: 'The update took {{ratio}}× its usual {{medianS}} s while rows changed only {{rowsRatio}}×: the same work got slower{{changed}}',
      regression: 'The update took {{ratio}}× its usual {{medianS}} s (row counts unavailable to tell data growth from a slowdown){{changed}}',
    },
  },
  check(evidence, o) {
    const durationS = evidence.update.durationS;
    if (durationS === null || durationS <= 0) return [];
    // continuous updates run until stopped: their length is not a performance figure
    if (evidence.pipeline.spec.continuous) return [];
    // like with like: full refreshes against earlier full refreshes, incremental against incremental
    const full = evidence.update.fullRefresh;
    const prior = comparableHistory(evidence)
      .sort((a, b) => b.startedAt - a.startedAt)
      .slice(0, o.baselineUpdates);
    if (prior.length < (full ? o.minFullRefreshes : o.minUpdates)) return [];
    const medianS = median(prior.map((h) => h.durationS))!;
    const ratio = durationS / medianS;
    if (ratio < o.minRatio) return [];

    const priorRows = prior.map((h) => h.outputRows).filter((r): r is number => r !== null && r > 0);
    const medianRows = priorRows.length >= Math.min(prior.length, full ? o.minFullRefreshes : o.minUpdates) ? median(priorRows) : null;
    const rows = evidence.update.outputRows;
    const rowsRatio = medianRows !== null && rows !== null ? rows / medianRows : null;
    const messageId =
      rowsRatio === null ? 'regression' : rowsRatio - 1 >= o.dataGrowthShare * (ratio - 1) ? 'dataGrowth' : 'slowdown';
    const round2 = (x: number) => Math.round(x * 100) / 100;
    // what changed against those updates, biggest move first (rows are already in the message)
    const changes = whatChanged(evidence).filter((c) => c.what !== 'rows');
    const detailed = prior.some((h) => h.dbrVersion || (h.phasesS && Object.keys(h.phasesS).length > 0) || h.flows || h.peakExecutors);
    const changed = changes.length
      ? `; changed: ${changes.slice(0, 3).map((c) => `${c.label} ${c.before} → ${c.after}`).join(', ')}`
      : detailed
        ? '; runtime, flows, executors and phase lengths are as usual (the spec is known only as it is now)'
        : '; the earlier updates are known by duration and rows only, so nothing else can be compared';
    return [
      {
        messageId,
        data: { ratio: round2(ratio), medianS: Math.round(medianS), changed, ...(rowsRatio !== null ? { rowsRatio: round2(rowsRatio) } : {}) },
        // more data is an explanation, a slowdown is a problem
        strength: messageId === 'dataGrowth' ? Math.min(0.5, strengthPast(ratio, o.minRatio, o.minRatio * 2)) : strengthPast(ratio, o.minRatio, o.minRatio * 2),
        evidence: [
          { metric: 'update duration', value: Math.round(durationS), unit: 's', threshold: Math.round(medianS * o.minRatio), source: 'event_log:update_progress' },
          { metric: `median of last ${prior.length} successful updates`, value: Math.round(medianS), unit: 's', threshold: null, source: 'pipeline history' },
          { metric: 'duration ratio', value: round2(ratio), unit: '×', threshold: o.minRatio, source: 'pipeline history' },
          ...(rowsRatio !== null
            ? [
                { metric: 'output rows ratio', value: round2(rowsRatio), unit: '×', threshold: round2(1 + o.dataGrowthShare * (ratio - 1)), source: 'event_log:flow_progress' },
                { metric: 'throughput ratio', value: round2(rowsRatio / ratio), unit: '×', threshold: null, source: 'pipeline history' },
              ]
            : []),
          ...changes.map((c) => ({ metric: `changed: ${c.label}`, value: c.after, unit: '', threshold: c.before, source: c.what === 'runtime' ? 'event_log:runtime_details' : c.what === 'executors' ? 'event_log:cluster_resources' : 'event_log:update_progress' })),
        ],
        fixes: [],
      },
    ];
  },
});
