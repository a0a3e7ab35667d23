/**
 * Escaping by construction: random hostile pipeline, flow and table names, error messages, typed
 * arguments and filter strings go through EVERY reply template (Slack blocks and top-level `text`,
 * Teams cards, the console's HTML, plain text) and no live mention, link or markup of theirs
 * survives.
 *
 * - Slack: &, < and > are control characters in mrkdwn and in the top-level `text` that
 *   notifications show ("Formatting text for app surfaces", escaping:
 *   https://docs.slack.dev/messaging/formatting-message-text#escaping). Outside the bot's own
 *   constructs — `<@U0OWNER1>`, the id Slack's payload gave ("Asked by", "Applied by", "muted by"),
 *   and `<https://example.cloud.databricks.com/…|…>` built from the configured host — no raw < or >
 *   may remain, and every & starts an entity; every message (as posted, after splitting) within
 *   Block Kit's limits (section text ≤ 3,000).
 * - Teams: TextBlock text and Fact title/value are Markdown; nothing from the data may put a
 *   `[..](..)` link or an `<at>` there (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format).
 * - Console: the only links point at the configured host, the only mention is ours, no tag from data.
 * - Plain text (CLI): no terminal control sequence from the data.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../commands/types.js';
import { errorToReply } from '../../commands/reply.js';
import { pipelineNotFound } from '../../src/errors.js';
import { teamsAlertCard, didItHelpReply } from '../../src/schedule/teams-alert-poster.js';
// @ts-expect-error plain ES module without types (the page loads it as is)
import * as consoleRender from '../../src/surfaces/console/public/render.js';
import { renderAlertParent, renderApplied, renderApplyModal, renderDidItHelp, type AlertParent, type DidItHelp } from '../../templates/blocks/alerts.js';
import { renderAllFixes } from '../../templates/blocks/diagnosis.js';
import { limitViolations, splitForSlack, toBlocks } from '../../templates/blocks/index.js';
import { renderProgress } from '../../templates/blocks/progress.js';
import type { Block, SlackPayload } from '../../templates/blocks/types.js';
import { allFixesCard, toAdaptiveCard, type AdaptiveCard } from '../../templates/cards/index.js';
import { progressMessage } from '../../templates/cards/progress.js';
import { replyToText } from '../../templates/text.js';
import { fakeDiagnosis, fakeDiagnosisReply, fakeFinding, fakeRecommendation } from '../support/fake-diagnosis.js';
import { sizeReplies } from '../support/fake-size.js';
import { fakeDigest } from '../surfaces/teams/fake-digest.js';
import { markdownFields } from '../surfaces/teams/helpers.js';

const OWNER = 'U0OWNER1';
const HOST = 'https://example.cloud.databricks.com/';

const PARTS = [
  '<!channel>', '<!here>', '<!everyone>', '<!subteam^S123>', '<@U123>', '<@W999|boss>', '<#C123>', '<https://evil.example|click>', '<mailto:a@evil.example>',
  '*bold*', '_it_', '~s~', '**b**', '[x](https://evil.example)', '[y]( https://evil.example )', '<at>x</at>', '<AT>Ana</AT>', '`', '```', '&lt;', '&gt;', '&amp;', '&#60;',
  '&', '<', '>', '|', '\n', '> quote', '🚨', 'é', '\u202e', '\u0000', '\u001b]8;;https://evil.example\u0007', '\u001b[31m', '<script>alert(1)</script>', `<@${OWNER}>`,
];
const piece = fc.oneof(fc.constantFrom(...PARTS), fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 3 }));
const short = fc.array(piece, { minLength: 1, maxLength: 6 }).map((a) => a.join(''));
const long = fc.tuple(fc.constantFrom(...PARTS), fc.integer({ min: 1_000, max: 12_000 })).map(([p, n]) => p.repeat(Math.ceil(n / p.length)));
const hostile = fc.oneof({ weight: 4, arbitrary: short }, { weight: 1, arbitrary: long });
const texts = fc.record({ name: hostile, flow: hostile, table: hostile, message: hostile, arg: hostile, filter: hostile });
type Hostile = { name: string; flow: string; table: string; message: string; arg: string; filter: string };

function replies(h: Hostile): Record<string, Reply> {
  const base = fakeDiagnosis();
  const d = fakeDiagnosis({
    pipeline: { id: 'pl-1', name: h.name },
    update: { ...base.update, cause: h.message },
    verdict: { bottleneck: 'cpu', confidence: 0.8, summary: h.message },
    findings: [fakeFinding({ title: h.message })],
    recommendations: [
      fakeRecommendation({ title: h.message, why: h.message, change: { target: 'table_property', key: h.table, value: h.message } }),
      fakeRecommendation({ id: 'r2', change: { target: 'spark_conf', key: 'spark.x', value: h.table } }),
    ],
    where_time_went: { ...base.where_time_went!, flows: [{ flow: h.flow, duration_s: 100, critical_s: 90, share: 0.5, critical: true }] },
    gaps: [h.message],
    notes: [h.message],
  });
  const digest = fakeDigest();
  const p = { ...digest.top[0]!, name: h.name };
  const hostileDigest = { ...digest, filter: h.filter, top: [p], pipelines: [p], opportunities: [{ ...digest.opportunities[0]!, pipeline: { id: 'pl-1', name: h.name }, change: h.message, why: h.message, risk: h.message }], notes: [h.message] };
  const size = Object.fromEntries(Object.entries(sizeReplies()).map(([k, r]) => [k, { ...r, input: { ...r.input, pipeline: h.name } }]));
  return {
    diagnosis: { ...fakeDiagnosisReply(), diagnosis: d, pipelineUrl: `${HOST}pipelines/pl-1/updates/upd-42` },
    pipelines: { kind: 'pipelines', filter: h.filter, pipelines: [{ id: 'pl-1', name: h.name, state: null, health: 'HEALTHY', lastUpdate: { id: 'u', state: 'COMPLETED', startedAt: 0, durationS: 60 }, baselineMedianS: 30 }] },
    compare: { kind: 'compare', pipeline: { id: 'pl-1', name: h.name }, a: d, b: d, flows: [{ name: h.flow, a: { rows: 9e6, durationS: 800, rowsPerS: 11250 }, b: { rows: 9e6, durationS: 900, rowsPerS: 10000 } }], settings: [{ key: h.table, a: h.message, b: h.name }] },
    // the "Did you mean" error as the command layer builds it: the typed reference and suggested names
    error: errorToReply(pipelineNotFound(h.arg, [h.name, h.flow]), null),
    text: { kind: 'text', text: h.message },
    digest: { kind: 'digest', digest: hostileDigest, note: h.message, subscription: null },
    cost: { kind: 'cost', digest: hostileDigest, pipeline: { id: 'pl-1', name: h.name }, days: 7 },
    'apply-preview': { kind: 'apply-preview', pipeline: { id: 'pl-1', name: h.name }, updateId: 'upd-42', recommendation: { id: 'r', title: h.message, guideSection: '3.3' }, diff: [{ key: `configuration.${h.table}`, before: h.message, after: h.name }], lastModified: 1 },
    ...size,
  };
}

function alertInputs(h: Hostile): { parents: AlertParent[]; help: DidItHelp } {
  const parent = (state: AlertParent['state'], stateNote: string | null): AlertParent => ({ pipelineId: 'pl-1', pipelineName: h.name, updateId: 'upd-42', kind: 'failed', summary: h.message, state, stateNote, pipelineUrl: `${HOST}pipelines/pl-1` });
  return {
    parents: [parent('open', null), parent('fixed', `fix applied by <@${OWNER}>: ${h.table}: ${h.message} → ${h.name}`), parent('muted', `muted by <@${OWNER}> until 2026-12-03 10:00 UTC`)],
    help: { pipelineName: h.name, before: { updateId: 'u1', state: 'FAILED', durationS: 60, dollars: 1 }, after: { updateId: 'u2', state: 'COMPLETED', durationS: 30, dollars: 1 }, verdict: 'helped' },
  };
}

/** Every Slack payload a hostile input can reach, as posted. */
function slackPayloads(h: Hostile): [string, SlackPayload][] {
  const rs = replies(h);
  const d = (rs.diagnosis as Extract<Reply, { kind: 'diagnosis' }>).diagnosis;
  const { parents, help } = alertInputs(h);
  const out: [string, SlackPayload][] = Object.entries(rs).map(([k, r]) => [k, toBlocks(r)]);
  out.push(['all fixes', renderAllFixes(d)], ['applied', renderApplied({ userId: OWNER, pipelineName: h.name, title: h.message, diff: [{ key: h.table, before: h.message, after: h.name }] as never })], ['did it help', renderDidItHelp(help)]);
  parents.forEach((p) => out.push([`alert parent ${p.state}`, renderAlertParent(p)]));
  return out;
}

/** links the templates write themselves: the configured host, and the documentation they cite */
const OUR_HOSTS = [HOST, 'https://docs.databricks.com/'];
const INTENDED = [new RegExp(`<@${OWNER}>`, 'g'), ...OUR_HOSTS.map((h) => new RegExp(`<${h.replace(/[.]/g, '\\.')}[^<>|\\s]*\\|[^<>]*>`, 'g')), /&(?:amp|lt|gt);/g];
function leftovers(text: string): string[] {
  let s = text;
  for (const re of INTENDED) s = s.replace(re, '');
  return [...s.matchAll(/[<>&]/g)].map((m) => `${m[0]} at ${m.index}: …${s.slice(Math.max(0, m.index - 20), m.index + 20)}…`);
}
function mrkdwnTexts(p: { text?: string; blocks: Block[] }): string[] {
  const out: string[] = p.text === undefined ? [] : [p.text];
  for (const b of p.blocks) {
    if (b.type === 'section') {
      if (b.text?.type === 'mrkdwn') out.push(b.text.text);
      for (const f of b.fields ?? []) out.push(f.text);
    }
    if (b.type === 'context') for (const e of b.elements) if ('text' in e && e.type === 'mrkdwn') out.push(e.text);
  }
  return out;
}
function expectSlackSafe(name: string, p: { text?: string; blocks: Block[] }) {
  for (const t of mrkdwnTexts(p)) expect(leftovers(t), `${name}: ${t.slice(0, 300)}`).toEqual([]);
}

const LINK = /\[[^\]\n]*\]\s*\([^)\n]*\)/;
function expectCardSafe(name: string, card: AdaptiveCard) {
  for (const t of markdownFields(card)) {
    expect(LINK.test(t), `${name}: Markdown link in ${t.slice(0, 200)}`).toBe(false);
    expect(/<at\b/i.test(t), `${name}: <at> in ${t.slice(0, 200)}`).toBe(false);
  }
}

function expectHtmlSafe(name: string, html: string) {
  for (const m of html.matchAll(/<a\b[^>]*href="([^"]*)"/g)) expect(OUR_HOSTS.some((h) => m[1]!.startsWith(h)), `${name}: link to ${m[1]}`).toBe(true);
  for (const m of html.matchAll(/<span class="mention">([^<]*)<\/span>/g)) expect(m[1], `${name}: mention`).toBe(`@${OWNER}`);
  const tags = new Set([...html.matchAll(/<\/?([a-zA-Z0-9]+)/g)].map((m) => m[1]!.toLowerCase()));
  for (const t of tags) expect(['article', 'div', 'span', 'time', 'button', 'a', 'b', 'i', 's', 'code', 'pre', 'br', 'h3', 'hr', 'figure', 'figcaption', 'img'], `${name}: <${t}>`).toContain(t);
  expect(html).not.toMatch(/<script|javascript:|\son[a-z]+=/i);
}

const RUNS = { numRuns: 25 };

describe('hostile names, messages and arguments through every template', () => {
  it('Slack: no live mention or link of theirs in any mrkdwn or top-level text; every posted message within Block Kit limits', () => {
    fc.assert(
      fc.property(texts, (h) => {
        const payloads = slackPayloads(h);
        payloads.push(['progress', renderProgress('why-slow', h.arg, 'collecting', OWNER)]);
        for (const [name, p] of payloads) {
          expectSlackSafe(name, p);
          const parts = name === 'progress' ? [p] : splitForSlack(p);
          for (const part of parts) {
            expectSlackSafe(`${name} (split)`, part);
            expect(limitViolations(part), name).toEqual([]);
          }
        }
        const { parents } = alertInputs(h);
        const modal = renderApplyModal({ pipelineName: h.name, title: h.message, guideSection: '3.3', diff: [{ key: h.table, before: h.message, after: h.name }] as never, privateMetadata: '{}' });
        expectSlackSafe('apply modal', modal);
        // our own mention stays one, in the block and in the notification text
        const fixed = renderAlertParent(parents[1]!);
        expect(JSON.stringify(fixed.blocks)).toContain(`fix applied by <@${OWNER}>`);
      }),
      RUNS,
    );
  });

  it('Teams: no Markdown link or <at> of theirs in any Markdown field of any card; the placeholder is plain text', () => {
    fc.assert(
      fc.property(texts, (h) => {
        const rs = replies(h);
        for (const [name, r] of Object.entries(rs)) expectCardSafe(name, toAdaptiveCard(r));
        expectCardSafe('all fixes', allFixesCard((rs.diagnosis as Extract<Reply, { kind: 'diagnosis' }>).diagnosis));
        const { parents, help } = alertInputs(h);
        for (const p of parents) expectCardSafe(`alert ${p.state}`, teamsAlertCard(p));
        expectCardSafe('did it help', toAdaptiveCard(didItHelpReply(help)));
        const placeholder = progressMessage('why-slow', h.arg);
        expect(placeholder.textFormat).toBe('plain');
        expect([...placeholder.text].length).toBeLessThanOrEqual('Diagnosing …'.length + 200);
      }),
      RUNS,
    );
  });

  it('console: the HTML of every Slack message links only to the configured host, mentions only our user, no tag from the data', () => {
    fc.assert(
      fc.property(texts, (h) => {
        const payloads = slackPayloads(h);
        payloads.push(['progress', renderProgress('why-slow', h.arg, 'collecting', OWNER)]);
        for (const [name, p] of payloads) {
          for (const part of splitForSlack(p)) {
            expectHtmlSafe(name, consoleRender.renderMessage({ channel: 'C1', ts: '1.1', bot_id: 'B1', user: 'U_BOT', text: part.text, blocks: part.blocks }));
            // a client without blocks shows the top-level text
            expectHtmlSafe(`${name} text`, consoleRender.renderMessage({ channel: 'C1', ts: '1.1', bot_id: 'B1', user: 'U_BOT', text: part.text, blocks: [] }));
          }
        }
      }),
      RUNS,
    );
  });

  it('plain text (CLI): no terminal escape or control character of theirs', () => {
    fc.assert(
      fc.property(texts, (h) => {
        for (const [name, r] of Object.entries(replies(h))) {
          // eslint-disable-next-line no-control-regex
          expect(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(replyToText(r)), name).toBe(false);
        }
      }),
      RUNS,
    );
  });
});
