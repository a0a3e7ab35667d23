/**
 * Adaptive Cards for benchmarks and A/B tests (the Teams twin of templates/blocks/experiment.ts):
 * the plan with Start, the progress card the bot replaces per iteration (with Cancel), and the
 * result with the runs, the averages, the decision and Apply when the test says apply.
 */
import type { Reply } from '../../commands/types.js';
import type { ExperimentProgress } from '../../src/experiment/types.js';
import { EXPERIMENT_ACTION_IDS } from '../blocks/experiment.js';
import { APPLY_ACTION_ID } from '../blocks/diagnosis.js';
import { planLines, planTitle, progressLine, resultSummary, resultTable, resultTitle } from '../experiment.js';
import { card, heading, mono, plain, subtle } from './format.js';
import type { AdaptiveCard, VerticalBarChart } from './types.js';
import { throughputBars } from '../../src/experiment/bars.js';

export function planCard(reply: Extract<Reply, { kind: 'experiment-plan' }>): AdaptiveCard {
  const lines = planLines(reply.plan);
  return card(
    [heading(planTitle(reply.plan)), ...lines.map((l) => (l.startsWith('  ') ? mono(l.trim()) : plain(l)))],
    `${planTitle(reply.plan)}. ${lines[0] ?? ''}`,
    [{ type: 'Action.Submit', title: reply.plan.kind === 'benchmark' ? 'Start benchmark' : 'Start A/B test', style: 'positive', data: { action: EXPERIMENT_ACTION_IDS.start, request: reply.request } }],
  );
}

export function progressCard(p: ExperimentProgress): AdaptiveCard {
  return card([plain(`⏳ ${progressLine(p)}`)], progressLine(p), [{ type: 'Action.Submit', title: 'Cancel', style: 'destructive', data: { action: EXPERIMENT_ACTION_IDS.cancel, experiment_id: p.experimentId } }]);
}

export function resultCard(reply: Extract<Reply, { kind: 'experiment-result' }>): AdaptiveCard {
  const o = reply.outcome;
  const r = o.result;
  const apply = r.schema === 'dlt-doctor/ab-test@1' && r.recommendation === 'apply' && r.recommendation_id && reply.plan.basis
    ? [{ type: 'Action.Submit' as const, title: 'Apply…', style: 'positive' as const, data: { action: APPLY_ACTION_ID as typeof APPLY_ACTION_ID, pipeline_id: r.pipeline_id, update_id: reply.plan.basis.updateId, recommendation_id: r.recommendation_id } }]
    : [];
  const summary = resultSummary(o);
  const bars = throughputBars(o);
  const chart: VerticalBarChart[] = bars.length
    ? [{ type: 'Chart.VerticalBar', title: 'Throughput per run (records/s)', xAxisTitle: 'run', yAxisTitle: 'records/s', data: bars.map((b) => ({ x: b.label, y: Math.round(b.value), color: b.variant === 'B' ? 'categoricalBlue' : 'neutral' })), fallback: 'drop' }]
    : [];
  return card([heading(resultTitle(o)), mono(resultTable(o).join('\n')), ...chart, ...summary.map((l, i) => (i < summary.length - o.cleanup.notes.length - 1 ? plain(l) : subtle(l)))], `${resultTitle(o)}. ${r.schema === 'dlt-doctor/ab-test@1' ? r.summary : summary[0] ?? ''}`, apply);
}
