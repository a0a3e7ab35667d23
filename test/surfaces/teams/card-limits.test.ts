/**
 * Teams cards stay within what Teams takes and shows:
 *  - size: Teams refuses a bot message over its limit with 413 MessageSizeTooBig, counting "the
 *    entire message payload encoded as UTF-16" (learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages:
 *    100 KB now, 40 KB until 2025, ~28 KB in older pages). The whole activity is held to the oldest
 *    figures: 28 KB as UTF-8 and 40 KB as UTF-16.
 *  - Markdown: TextBlock text and Fact title/value support only bold, italic, lists and links; no
 *    backslash escapes, no code spans (…/task-modules-and-cards/cards/cards-format). TextRun text is
 *    never Markdown (adaptivecards.io, TextRun: "Markdown is not supported"), so text that is not
 *    ours goes there.
 */
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../commands/types.js';
import type { PipelineSummary } from '../../../src/source.js';
import { cardMessage } from '../../../src/surfaces/teams/messages.js';
import { alertCard, toAdaptiveCard } from '../../../templates/cards/index.js';
import type { AdaptiveCard } from '../../../templates/cards/types.js';
import { fakeDiagnosis } from '../../support/fake-diagnosis.js';
import { fakeDigest } from './fake-digest.js';
import { cardErrors, cardText, markdownFields } from './helpers.js';

const KB = 1024;
/** fallbackText is a summary for notifications and card-less clients, never the whole list (templates/cards/format.ts MAX_FALLBACK) */
const MAX_FALLBACK = 1000;

/** The activity Teams receives for this card, measured as Teams counts it and as UTF-8. */
function activitySize(card: AdaptiveCard): { utf8: number; utf16: number } {
  const json = JSON.stringify(cardMessage(card));
  return { utf8: Buffer.byteLength(json, 'utf8'), utf16: Buffer.byteLength(json, 'utf16le') };
}

/** Every TextRun / TextBlock text, per element: what a reader sees in one block. */
function blockTexts(card: AdaptiveCard): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as { type?: string; text?: string; inlines?: ({ text: string } | string)[] };
      if (o.type === 'TextBlock') out.push(o.text ?? '');
      if (o.type === 'RichTextBlock') out.push((o.inlines ?? []).map((r) => (typeof r === 'string' ? r : r.text)).join(''));
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

const pipeline = (i: number, name = `pipeline_${String(i).padStart(4, '0')}_silver_ünïcödé_€_${'x'.repeat(60)}`): PipelineSummary =>
  ({ id: `0a1b2c3d-0000-4000-8000-${String(i).padStart(12, '0')}`, name, state: 'IDLE', health: 'HEALTHY', lastUpdate: { id: `u-${i}`, state: 'COMPLETED', durationS: 600 + i, startedAt: 0 }, baselineMedianS: 600 }) as never;

const HOSTILE = ['[click me](https://evil.example/x)', '<at>everyone</at>', '**not bold**', '_not italic_', '- not a list', '1. not a list', '`not code`', 'orders\\_silver', '<!channel> @here'];

describe('the pipelines card', () => {
  it('2,000 pipelines: the message stays under 28 KB (UTF-8) and 40 KB (UTF-16), the fallback summarises instead of listing all', () => {
    const reply: Reply = { kind: 'pipelines', filter: null, pipelines: Array.from({ length: 2000 }, (_, i) => pipeline(i)) };
    const card = toAdaptiveCard(reply);
    expect(cardErrors(card)).toEqual([]);
    const size = activitySize(card);
    expect(size.utf8).toBeLessThanOrEqual(28 * KB);
    expect(size.utf16).toBeLessThanOrEqual(40 * KB);
    expect(card.fallbackText!.length).toBeLessThanOrEqual(MAX_FALLBACK);
    expect(card.fallbackText).toContain('Pipelines (2000)');
    expect(card.fallbackText).toMatch(/\n…and \d{4} more$/);
    expect(card.fallbackText!.split('\n').length).toBeGreaterThan(2);
    expect(card.fallbackText).not.toContain('pipeline_1999');
    // the card says how many it left out, and how to narrow
    expect(cardText(card)).toMatch(/…and \d{4} more: narrow with/);
    expect(cardText(card)).not.toContain('cut to fit');
    const rows = card.body.filter((e) => e.type === 'ColumnSet').length;
    expect(rows).toBeGreaterThan(5);
    expect(Number(/…and (\d+) more: narrow/.exec(cardText(card))?.[1]) + rows).toBe(2000);
  });

  it('a name of 10,000 characters or a filter of 5,000 is cut: every text and the fallback are bounded', () => {
    const reply: Reply = { kind: 'pipelines', filter: 'f'.repeat(5000), pipelines: [pipeline(1, 'n'.repeat(10_000)), pipeline(2)] };
    const card = toAdaptiveCard(reply);
    expect(cardErrors(card)).toEqual([]);
    for (const t of blockTexts(card)) expect(t.length).toBeLessThanOrEqual(300);
    expect(card.fallbackText!.length).toBeLessThanOrEqual(MAX_FALLBACK);
    expect(activitySize(card).utf8).toBeLessThan(8 * KB);
  });

  it('names as typed (orders_silver, not orders\\_silver), only in TextRuns; hostile names make no link, mention or formatting', () => {
    const reply: Reply = { kind: 'pipelines', filter: null, pipelines: [pipeline(0, 'orders_silver'), ...HOSTILE.map((n, i) => pipeline(i + 1, n))] };
    const card = toAdaptiveCard(reply);
    expect(cardErrors(card)).toEqual([]);
    const texts = blockTexts(card);
    expect(texts).toContain('orders_silver');
    for (const n of HOSTILE) expect(texts).toContain(n);
    expect(texts.join('\n')).not.toContain('orders\\\\_silver');
    // no field Teams reads as Markdown carries a name; no mention entity anywhere
    expect(markdownFields(card).filter((t) => HOSTILE.some((n) => t.includes(n)) || t.includes('orders_silver'))).toEqual([]);
    expect(JSON.stringify(card)).not.toMatch(/"mention"|"entities"/);
  });
});

describe('error cards', () => {
  it("a hint's `code spans` become monospace runs, without the backticks Teams would show", () => {
    const card = toAdaptiveCard({ kind: 'error', code: 'BAD_USAGE', message: 'Update `u-1` has no recommendation "x".', hint: 'Fixes that can be applied: `enable-photon`, `raise-max-workers`.', suggestions: [], usage: null });
    expect(cardErrors(card)).toEqual([]);
    const runs = card.body.flatMap((e) => (e.type === 'RichTextBlock' ? e.inlines : [])).filter((r) => typeof r !== 'string');
    const mono = runs.filter((r) => r.fontType === 'monospace').map((r) => r.text);
    expect(mono).toEqual(expect.arrayContaining(['u-1', 'enable-photon', 'raise-max-workers']));
    expect(blockTexts(card).filter((t) => t.includes('`'))).toEqual([]);
    expect(blockTexts(card)).toContain('Fixes that can be applied: enable-photon, raise-max-workers.');
  });
});

describe('every card kind with hostile text', () => {
  const d = fakeDiagnosis();
  const digest = fakeDigest();
  const hostileDigest = { ...digest, top: digest.top.map((p, i) => ({ ...p, name: HOSTILE[i]! })) };
  const replies: Record<string, Reply> = {
    text: { kind: 'text', text: `${HOSTILE.join(' ')} ${'y'.repeat(100_000)}` },
    error: { kind: 'error', code: 'PIPELINE_NOT_FOUND', message: `No pipeline "${HOSTILE[0]}${'z'.repeat(50_000)}".`, hint: null, suggestions: [HOSTILE[1]!, HOSTILE[2]!], usage: 'why-slow <pipeline>\nexample: why-slow orders_silver' },
    compare: {
      kind: 'compare',
      pipeline: { id: d.pipeline.id, name: HOSTILE[0]! },
      a: fakeDiagnosis({ update: { ...d.update, id: 'upd-41', duration_s: 900 }, findings: [] }),
      b: d,
      flows: HOSTILE.map((name) => ({ name, a: { rows: 9e6, durationS: 800, rowsPerS: 11250 }, b: { rows: 9.2e6, durationS: 1500, rowsPerS: 6133 } })),
      settings: [{ key: HOSTILE[0]!, a: HOSTILE[2]!, b: HOSTILE[3]! }],
    },
    digest: { kind: 'digest', digest: hostileDigest, note: HOSTILE.join(' '), subscription: null },
    'apply-preview': { kind: 'apply-preview', pipeline: { id: 'pl-1', name: HOSTILE[0]! }, updateId: 'upd-42', recommendation: { id: 'r', title: 'Set a conf', guideSection: '3.3' }, diff: [{ key: `configuration.${HOSTILE[0]}`, before: HOSTILE[2]!, after: HOSTILE[3]! }], lastModified: 1 },
  };

  it.each(Object.entries(replies))('%s: valid, bounded, no hostile text in a Markdown field, no backslash escape or code span', (_name, reply) => {
    const card = toAdaptiveCard(reply);
    expect(cardErrors(card)).toEqual([]);
    expect(card.fallbackText!.length).toBeLessThanOrEqual(MAX_FALLBACK);
    for (const t of blockTexts(card)) expect(t.length).toBeLessThanOrEqual(1500);
    const size = activitySize(card);
    expect(size.utf8).toBeLessThanOrEqual(28 * KB);
    expect(size.utf16).toBeLessThanOrEqual(40 * KB);
    const md = markdownFields(card);
    expect(md.filter((t) => HOSTILE.some((n) => t.includes(n)))).toEqual([]);
    // outside Teams' subset: a backslash escape or a `code span` would show as typed
    expect(md.filter((t) => /\\[\\*_[\]`~]|`/.test(t))).toEqual([]);
  });
});

describe('the alert card with a hostile status note', () => {
  it('the note (diff values, names) and the ids are TextRuns, not Fact Markdown', () => {
    const note = `fix applied by U1: ${HOSTILE[0]} → ${HOSTILE[1]}`;
    const card = alertCard({ kind: 'failed', pipeline: { id: HOSTILE[0]!, name: HOSTILE[1]! }, updateId: HOSTILE[0]!, summary: HOSTILE[2]!, state: 'fixed', stateNote: note, pipelineUrl: null });
    expect(cardErrors(card)).toEqual([]);
    expect(cardText(card)).toContain(note);
    expect(markdownFields(card).filter((t) => HOSTILE.some((n) => t.includes(n)))).toEqual([]);
  });
});
