/**
 * The experiment replies on every surface's renderer: the Teams result card validates against the
 * Adaptive Card schema subset (with Teams' chart extension), carries the throughput chart and Apply
 * only when the test says apply; Slack's result has Apply under the same condition; the terminal
 * text has the interleaved table. Built from hand-made outcomes.
 */
import { describe, expect, it } from 'vitest';
import { toAdaptiveCard } from '../../templates/cards/index.js';
import { toBlocks } from '../../templates/blocks/index.js';
import { replyToText } from '../../templates/text.js';
import { abTestResult, benchmarkResult } from '../../src/experiment/results.js';
import type { ExperimentOutcome, ExperimentPlan, IterationResult } from '../../src/experiment/types.js';
import { cardErrors } from '../surfaces/teams/helpers.js';

const p = { id: 'p1', name: 'orders_silver' };
const it_ = (iteration: number, duration: number, dollars: number): IterationResult => ({ iteration, update_id: `u${iteration}`, state: 'COMPLETED', duration_seconds: duration, records_processed: 10_000_000, throughput_records_per_sec: 10_000_000 / duration, cluster_dbus: dollars * 2, dollars, dollars_estimated: false });
const plan: ExperimentPlan = { kind: 'ab-test', pipelineId: 'p1', pipelineName: 'orders_silver', iterations: 2, variants: ['A', 'B'], scratchTarget: 'main.dlt_doctor_scratch_<id>_{a,b}', estimatedDollars: 12, basis: { updateId: 'u0', durationS: 1500, dollars: 2 }, maxDollars: null, recommendationId: 'enable-photon', recommendationTitle: 'Turn on Photon', changes: [{ target: 'pipeline', key: 'photon', value: 'true' }], diff: [{ key: 'photon', before: 'false', after: 'true' }], notes: [] };
const reply = (b: IterationResult[]) => {
  const outcome: ExperimentOutcome = { experimentId: 'abc123', state: 'completed', message: null, cleanup: { deleted: ['c1', 'c2'], left: [], notes: [] }, result: abTestResult({ pipeline: p, a: benchmarkResult(p, 'c1', [it_(1, 1500, 2), it_(2, 1480, 2)]), b: benchmarkResult(p, 'c2', b), configA: { photon: 'false' }, configB: { photon: 'true' }, recommendationId: 'enable-photon', changes: plan.changes }) };
  return { kind: 'experiment-result' as const, plan, outcome };
};
const faster = reply([it_(1, 620, 1.7), it_(2, 640, 1.75)]);
const same = reply([it_(1, 1490, 2), it_(2, 1510, 2)]);

describe('experiment result on each surface', () => {
  it('Teams: a valid card with the throughput chart (A1 B1 A2 B2) and Apply only when it says apply', () => {
    const card = toAdaptiveCard(faster);
    expect(cardErrors(card)).toEqual([]);
    const chart = card.body.find((e) => e.type === 'Chart.VerticalBar') as { data: { x: string }[] } | undefined;
    expect(chart?.data.map((d) => d.x)).toEqual(['A1', 'B1', 'A2', 'B2']);
    expect(JSON.stringify(card.actions)).toContain('"dlt_apply"');
    const noApply = toAdaptiveCard(same);
    expect(cardErrors(noApply)).toEqual([]);
    expect(JSON.stringify(noApply.actions ?? [])).not.toContain('dlt_apply');
  });
  it('Slack: Apply carries the diagnosed update and the recommendation; none when inconclusive', () => {
    const blocks = JSON.stringify(toBlocks(faster).blocks);
    expect(blocks).toContain('"action_id":"dlt_apply"');
    expect(blocks).toContain('\\"update_id\\":\\"u0\\"');
    expect(JSON.stringify(toBlocks(same).blocks)).not.toContain('dlt_apply');
  });
  it('terminal: the decision first, then the interleaved table and the sentence', () => {
    const text = replyToText(faster);
    expect(text.split('\n')[0]).toBe('A/B test on orders_silver: apply it');
    expect(text).toMatch(/A1 .*\n.*B1 .*\n.*A2 .*\n.*B2 /);
    expect(replyToText(same)).toMatch(/^A\/B test on orders_silver: inconclusive/);
  });
});
