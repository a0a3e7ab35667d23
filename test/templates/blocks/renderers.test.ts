import { describe, expect, it } from 'vitest';
import { toBlocks } from '../../../templates/blocks/index.js';
import { renderProgress } from '../../../templates/blocks/progress.js';
import { limitViolations } from '../../../templates/blocks/split.js';
import type { Block } from '../../../templates/blocks/types.js';
import { fakeDiagnosisReply } from '../../support/fake-diagnosis.js';
import { sizeReplies } from '../../support/fake-size.js';

const json = (blocks: Block[]) => JSON.stringify(blocks);

describe('Block Kit renderers', () => {
  it('diagnosis (compact): verdict header, summary, the key evidence with thresholds, the fix to do first with its setting, baseline, buttons', () => {
    const p = toBlocks(fakeDiagnosisReply());
    expect(p.text).toContain('orders_silver: CPU-bound');
    expect(p.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: ':red_circle: orders_silver: CPU-bound (82% confidence)', emoji: true } });
    const out = json(p.blocks);
    expect(out).toContain('*workers mean CPU*: 93% (threshold 85%)');
    expect(out).toContain('```cluster: autoscale.max_workers = 16```');
    expect(out).toContain('The fix to do first* (of 4)');
    expect(out).not.toContain('coalescePartitions'); // the other fixes wait behind "Details and all fixes"
    expect(out).toContain('Baseline: median 15m over the last 10 successful updates · this update took 2.03× the median');
    expect(limitViolations(p)).toEqual([]);
  });

  it('diagnosis: healthy, no history, no workspace link, with a chart', () => {
    const reply = fakeDiagnosisReply({ verdict: { bottleneck: 'none', confidence: 1, summary: 'Nothing to fix.' }, findings: [], recommendations: [], baseline: null }, null);
    const p = toBlocks(reply, { chartUrl: 'https://files.example/chart.png' });
    expect(p.blocks[0]?.type === 'header' && p.blocks[0].text.text).toBe(':white_check_mark: orders_silver: healthy');
    const actions = p.blocks.find((b) => b.type === 'actions');
    expect(actions?.type === 'actions' && actions.elements.map((e) => e.action_id)).toEqual(['dlt_compare', 'dlt_rediagnose']);
    expect(json(p.blocks)).toContain('not enough successful updates');
    expect(p.blocks.some((b) => b.type === 'image' && b.image_url === 'https://files.example/chart.png')).toBe(true);
  });

  it('diagnosis: a continuous pipeline’s baseline line says why there is none, not that history is missing', () => {
    const reply = fakeDiagnosisReply({ pipeline: { id: 'pl-clicks', name: 'clickstream', continuous: true }, baseline: null });
    const text = json(toBlocks(reply).blocks);
    expect(text).toContain('Baseline: none for a continuous pipeline');
    expect(text).not.toContain('not enough successful updates');
  });

  it('escapes Slack control characters from pipeline data', () => {
    const p = toBlocks(fakeDiagnosisReply({ verdict: { bottleneck: 'io', confidence: 0.5, summary: 'Reads <!channel> & more' } }));
    expect(json(p.blocks)).toContain('Reads &lt;!channel&gt; &amp; more');
  });

  it('error: hint when there are no suggestions, usage and an example always', () => {
    const p = toBlocks({ kind: 'error', code: 'NO_EVENTS', message: 'The event log is empty.', hint: 'Run the pipeline once.', suggestions: [], usage: null });
    expect(p.text).toContain('Run the pipeline once.');
    expect(p.text).toContain('Example: /dlt why-slow orders_silver');
  });

  it('error: uses the example line the command layer puts under its usage', () => {
    const p = toBlocks({ kind: 'error', code: 'BAD_USAGE', message: 'missing <pipeline>', hint: null, suggestions: [], usage: 'why-slow <pipeline> [--update ID]\nexample: why-slow orders_silver --update u1' });
    // the placeholder is escaped, or Slack would swallow `<pipeline>` as a link
    expect(json(p.blocks)).toContain('Usage: `/dlt why-slow &lt;pipeline&gt; [--update ID]` · Example: `/dlt why-slow orders_silver --update u1`');
  });

  it('progress: names the step', () => {
    expect(renderProgress('why-slow', 'orders_silver', 'collecting').text).toBe('Diagnosing `orders_silver`… collecting');
    expect(renderProgress('pipelines', null, 'started').text).toBe('Listing pipelines…');
  });

  it('help with one command lists all its examples', () => {
    const p = toBlocks({ kind: 'help', commands: [], command: { name: 'size', summary: 'Sizing formula', usage: 'size <pipeline> | --gb N', examples: ['size orders_silver', 'size --gb 500 --complexity 1.5'] } });
    expect(json(p.blocks)).toContain('`/dlt size --gb 500 --complexity 1.5`');
  });
});

describe('size blocks', () => {
  it.each(Object.entries(sizeReplies()))('%s stays within Block Kit limits and escapes', (_name, reply) => {
    const p = toBlocks(reply);
    expect(limitViolations(p)).toEqual([]);
    expect(p.text.length).toBeGreaterThan(0);
  });
  it('the saturated advice leads, with the formula after it; serverless shows no worker counts; flags are shown', () => {
    const r = sizeReplies();
    const saturated = json(toBlocks(r['size (saturated)']!).blocks);
    expect(saturated.indexOf('*Advice*')).toBeGreaterThan(0);
    expect(saturated.indexOf('*Advice*')).toBeLessThan(saturated.indexOf('*Formula*'));
    expect(saturated).toContain('num_workers 6 (now 4)');
    const serverless = toBlocks(r['size (serverless)']!);
    expect(json(serverless.blocks)).not.toMatch(/Workers\*|recommended \d|min \d|max \d/);
    expect(serverless.text).toMatch(/no worker sizing/);
    expect(json(toBlocks(r['size (--gb 100000, flagged)']!).blocks)).toMatch(/:warning: The formula asks for 1,333 workers/);
  });
});
