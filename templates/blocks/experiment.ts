/**
 * Block Kit for benchmarks and A/B tests: the plan with Start (the action carries the request,
 * re-planned and re-checked against the allow-list when pressed), the progress message the bot
 * edits per iteration, and the result — the runs as a table, the averages, the decision in one
 * sentence, and Apply when the A/B test says apply and B was a recommendation of the diagnosis.
 */
import type { Reply } from '../../commands/types.js';
import type { ExperimentOutcome, ExperimentProgress } from '../../src/experiment/types.js';
import { planLines, planTitle, progressLine, resultSummary, resultTable, resultTitle } from '../experiment.js';
import { APPLY_ACTION_ID } from './diagnosis.js';
import { code, esc, fallbackText, section, context } from './format.js';
import { SLACK_LIMITS } from './limits.js';
import type { ActionsBlock, SlackPayload } from './types.js';

export const EXPERIMENT_ACTION_IDS = { start: 'dlt_experiment_start', cancel: 'dlt_experiment_cancel' } as const;

export function renderExperimentPlan(reply: Extract<Reply, { kind: 'experiment-plan' }>): SlackPayload {
  const value = JSON.stringify(reply.request);
  const lines = planLines(reply.plan);
  return {
    text: fallbackText(`${planTitle(reply.plan)}. ${lines[0] ?? ''}`),
    blocks: [
      section(`*${esc(planTitle(reply.plan))}*`),
      section(lines.map((l) => esc(l)).join('\n').slice(0, SLACK_LIMITS.sectionText)),
      ...(value.length <= SLACK_LIMITS.buttonValue
        ? [{ type: 'actions', block_id: 'dlt_experiment_plan_actions', elements: [{ type: 'button', text: { type: 'plain_text', text: reply.plan.kind === 'benchmark' ? 'Start benchmark' : 'Start A/B test' }, action_id: EXPERIMENT_ACTION_IDS.start, style: 'primary', value }] } satisfies ActionsBlock]
        : [context('The request is too long for a button; run it from the CLI.')]),
    ],
  };
}

export function renderExperimentProgress(p: ExperimentProgress): SlackPayload {
  return {
    text: fallbackText(progressLine(p)),
    blocks: [
      section(`:hourglass_flowing_sand: ${esc(progressLine(p))}`),
      { type: 'actions', block_id: 'dlt_experiment_progress_actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Cancel' }, action_id: EXPERIMENT_ACTION_IDS.cancel, style: 'danger', value: JSON.stringify({ experiment_id: p.experimentId }) }] },
    ],
  };
}

export function renderExperimentResult(reply: Extract<Reply, { kind: 'experiment-result' }>, chart?: { imageUrl: string } | null): SlackPayload {
  const o: ExperimentOutcome = reply.outcome;
  const r = o.result;
  const apply = r.schema === 'dlt-doctor/ab-test@1' && r.recommendation === 'apply' && r.recommendation_id && reply.plan.basis
    ? JSON.stringify({ pipeline_id: r.pipeline_id, update_id: reply.plan.basis.updateId, recommendation_id: r.recommendation_id })
    : null;
  const summary = resultSummary(o);
  return {
    text: fallbackText(`${resultTitle(o)}. ${r.schema === 'dlt-doctor/ab-test@1' ? r.summary : summary[0] ?? ''}`),
    blocks: [
      section(`*${esc(resultTitle(o))}*`),
      section(code(resultTable(o).join('\n')).slice(0, SLACK_LIMITS.sectionText)),
      ...(chart ? [{ type: 'image' as const, image_url: chart.imageUrl, alt_text: 'Throughput per iteration' }] : []),
      section(summary.map((l) => esc(l)).join('\n').slice(0, SLACK_LIMITS.sectionText)),
      ...(apply && apply.length <= SLACK_LIMITS.buttonValue ? [{ type: 'actions', block_id: 'dlt_experiment_result_actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Apply' }, action_id: APPLY_ACTION_ID, style: 'primary', value: apply }] } satisfies ActionsBlock] : []),
    ],
  };
}
