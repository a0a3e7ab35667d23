/**
 * Slack treats &, < and > as control characters in every mrkdwn text and in a message's top-level
 * `text`, code spans included ("they must be converted to HTML entities if they're not going to be
 * used for their parsing purpose": https://api.slack.com/reference/surfaces/formatting#escaping).
 * A raw `<pipeline>` in a usage line is parsed as a link and vanishes. Every renderer's output is
 * walked here: outside the constructs we write on purpose (<@U…> mentions, <https://…|label> links)
 * no raw < or > may remain, and every & must start one of the three entities.
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import type { Reply } from '../../../commands/types.js';
import { renderAlertParent, renderApplied, renderApplyModal, renderApplyPreview, renderDidItHelp } from '../../../templates/blocks/alerts.js';
import { renderAllFixes } from '../../../templates/blocks/diagnosis.js';
import { toBlocks } from '../../../templates/blocks/index.js';
import { renderProgress } from '../../../templates/blocks/progress.js';
import type { Block, SlackPayload } from '../../../templates/blocks/types.js';
import { fakeDiagnosis, fakeDiagnosisReply, fakeFinding, fakeRecommendation } from '../../support/fake-diagnosis.js';
import { sizeReplies } from '../../support/fake-size.js';
import { fakeDigest } from '../../surfaces/teams/fake-digest.js';
import { renderApplyErrorModal, renderApplyLoadingModal } from '../../../templates/blocks/apply-modal.js';
import { NotInChannelError, renderInviteHint } from '../../../src/surfaces/slack/channel-join.js';

/** Every mrkdwn string of a payload (and its fallback text), with where it sits. */
function mrkdwnTexts(p: { text?: string; blocks: Block[] }): { at: string; text: string }[] {
  const out: { at: string; text: string }[] = [];
  if (p.text !== undefined) out.push({ at: 'text', text: p.text });
  p.blocks.forEach((b, i) => {
    if (b.type === 'section') {
      if (b.text?.type === 'mrkdwn') out.push({ at: `${i}.text`, text: b.text.text });
      (b.fields ?? []).forEach((f, j) => out.push({ at: `${i}.fields.${j}`, text: f.text }));
    }
    if (b.type === 'context') b.elements.forEach((e, j) => 'text' in e && e.type === 'mrkdwn' && out.push({ at: `${i}.elements.${j}`, text: e.text }));
  });
  return out;
}

/** What is left of a text after the constructs we write on purpose. */
const INTENDED = [/<@[UW][A-Z0-9]{1,30}>/g, /<https:\/\/[^<>|\s]+\|[^<>]*>/g, /&(?:amp|lt|gt);/g];
function leftovers(text: string): string[] {
  let s = text;
  for (const re of INTENDED) s = s.replace(re, '');
  return [...s.matchAll(/[<>&]/g)].map((m) => `${m[0]} at ${m.index}: …${s.slice(Math.max(0, (m.index ?? 0) - 20), (m.index ?? 0) + 20)}…`);
}

function expectEscaped(name: string, p: { text?: string; blocks: Block[] }) {
  for (const { at, text } of mrkdwnTexts(p)) expect(leftovers(text), `${name} ${at}: ${text}`).toEqual([]);
}

const HOSTILE = 'a<b>&c <!channel>';

function hostileDiagnosis(): Extract<Reply, { kind: 'diagnosis' }> {
  return fakeDiagnosisReply({
    pipeline: { ...fakeDiagnosis().pipeline, name: `orders ${HOSTILE}` },
    update: { ...fakeDiagnosis().update, id: 'u<1>', cause: `API_CALL ${HOSTILE}` },
    verdict: { bottleneck: 'cpu', confidence: 0.8, summary: HOSTILE },
    findings: [fakeFinding({ title: HOSTILE })],
    recommendations: [
      // a placeholder value, as the file-size fixes write them
      fakeRecommendation({ title: `Set ${HOSTILE}`, why: HOSTILE, change: { target: 'table_property', key: 'delta.targetFileSize', value: '<size, e.g. 128mb>' } }),
      fakeRecommendation({ id: 'r2', change: { target: 'spark_conf', key: 'spark.x', value: 'a&b' } }),
    ],
    gaps: [HOSTILE],
    notes: [HOSTILE],
  });
}

describe('mrkdwn escaping in every Slack renderer', () => {
  it('help: every usage placeholder (<pipeline>, <recommendation-id> …) is escaped and so shown', () => {
    const metas = COMMANDS.map((c) => c.meta);
    const all = toBlocks({ kind: 'help', commands: metas, command: null });
    expectEscaped('help', all);
    const joined = JSON.stringify(all.blocks);
    expect(joined).toContain('`/dlt why-slow &lt;pipeline&gt; [--update ID] [--window 8h]`');
    expect(joined).toContain('`/dlt help &lt;command&gt;`');
    for (const m of metas) expectEscaped(`help ${m.name}`, toBlocks({ kind: 'help', commands: metas, command: m }));
  });

  it('errors: message, hint, suggestions and usage', () => {
    const p = toBlocks({ kind: 'error', code: 'BAD_USAGE', message: 'missing <pipeline>', hint: 'Run `/dlt why-slow <pipeline>` again.', suggestions: [], usage: 'why-slow <pipeline> [--update ID]' });
    expectEscaped('error', p);
    expect(JSON.stringify(p.blocks)).toContain('Run `/dlt why-slow &lt;pipeline&gt;` again.');
    expectEscaped('error with suggestions', toBlocks({ kind: 'error', code: 'PIPELINE_NOT_FOUND', message: 'No <x>', hint: null, suggestions: ['a<b', 'c&d'], usage: null }));
  });

  it('a diagnosis with hostile names, ids, causes and a placeholder fix value; all fixes', () => {
    const reply = hostileDiagnosis();
    const p = toBlocks(reply);
    expectEscaped('diagnosis', p);
    // the fix line renders its placeholder instead of losing it
    expect(JSON.stringify(renderAllFixes(reply.diagnosis).blocks)).toContain('```table_property: delta.targetFileSize = &lt;size, e.g. 128mb&gt;```');
    expectEscaped('all fixes', renderAllFixes(reply.diagnosis));
  });

  it('text, pipelines, rules, compare, size and the progress placeholder', () => {
    const d = hostileDiagnosis().diagnosis;
    const replies: [string, Reply][] = [
      ['text', { kind: 'text', text: 'Turn them on with `alerts on <pipeline|*>` & more' }],
      ['pipelines', { kind: 'pipelines', filter: HOSTILE, pipelines: [{ id: 'p<1>', name: HOSTILE, state: null, health: 'HEALTHY', lastUpdate: { id: 'u', state: 'COMPLETED', startedAt: 0, durationS: 60 }, baselineMedianS: 30 }] }],
      ['rules', { kind: 'rules', rules: [{ id: 'r<1>', category: 'c&', severity: 'warning', description: HOSTILE, guideSection: '1<2', requires: [], defaults: {} }] }],
      ['compare', { kind: 'compare', pipeline: { id: 'p', name: HOSTILE }, a: d, b: d, flows: [], settings: [{ key: 'k<1>', a: HOSTILE, b: HOSTILE }] }],
      ...Object.entries(sizeReplies()).map(([n, r]) => [n, r] as [string, Reply]),
    ];
    for (const [name, r] of replies) expectEscaped(name, toBlocks(r));
    expect(JSON.stringify(toBlocks(replies[0]![1]).blocks)).toContain('`alerts on &lt;pipeline|*&gt;` &amp; more');
    const progress = renderProgress('why-slow', '<orders>', 'collecting', 'U1');
    expectEscaped('progress', progress);
    expect(progress.text).toBe('Diagnosing `&lt;orders&gt;`… collecting');
  });

  it('alert parent, applied, did it help, the apply modal and preview: diff values and names', () => {
    const diff = [{ key: 'configuration.catalog', before: null, after: '<catalog>' }, { key: 'spark.a&b', before: 'x>y', after: null }] as never;
    const payloads: [string, SlackPayload | { blocks: Block[] }][] = [
      ['parent', renderAlertParent({ pipelineId: 'p', pipelineName: HOSTILE, updateId: 'u<1>', kind: 'failed', summary: HOSTILE, state: 'fixed', stateNote: `fix applied by <@U123>: ${HOSTILE}`, pipelineUrl: null })],
      ['applied', renderApplied({ userId: 'U123', pipelineName: HOSTILE, title: HOSTILE, diff })],
      ['did it help', renderDidItHelp({ pipelineName: HOSTILE, before: { updateId: 'u<1>', state: 'FAILED', durationS: 60, dollars: 1 }, after: { updateId: 'u<2>', state: 'COMPLETED', durationS: 30, dollars: 1 }, verdict: 'helped' })],
      ['modal', renderApplyModal({ pipelineName: HOSTILE, title: HOSTILE, guideSection: '1<2', diff, privateMetadata: '{}' })],
      ['preview', renderApplyPreview({ pipelineId: 'p', pipelineName: HOSTILE, updateId: 'u', recommendationId: 'r', title: HOSTILE, guideSection: '3', diff, lastModified: null })],
    ];
    for (const [name, p] of payloads) expectEscaped(name, p);
    const parent = payloads[0]![1] as SlackPayload;
    // our own mention stays a mention
    expect(JSON.stringify(parent.blocks)).toContain('fix applied by <@U123>');
    expect(JSON.stringify(payloads[3]![1].blocks)).toContain('configuration.catalog: (unset) → &lt;catalog&gt;');
  });

  it('digest and cost: pipeline names, filter, opportunities and notes', () => {
    const base = fakeDigest();
    const hostile = { ...base.top[0]!, name: `orders ${HOSTILE}` };
    const digest = {
      ...base,
      filter: `tag:<team>=a&b`,
      top: [hostile],
      pipelines: [hostile],
      opportunities: [{ ...base.opportunities[0]!, pipeline: { id: 'p', name: HOSTILE }, change: `Set <value> ${HOSTILE}`, why: HOSTILE, risk: HOSTILE }],
      notes: [HOSTILE],
    };
    expectEscaped('digest', toBlocks({ kind: 'digest', digest, note: HOSTILE, subscription: null }));
    const cost = toBlocks({ kind: 'cost', digest, pipeline: { id: 'p', name: HOSTILE }, days: 7 });
    expectEscaped('cost', cost);
    expect(JSON.stringify(cost.blocks)).toContain('Set &lt;value&gt;');
  });

  it('a <@U…> in a name or a diff value is no mention: not in the top-level text (notifications), not in the state note; ours stay', () => {
    const parent = renderAlertParent({ pipelineId: 'p', pipelineName: 'orders <@U123> <!here>', updateId: 'u1', kind: 'failed', summary: 'x <@W42>', state: 'fixed', stateNote: 'fix applied by <@U7>: spark.x: <@U999> → y', pipelineUrl: null });
    expect(parent.text).toContain('orders &lt;@U123&gt; &lt;!here&gt;');
    expect(parent.text).toContain('x &lt;@W42&gt;');
    const note = JSON.stringify(parent.blocks);
    expect(note).toContain('fix applied by <@U7>: spark.x: &lt;@U999&gt;');
    const applied = renderApplied({ userId: 'U7', pipelineName: '<@U123>', title: 't', diff: [] });
    expect(applied.text).toMatch(/^Applied by <@U7> to &lt;@U123&gt;: t/);
    // an id that is not a Slack user id is text, never a broadcast
    expect(renderApplied({ userId: '!channel', pipelineName: 'p', title: 't', diff: [] }).text).toMatch(/^Applied by !channel to p/);
    expect(renderProgress('why-slow', 'x', 'started', '!here').blocks[1]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Asked by !here' }] });
  });

  it('the placeholder echoes at most 200 characters of a 10,000-character argument, within a section', () => {
    const p = renderProgress('why-slow', `<${'a'.repeat(10_000)}>`, 'collecting', 'U1');
    expect(p.text.length).toBeLessThan(300);
    expect(p.text).toMatch(/^Diagnosing `&lt;a+…` … collecting$|^Diagnosing `&lt;a+…`… collecting$/);
  });

  it('the apply modal while loading and failed, and the invite hint', () => {
    expectEscaped('apply loading', renderApplyLoadingModal());
    const failed = renderApplyErrorModal('Cannot apply this fix: no recommendation "<id>" & no other');
    expectEscaped('apply failed', failed);
    expect(JSON.stringify(failed.blocks)).toContain('no recommendation \\"&lt;id&gt;\\" &amp; no other');
    for (const reason of ['not_in_channel', 'missing_scope', 'method_not_supported_for_channel_type', 'is_archived']) {
      expectEscaped(`invite hint ${reason}`, renderInviteHint(new NotInChannelError('C1', reason)));
    }
  });
});
