/**
 * The console's Block Kit renderer (public/render.js, the same file the page loads) fed with each
 * template's largest payload: every block is drawn (one element per block, by type), and every
 * word of every text, field and button reaches the HTML. Payload text never becomes markup.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module without types (the page loads it as is)
import * as render from '../../../src/surfaces/console/public/render.js';
import { runCommandText } from '../../../commands/index.js';
import type { Reply } from '../../../commands/types.js';
import { renderAllFixes } from '../../../templates/blocks/diagnosis.js';
import { toBlocks } from '../../../templates/blocks/index.js';
import { renderProgress } from '../../../templates/blocks/progress.js';
import { splitForSlack } from '../../../templates/blocks/split.js';
import type { Block, SlackPayload } from '../../../templates/blocks/types.js';
import { fakeDiagnosis, fakeDiagnosisReply, largestDiagnosis } from '../../support/fake-diagnosis.js';
import { fakeSource } from '../slack/helpers.js';

const { renderBlocks, renderMessage, mrkdwn, renderModal } = render as {
  renderModal: (view: object, o?: object) => string;
  renderBlocks: (blocks: unknown[], o?: object) => string;
  renderMessage: (m: object, o?: object) => string;
  mrkdwn: (t: string, o?: object) => string;
};

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
/** what a person reads: tags removed, entities decoded */
const visible = (html: string) => decode(html.replace(/<[^>]*>/g, ' '));
const words = (s: string) => s.split(/[^A-Za-z0-9]+/).filter((w) => w.length >= 2);

/** the words a mrkdwn source must show: link labels (not urls), no emoji codes, Slack escapes decoded */
function expectedWords(source: string, type: string): string[] {
  let s = source;
  if (type === 'mrkdwn') s = s.replace(/<([^<>|]+)\|([^<>]+)>/g, ' $2 ').replace(/<[@#!][^<>]*>/g, ' ');
  s = s.replace(/:[a-z0-9_+-]+:/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return words(s);
}

interface TextItem {
  text: string;
  type: string;
}

function textsOf(blocks: Block[]): TextItem[] {
  const out: TextItem[] = [];
  for (const b of blocks) {
    if (b.type === 'header') out.push(b.text);
    if (b.type === 'section') {
      if (b.text) out.push(b.text);
      out.push(...(b.fields ?? []));
    }
    if (b.type === 'context') for (const e of b.elements) if (e.type !== 'image') out.push(e);
    if (b.type === 'actions') for (const e of b.elements) out.push(e.text);
    if (b.type === 'image' && b.title) out.push(b.title);
  }
  return out;
}

function assertNothingDropped(name: string, payload: SlackPayload) {
  const html = renderBlocks(payload.blocks);
  const seen = new Set(words(visible(html)));
  // one element per block, of the right type
  const types = [...html.matchAll(/data-block-type="([^"]+)"/g)].map((m) => m[1]);
  expect(types, name).toEqual(payload.blocks.map((b) => b.type));
  expect(html, name).not.toContain('unsupported');
  for (const t of textsOf(payload.blocks)) {
    const missing = expectedWords(t.text, t.type).filter((w) => !seen.has(w));
    expect(missing, `${name}: "${t.text.slice(0, 80)}"`).toEqual([]);
  }
  // every button, with its action id, label, value and link
  // buttons in actions blocks, and the button a section carries (the fix's Apply)
  const buttons = payload.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : b.type === 'section' && b.accessory?.type === 'button' ? [b.accessory] : []));
  expect((html.match(/data-action-id=/g) ?? []).length, name).toBe(buttons.length);
  for (const btn of buttons) {
    expect(html).toContain(`data-action-id="${btn.action_id}"`);
    if (btn.value) expect(decode(html)).toContain(`data-value="${btn.value}"`);
    if (btn.url) expect(html).toContain(`href="${btn.url}"`);
    if (btn.style) expect(html).toContain(`btn-${btn.style}`);
  }
  for (const img of payload.blocks.filter((b) => b.type === 'image')) expect(html).toContain(`src="${img.image_url}"`);
}

const TAGS = new Set(['div', 'span', 'h3', 'b', 'i', 's', 'code', 'pre', 'a', 'br', 'hr', 'figure', 'figcaption', 'img', 'button', 'article', 'time']);
const ATTRS = new Set(['class', 'data-block-type', 'data-block-id', 'data-action-id', 'data-value', 'data-thread', 'data-ts', 'data-channel', 'href', 'target', 'rel', 'role', 'type', 'src', 'alt', 'loading', 'aria-hidden', 'aria-label', 'disabled']);

/** Every tag in `html` is one the renderer writes, with its own attributes, and no script url. */
function assertOnlyOurMarkup(html: string) {
  for (const [tag] of html.matchAll(/<[^>]*>/g)) {
    const m = /^<\/?([a-z0-9]+)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>$/.exec(tag);
    expect(m, tag).not.toBeNull();
    expect(TAGS.has(m![1]!), tag).toBe(true);
    for (const a of m![2]!.matchAll(/([a-z-]+)(?:="([^"]*)")?/g)) {
      expect(ATTRS.has(a[1]!), tag).toBe(true);
      if (a[1] === 'href' || a[1] === 'src') expect(a[2], tag).not.toMatch(/^\s*javascript:/i);
    }
  }
}

async function replies(): Promise<[string, SlackPayload][]> {
  const ctx = { source: fakeSource, surface: 'console' as const, now: () => new Date('2026-11-23T08:00:00Z') };
  const many = Array.from({ length: 60 }, (_, i) => ({
    id: `pl-${i}`,
    name: `pipeline_${i}_with_a_long_name`,
    state: 'IDLE',
    health: i % 4 === 0 ? 'UNHEALTHY' : 'HEALTHY',
    lastUpdate: i % 7 === 0 ? null : { id: `u-${i}`, state: i % 5 === 0 ? 'FAILED' : 'COMPLETED', startedAt: 0, durationS: 600 + i * 13 },
    baselineMedianS: i % 3 ? 500 : null,
  }));
  const a = fakeDiagnosis();
  const b = largestDiagnosis();
  const compare: Reply = {
    kind: 'compare',
    pipeline: { id: 'pl-orders', name: 'orders_silver' },
    a,
    b,
    flows: Array.from({ length: 30 }, (_, i) => ({ name: `flow_${i}`, a: { rows: 1000 * i, durationS: 60 + i, rowsPerS: 10 + i }, b: i % 4 ? { rows: 900 * i, durationS: 90 + i, rowsPerS: 8 + i } : null })),
    settings: Array.from({ length: 12 }, (_, i) => ({ key: `spark.conf.key_${i}`, a: `value_a_${i}`, b: `value_b_${i}` })),
  };
  const all: [string, SlackPayload][] = [
    ['diagnosis (largest, unsplit, with chart)', toBlocks({ ...fakeDiagnosisReply(), diagnosis: largestDiagnosis() }, { chartUrl: 'https://files.example/chart.png' })],
    ['diagnosis (normal)', toBlocks(fakeDiagnosisReply())],
    ['all fixes (largest)', renderAllFixes(largestDiagnosis())],
    ['pipelines (60)', toBlocks({ kind: 'pipelines', pipelines: many, filter: null })],
    ['compare (largest)', toBlocks(compare)],
    ['size', toBlocks(await runCommandText('size --gb 500 --complexity 1.5', ctx))],
    ['rules', toBlocks(await runCommandText('rules', ctx))],
    ['help', toBlocks(await runCommandText('help', ctx))],
    ['help why-slow', toBlocks(await runCommandText('help why-slow', ctx))],
    ['error with suggestions', toBlocks({ kind: 'error', code: 'PIPELINE_NOT_FOUND', message: 'No pipeline "order_silvr".', hint: 'Check the name.', suggestions: ['orders_silver', 'orders_gold'], usage: 'why-slow <pipeline> [--update ID]' })],
    ['text', toBlocks({ kind: 'text', text: 'Line one\nline *two* with `code` and <https://example.com|a link>' })],
    ['progress', renderProgress('why-slow', 'orders_silver', 'collecting', 'U_CONSOLE')],
  ];
  // and what really gets posted: the split parts of the largest ones
  for (const [name, p] of all.slice(0, 5)) splitForSlack(p).forEach((part, i) => all.push([`${name} part ${i + 1}`, part]));
  return all;
}

describe('console Block Kit renderer', () => {
  it('draws every block and every text, field and button of each template\'s largest payload', async () => {
    const payloads = await replies();
    expect(payloads.length).toBeGreaterThan(15);
    const kinds = new Set<string>(payloads.flatMap(([, p]) => p.blocks.map((b) => b.type)));
    for (const k of ['header', 'section', 'context', 'actions', 'image']) expect(kinds.has(k), k).toBe(true);
    for (const [name, payload] of payloads) {
      assertNothingDropped(name, payload);
      assertOnlyOurMarkup(renderBlocks(payload.blocks));
    }
  });

  it('draws a kitchen-sink payload: every block type, fields, context images, primary/danger/url buttons', () => {
    const blocks: Block[] = [
      { type: 'header', text: { type: 'plain_text', text: ':red_circle: orders_silver: CPU-bound', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: '*bold* _italic_ ~gone~ `inline` <https://example.com/x?a=1&amp;b=2|a link> <@U_CONSOLE>\nsecond line\n```SET spark.x = 1\nline 2```' }, fields: [{ type: 'mrkdwn', text: '*CPU*: 93%' }, { type: 'mrkdwn', text: '*slots*: 0.95' }] },
      { type: 'context', elements: [{ type: 'image', image_url: 'https://example.com/i.png', alt_text: 'icon' }, { type: 'plain_text', text: 'plain context' }, { type: 'mrkdwn', text: 'Asked by <@U_CONSOLE>' }] },
      { type: 'divider' },
      { type: 'image', image_url: 'https://example.com/chart.png', alt_text: 'chart alt', title: { type: 'plain_text', text: 'Chart title' } },
      {
        type: 'actions',
        elements: [
          { type: 'button', text: { type: 'plain_text', text: 'Show all fixes' }, action_id: 'dlt_show_fixes', style: 'primary', value: '{"pipeline_id":"p"}' },
          { type: 'button', text: { type: 'plain_text', text: 'Mute' }, action_id: 'dlt_mute', style: 'danger' },
          { type: 'button', text: { type: 'plain_text', text: 'Open in Databricks' }, action_id: 'dlt_open_in_databricks', url: 'https://dbc.example/pipelines/1' },
        ],
      },
    ];
    const html = renderBlocks(blocks, { users: { U_CONSOLE: 'you' } });
    expect(html).toContain('<h3><span class="dot dot-red" role="img" aria-label="red circle"></span> orders_silver: CPU-bound</h3>');
    expect(html).toContain('<b>bold</b> <i>italic</i> <s>gone</s> <code>inline</code>');
    expect(html).toContain('<a href="https://example.com/x?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">a link</a>');
    expect(html).toContain('<span class="mention">@you</span>');
    expect(html).toContain('second line<br>');
    expect(html).toContain('<pre class="code-block">SET spark.x = 1\nline 2</pre>');
    expect(html).toContain('<div class="field"><b>CPU</b>: 93%</div>');
    expect(html).toContain('<img class="inline-image" src="https://example.com/i.png" alt="icon"');
    expect(html).toContain('<figcaption>Chart title</figcaption><img class="block-image" src="https://example.com/chart.png" alt="chart alt"');
    expect(html).toContain('<hr>');
    expect(html).toMatch(/<button type="button" class="btn btn-primary" data-action-id="dlt_show_fixes" data-value="\{&quot;pipeline_id&quot;:&quot;p&quot;\}">Show all fixes<\/button>/);
    expect(html).toContain('class="btn btn-danger" data-action-id="dlt_mute"');
    expect(html).toMatch(/<a class="btn" role="button" href="https:\/\/dbc\.example\/pipelines\/1" target="_blank"[^>]*data-action-id="dlt_open_in_databricks">Open in Databricks/);
  });

  it('leaves snake_case names and arithmetic alone', () => {
    expect(mrkdwn('orders_silver and a_b_c')).toBe('orders_silver and a_b_c');
    expect(mrkdwn('2 * 3 * 4')).toBe('2 * 3 * 4');
  });

  it('escapes every payload string: no tags, attributes or script urls get through', () => {
    const evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: evil } },
      { type: 'section', text: { type: 'mrkdwn', text: `${evil} <javascript:alert(3)|click> \`${evil}\` \`\`\`${evil}\`\`\`` }, fields: [{ type: 'mrkdwn', text: evil }] },
      { type: 'context', elements: [{ type: 'plain_text', text: evil }] },
      { type: 'image', image_url: 'javascript:alert(4)', alt_text: evil },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: evil }, action_id: `x" onclick="alert(5)`, value: evil, url: 'javascript:alert(6)' }] },
      { type: `evil"><script>` },
    ];
    const html = renderBlocks(blocks);
    assertOnlyOurMarkup(html);
    expect(html).not.toMatch(/<script|<img src=x/i);
    expect(visible(html)).toContain('<script>alert(1)</script>');
    const message = renderMessage({ channel: 'C"><b>', ts: '1.1"><i>', user: '<u>', text: evil, blocks: [], files: [{ id: 'F1', name: evil, title: evil, mimetype: 'image/png', url: 'javascript:alert(7)' }], reply_count: 2 });
    assertOnlyOurMarkup(message);
    expect(message).not.toMatch(/<script|<img src=x|<b>|<i>|<u>/i);
  });

  it('a message shows its author, "Only visible to you" when ephemeral, files and the thread link', () => {
    const html = renderMessage(
      { channel: 'C1', ts: '1795770322.000100', user: 'U_DLT_DOCTOR', bot_id: 'B1', text: 'fallback', blocks: [], ephemeral: true, edited: true, reply_count: 3, files: [{ id: 'F1', name: 'c.png', title: 'Chart', mimetype: 'image/png', url: '/console/files/F1' }] },
      { users: { U_DLT_DOCTOR: 'dlt-doctor' } },
    );
    expect(html).toContain('dlt-doctor');
    expect(html).toContain('Only visible to you');
    expect(html).toContain('(edited)');
    expect(html).toContain('fallback');
    expect(html).toContain('src="/console/files/F1"');
    expect(html).toContain('data-thread="1795770322.000100">3 replies');
    expect(renderMessage({ channel: 'C1', ts: '1.1', user: 'U1', text: 'x', blocks: [], reply_count: 3 }, { inThread: true })).not.toContain('replies');
  });
});

describe('renderModal', () => {
  it('the apply modal: title, the diff block, the view\'s own submit and close labels; payload text stays text', async () => {
    const { renderApplyModal } = await import('../../../templates/blocks/alerts.js');
    const view = {
      id: 'V0123456789',
      ...renderApplyModal({ pipelineName: 'orders<b>_silver', title: 'Bigger workers', guideSection: '3.2', diff: [{ key: 'clusters[default].node_type_id', before: 'i3.xlarge', after: 'r5.4xlarge' }], privateMetadata: '{}' }),
    };
    const html = renderModal(view);
    expect(html).toContain('data-view-id="V0123456789"');
    expect(html).toMatch(/<h2 id="modal-title">Apply a fix<\/h2>/);
    expect(html).toMatch(/<button type="submit" class="btn btn-primary" data-view-submit="V0123456789">Apply<\/button>/);
    expect(html).toMatch(/data-view-close="V0123456789">Cancel<\/button>/);
    expect(visible(html)).toContain('clusters[default].node_type_id: i3.xlarge → r5.4xlarge');
    expect(html).not.toContain('<b>_silver');
    // a view without submit has no submit button, and Slack's default close label
    const bare = renderModal({ id: 'V1', title: { type: 'plain_text', text: 'Info' }, blocks: [] });
    expect(bare).not.toContain('data-view-submit');
    expect(bare).toMatch(/data-view-close="V1">Cancel<\/button>/);
  });
});
