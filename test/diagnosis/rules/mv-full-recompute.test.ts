import { describe, expect, it } from 'vitest';
import type { PlanningIssue } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/mv-full-recompute.js';
import { fakeEvidence, fakeUpdate } from '../../support/fake-evidence.js';
import { flowAt } from './helpers.js';

const issue = (issueType: string, o: Partial<PlanningIssue> = {}): PlanningIssue => ({ issueType, preventIncrementalization: true, subType: null, operator: null, ...o });
/** the view reads orders_silver and runs after it: minutes 5.5–12 of the 13-minute running phase (390 s of 780) */
const mv = (chosenTechnique: string | null, issues: PlanningIssue[], from = 5.5, to = 12) =>
  flowAt('main.sales.daily_revenue', from, to, {
    flowType: 'MATERIALIZED_VIEW',
    inputDatasets: ['main.sales.orders_silver'],
    planning: { chosenTechnique, issues },
  });
/** its upstream flow: minutes 0–5.5 */
const silver = flowAt('main.sales.orders_silver', 0, 5.5, { inputDatasets: ['main.sales.orders_bronze'] });

describe('mv-full-recompute', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  const valid = [
    { name: 'healthy update (no planning information)', evidence: fakeEvidence() },
    { name: 'no flows', evidence: fakeEvidence({ flows: [] }) },
    { name: 'incremental refresh chosen', evidence: fakeEvidence({ flows: [mv('MAINTENANCE_TYPE_ROW_BASED', [])] }) },
    {
      name: 'recompute but no issue prevents incrementalization (cost model chose it)',
      evidence: fakeEvidence({ flows: [mv('MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', [issue('INCREMENTAL_PLAN_REJECTED_BY_COST_MODEL', { preventIncrementalization: false })])] }),
    },
    { name: 'first compute of the view (CHANGE_SET_MISSING)', evidence: fakeEvidence({ flows: [mv('MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', [issue('CHANGE_SET_MISSING')])] }) },
    {
      name: 'a full refresh recomputes on purpose',
      evidence: fakeEvidence({ update: fakeUpdate({ fullRefresh: true }), flows: [mv('MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', [issue('CDF_UNAVAILABLE')])] }),
    },
  ];
  it.each(valid)('$name: no finding', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  const invalid = [
    { name: 'CDF unavailable', issues: [issue('CDF_UNAVAILABLE')], types: 'CDF_UNAVAILABLE', fixes: [{ id: 'enable-cdf', params: { flow: 'main.sales.daily_revenue', table: 'main.sales.orders_silver' } }] },
    { name: 'row tracking off', issues: [issue('ROW_TRACKING_NOT_ENABLED')], types: 'ROW_TRACKING_NOT_ENABLED', fixes: [{ id: 'enable-row-tracking', params: { flow: 'main.sales.daily_revenue', table: 'main.sales.orders_silver' } }] },
    {
      name: 'non-deterministic plan, with its sub type',
      issues: [issue('PLAN_NOT_DETERMINISTIC', { subType: 'TIME_FUNCTION' })],
      types: 'PLAN_NOT_DETERMINISTIC',
      fixes: [{ id: 'deterministic-mv', params: { flow: 'main.sales.daily_revenue', table: 'main.sales.orders_silver', subType: 'TIME_FUNCTION' } }],
    },
    {
      name: 'two issues, one fix each; an issue with no known fix adds none',
      issues: [issue('CDF_UNAVAILABLE'), issue('PLAN_NOT_INCREMENTALIZABLE', { subType: 'OPERATOR_NOT_SUPPORTED' }), issue('CDF_UNAVAILABLE')],
      types: 'CDF_UNAVAILABLE, PLAN_NOT_INCREMENTALIZABLE',
      fixes: [{ id: 'enable-cdf', params: { flow: 'main.sales.daily_revenue', table: 'main.sales.orders_silver' } }],
    },
  ];
  it.each(invalid)('$name: one warning with the matching fixes', ({ issues, types, fixes }) => {
    const results = rule.run(fakeEvidence({ flows: [silver, mv('MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', issues)] }));
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.messageId).toBe('fullRecompute');
    expect(r.severity ?? rule.meta.severity).toBe('warning');
    expect(r.data).toEqual({ flow: 'main.sales.daily_revenue', durationS: 390, issues: types });
    expect(r.evidence[0]).toEqual({ metric: 'maintenance type', value: 'MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', unit: '', threshold: 'incremental', source: 'event_log:planning_information' });
    expect(r.fixes).toEqual(fixes);
    // 390 s of a 780 s running phase, on the critical path
    expect(r.strength).toBe(0.75);
  });

  it('a recompute of a small view (< 25% of the run) is info', () => {
    // 2 minutes beside a flow that runs the whole phase: 60 s of its own of 780
    const side = mv('MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', [issue('CDF_UNAVAILABLE')], 2, 4);
    const main = flowAt('main.sales.orders_gold', 0, 12);
    const [r, ...rest] = rule.run(fakeEvidence({ flows: [main, { ...side, inputDatasets: ['main.sales.orders_bronze'] }] }));
    expect(rest).toEqual([]);
    expect(r!.severity).toBe('info');
    expect(r!.strength).toBeLessThan(0.6);
    expect(r!.fixes.map((f) => f.id)).toEqual(['enable-cdf']);
  });

  it('at 25% of the run it is a warning', () => {
    // alone on the critical path for 195 s of 780
    const [r] = rule.run(fakeEvidence({ flows: [flowAt('main.sales.orders_silver', 0, 9.25), mv('MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', [issue('CDF_UNAVAILABLE')], 9.25, 12.5)] }));
    expect(r!.severity ?? rule.meta.severity).toBe('warning');
  });

  it('without a timeline, the share is the view\'s duration over the running phase', () => {
    const [r] = rule.run(fakeEvidence({ timeline: null, flows: [silver, mv('MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', [issue('CDF_UNAVAILABLE')])] }));
    expect(r!.strength).toBe(0.75);
    const [small] = rule.run(fakeEvidence({ timeline: null, flows: [silver, mv('MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', [issue('CDF_UNAVAILABLE')], 11, 12)] }));
    expect(small!.severity).toBe('info');
  });

  it('reports each recomputed view separately', () => {
    const a = mv('MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', [issue('CDF_UNAVAILABLE')]);
    const b = { ...mv('MAINTENANCE_TYPE_COMPLETE_RECOMPUTE', [issue('ROW_TRACKING_NOT_ENABLED')]), name: 'main.sales.weekly' };
    expect(rule.run(fakeEvidence({ flows: [a, b] })).map((r) => r.data?.flow)).toEqual(['main.sales.daily_revenue', 'main.sales.weekly']);
  });
});
