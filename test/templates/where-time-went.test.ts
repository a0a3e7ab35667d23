/**
 * "Where the time went" (Diagnosis.where_time_went) in every surface that shows a diagnosis: Slack
 * blocks (and so the console, which draws them), Teams cards (diagnosis and alert) and the why-slow
 * text. Same wording everywhere, absent without flow timings, flow names escaped per surface.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module without types (the page loads it as is)
import * as render from '../../src/surfaces/console/public/render.js';
import type { Diagnosis, WhereTimeWent } from '../../src/diagnosis/types.js';
import { whereTimeWentText } from '../../templates/blocks/diagnosis.js';
import { toBlocks } from '../../templates/blocks/index.js';
import { limitViolations, splitForSlack } from '../../templates/blocks/split.js';
import type { SectionBlock, SlackPayload } from '../../templates/blocks/types.js';
import { alertCard, cardBytes, TEAMS_CARD_BUDGET, toAdaptiveCard } from '../../templates/cards/index.js';
import { toText } from '../../templates/diagnosis.js';
import { visibleLength } from '../../templates/format.js';
import { sharePercent } from '../../templates/where-time-went.js';
import { fakeDiagnosis, fakeDiagnosisReply, HOSTILE_FLOW_NAMES, largestDiagnosis } from '../support/fake-diagnosis.js';
import { cardErrors, cardText, markdownFields } from '../surfaces/teams/helpers.js';
import type { AdaptiveCard, RichTextBlock, TextRun } from '../../templates/cards/types.js';

const { renderBlocks } = render as { renderBlocks: (blocks: unknown[], o?: object) => string };

const reply = (o: Partial<Diagnosis> = {}) => fakeDiagnosisReply(o);
const largest = () => ({ ...fakeDiagnosisReply(), diagnosis: largestDiagnosis() });
const W = fakeDiagnosis().where_time_went!;
const byTiming: WhereTimeWent = { ...W, from_definitions: false };

const whereSections = (p: SlackPayload) => p.blocks.filter((b): b is SectionBlock => b.type === 'section' && !!b.text?.text.includes('Where the time went'));
const text80 = (o: Partial<Diagnosis> = {}) => toText(reply(o), { width: 80, color: false });
/** the text output joined back into one line (wrapping only ever breaks at spaces) */
const oneLine = (s: string) => s.replace(/\n\s*/g, ' ');

describe('share as a percentage', () => {
  it('rounds to whole percent; tiny shares are "<1%", nothing is "0%", never over 100%', () => {
    expect([0.769, 0.208, 0.046, 0.004, 0, 1, 1.2, Number.NaN].map(sharePercent)).toEqual(['77%', '21%', '5%', '<1%', '0%', '100%', '100%', '0%']);
  });
});

describe('Slack blocks', () => {
  it('one section right after the summary: flows with their share, critical path marked, of the running phase', () => {
    const p = toBlocks(reply());
    const [s] = whereSections(p);
    expect(s?.text?.text).toBe('*Where the time went:* `orders_silver` 77% (critical path) · `orders_bronze` 21% (critical path) · `customers_dim` 5% — of 25m 35s running');
    expect(p.blocks.indexOf(s!)).toBe(2); // header, summary, where the time went, findings…
    expect(limitViolations(p)).toEqual([]);
  });

  it('says when the DAG came from timing alone', () => {
    expect(whereTimeWentText(fakeDiagnosis({ where_time_went: byTiming }))).toMatch(/— of 25m 35s running \(by timing; no flow definitions\)$/);
  });

  it('absent when where_time_went is null or has no flows', () => {
    for (const where_time_went of [null, { ...W, flows: [] }]) {
      const p = toBlocks(reply({ where_time_went }));
      expect(JSON.stringify(p.blocks)).not.toContain('Where the time went');
      expect(whereTimeWentText(fakeDiagnosis({ where_time_went }))).toBeNull();
    }
  });

  it('hostile flow names: no mention, no markup, no link; cut to 80 characters; within every limit', () => {
    const p = toBlocks(largest());
    const [s] = whereSections(p);
    const t = s!.text!.text;
    expect(t.length).toBeLessThanOrEqual(3000);
    expect(t).not.toMatch(/[<>]/); // <!channel>, <!here>, <b> all escaped
    expect(t).toContain('`&lt;!channel&gt;_0_');
    expect(t).toContain('`?[31mred_4_'); // no terminal escape either
    // every flow name sits inside inline code, so *, _, ~ and urls in it stay literal
    const outsideCode = t.replace(/`[^`]*`/g, 'CODE');
    expect(outsideCode).toBe('*Where the time went:* CODE 23% (critical path) · CODE 21% (critical path) · CODE 19% (critical path) · CODE 17% · CODE 15% — of 23h 59m running (by timing; no flow definitions)');
    for (const code of t.match(/`[^`]*`/g)!) {
      const raw = code.slice(1, -1).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      expect([...raw].length).toBeLessThanOrEqual(80);
    }
    const parts = splitForSlack(p);
    for (const part of parts) expect(limitViolations(part)).toEqual([]);
    // split as any other section: whole, once
    expect(parts.flatMap(whereSections).map((b) => b.text?.text)).toEqual([t]);
  });

  it('the console draws the line and turns no hostile name into a mention, a link or markup', () => {
    const html = renderBlocks(whereSections(toBlocks(largest())));
    expect(html).toMatch(/^<div class="block block-section" data-block-type="section"><div class="section-text"><b>Where the time went:<\/b> <code>&lt;!channel&gt;_0_/);
    const names = html.slice(html.indexOf('</b>') + 4);
    expect(names).not.toContain('class="mention"');
    expect(names).not.toMatch(/<a |<b>|<i>|<s>/);
    expect(names.match(/<code>/g)).toHaveLength(5);
    const plain = renderBlocks(toBlocks(reply()).blocks);
    expect(plain).toContain('<b>Where the time went:</b> <code>orders_silver</code> 77% (critical path) · <code>orders_bronze</code> 21% (critical path) · <code>customers_dim</code> 5% — of 25m 35s running');
  });
});

describe('Teams cards', () => {
  /** the where-time-went RichTextBlock: its first run is the bold label */
  const whereBlock = (card: AdaptiveCard) => {
    const found: RichTextBlock[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const o = v as { type?: string; inlines?: unknown[] };
        if (o.type === 'RichTextBlock' && (o.inlines?.[0] as TextRun | undefined)?.text === 'Where the time went:') found.push(o as RichTextBlock);
        else Object.values(o).forEach(walk);
      }
    };
    walk(card.body);
    return found[0];
  };
  const runsText = (b: RichTextBlock | undefined) => (b?.inlines ?? []).map((r) => (typeof r === 'string' ? r : r.text)).join('');

  it('a RichTextBlock under the update line, same wording, names as typed (no Markdown escapes), and the card still validates', () => {
    const card = toAdaptiveCard(reply());
    expect(cardErrors(card)).toEqual([]);
    expect(card.body[3]).toEqual({
      type: 'RichTextBlock',
      spacing: 'small',
      inlines: [
        { type: 'TextRun', text: 'Where the time went:', weight: 'bolder' },
        { type: 'TextRun', text: ' orders_silver 77% (critical path) · orders_bronze 21% (critical path) · customers_dim 5% — of 25m 35s running' },
      ],
    });
    expect(runsText(whereBlock(toAdaptiveCard(reply({ where_time_went: byTiming }))))).toContain('(by timing; no flow definitions)');
  });

  it('absent when where_time_went is null or has no flows', () => {
    for (const where_time_went of [null, { ...W, flows: [] }]) {
      const card = toAdaptiveCard(reply({ where_time_went }));
      expect(cardErrors(card)).toEqual([]);
      expect(cardText(card)).not.toContain('Where the time went');
    }
  });

  it('hostile flow names are TextRun text (never Markdown), cut; the largest card keeps the line and its budget', () => {
    const card = toAdaptiveCard(largest());
    expect(cardErrors(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_CARD_BUDGET);
    const block = whereBlock(card);
    const line = runsText(block);
    // as typed: no backslash escapes (the names hold no backslash of their own)
    expect(line).toContain('[link](http://x)_2_');
    expect(line).toContain('*bold*_it_~s~');
    expect(line).not.toContain('\\');
    expect(line).toMatch(/— of 23h 59m running \(by timing; no flow definitions\)$/);
    expect(line.length).toBeLessThanOrEqual(1500);
    expect(line).toContain('?[31mred_4_');
    // only the label is styled; the names are one plain run
    expect(block!.inlines.slice(1).every((r) => typeof r !== 'string' && r.weight === undefined)).toBe(true);
    // and no field Teams reads as Markdown (TextBlock.text, Fact title/value) carries a name
    expect(markdownFields(card).filter((t) => /\[link\]|\*bold\*|<!here>/.test(t))).toEqual([]);
  });

  it('the alert card with a diagnosis shows it too, and validates', () => {
    const d = fakeDiagnosis();
    const alert = alertCard({ kind: 'regression', pipeline: d.pipeline, updateId: d.update.id, summary: 'Took 2.03× its median.', diagnosis: fakeDiagnosisReply() });
    expect(cardErrors(alert)).toEqual([]);
    expect(cardText(alert)).toContain('orders_silver 77% (critical path) · orders_bronze 21% (critical path) · customers_dim 5% — of 25m 35s running');
    const hostile = alertCard({ kind: 'failed', pipeline: d.pipeline, updateId: d.update.id, summary: 'Failed.', diagnosis: largest() });
    expect(cardErrors(hostile)).toEqual([]);
    expect(markdownFields(hostile).filter((t) => /\[link\]|\*bold\*|<!here>/.test(t))).toEqual([]);
    expect(cardText(alertCard({ kind: 'failed', pipeline: d.pipeline, updateId: 'u', summary: 'Failed.', diagnosis: fakeDiagnosisReply({ where_time_went: null }) }))).not.toContain('Where the time went');
  });
});

describe('why-slow text', () => {
  it('after the summary, before the evidence: the same line, wrapped between flows', () => {
    const t = text80();
    expect(oneLine(t)).toContain('Where the time went: orders_silver 77% (critical path) · orders_bronze 21% (critical path) · customers_dim 5% — of 25m 35s running');
    expect(t.indexOf('Where the time went')).toBeGreaterThan(t.indexOf('Workers ran at 93% CPU'));
    expect(t.indexOf('Where the time went')).toBeLessThan(t.indexOf('Evidence'));
    // a flow and its share are never torn apart
    for (const l of t.split('\n')) expect(l).not.toMatch(/(orders_silver|orders_bronze|customers_dim)$/);
    expect(oneLine(toText(reply({ where_time_went: byTiming }), { width: 80, color: false }))).toContain('— of 25m 35s running (by timing; no flow definitions)');
  });

  it('absent when where_time_went is null or has no flows', () => {
    expect(text80({ where_time_went: null })).not.toContain('Where the time went');
    expect(text80({ where_time_went: { ...W, flows: [] } })).not.toContain('Where the time went');
  });

  it('hostile flow names: whole, within the width, with no control character reaching the terminal', () => {
    const t = toText(largest(), { width: 80, color: false });
    const start = t.indexOf('Where the time went');
    const section = t.slice(start, t.indexOf('\n\n', start));
    for (const l of section.split('\n')) expect(visibleLength(l)).toBeLessThanOrEqual(80);
    // eslint-disable-next-line no-control-regex
    expect(section).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(section.replace(/\s+/g, '')).toContain(HOSTILE_FLOW_NAMES[0]!.replace(/\s+/g, ''));
    expect(oneLine(section)).toContain('— of 23h 59m running (by timing; no flow definitions)');
  });
});
