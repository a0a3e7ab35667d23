import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../commands/types.js';
import { calculateClusterSize } from '../../src/diagnosis/sizing.js';
import { toText as diagnosisText } from '../../templates/diagnosis.js';
import { formatBytes, formatDuration, visibleLength, wrap } from '../../templates/format.js';
import { replyToText } from '../../templates/text.js';
import { fakeDiagnosis, fakeDiagnosisReply, largestDiagnosis } from '../support/fake-diagnosis.js';
import { sizeReplies } from '../support/fake-size.js';

const widest = (s: string) => Math.max(...s.split('\n').map(visibleLength));

describe('format helpers', () => {
  it('formatDuration', () => {
    expect([formatDuration(45), formatDuration(900), formatDuration(2280), formatDuration(3900), formatDuration(null)]).toEqual(['45s', '15m', '38m', '1h 5m', '—']);
  });
  it('formatBytes', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(3 * 1024 ** 3), formatBytes(null)]).toEqual(['512 B', '1.5 KiB', '3.0 GiB', '—']);
  });
  it('wrap never exceeds the width and keeps every word', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z0-9.,/=-]{1,30}$/), { maxLength: 40 }), fc.integer({ min: 20, max: 100 }), (words, width) => {
        const lines = wrap(words.join(' '), width, '    ', '  ');
        for (const l of lines) expect(visibleLength(l)).toBeLessThanOrEqual(width);
        expect(lines.join('').replace(/\s+/g, '')).toBe(words.join(''));
      }),
      { numRuns: 200 },
    );
  });
  it('wrap keeps column spacing inside a line', () => {
    expect(wrap('a      b', 80)).toEqual(['a      b']);
  });
});

describe('diagnosis text', () => {
  it('leads with the verdict, then evidence, fixes with the exact setting, baseline', () => {
    const text = diagnosisText(fakeDiagnosisReply(), { width: 80, color: false });
    const at = (s: string) => text.indexOf(s);
    expect(text.split('\n')[1]).toMatch(/BOUND · confidence \d+%/);
    expect(at('Evidence')).toBeGreaterThan(0);
    expect(at('Fixes')).toBeGreaterThan(at('Evidence'));
    expect(at('Baseline')).toBeGreaterThan(at('Fixes'));
    expect(text).toContain('set cluster autoscale.max_workers = 16');
    expect(text).toContain('(threshold 85%)');
  });
  it('a continuous pipeline: no baseline, and the text says why', () => {
    const text = diagnosisText(fakeDiagnosisReply({ pipeline: { id: 'pl-clicks', name: 'clickstream', continuous: true }, baseline: null }), { width: 80, color: false });
    expect(text).toContain('none for a continuous pipeline');
    expect(text).not.toContain('no earlier completed updates');
    expect(widest(text)).toBeLessThanOrEqual(80);
  });

  it('the largest diagnosis still fits 80 columns; colour only when asked', () => {
    const reply = { ...fakeDiagnosisReply(), diagnosis: largestDiagnosis() };
    expect(widest(diagnosisText(reply, { width: 80, color: false }))).toBeLessThanOrEqual(80);
    expect(diagnosisText(reply, { width: 80, color: true })).toMatch(/\u001b\[/);
    expect(diagnosisText(reply, { width: 80, color: false })).not.toMatch(/\u001b\[/);
  });
});

describe('every reply kind renders within 80 columns', () => {
  const d = fakeDiagnosis();
  const replies: Reply[] = [
    fakeDiagnosisReply(),
    { kind: 'pipelines', filter: null, pipelines: [{ id: 'p1', name: 'a_very_long_pipeline_name_that_goes_on_and_on_forever', state: 'IDLE', health: 'UNHEALTHY', lastUpdate: { id: 'u', state: 'COMPLETED', startedAt: 0, durationS: 1800 }, baselineMedianS: 900 }] },
    { kind: 'pipelines', filter: 'zzz', pipelines: [] },
    { kind: 'compare', pipeline: { id: 'p', name: 'orders_silver' }, a: d, b: d, flows: [{ name: 'main.sales.orders_silver', a: { rows: 10, durationS: 5, rowsPerS: 2 }, b: null }], settings: [{ key: 'cluster[default].spark_conf.spark.sql.shuffle.partitions', a: '200', b: 'auto' }] },
    { kind: 'size', input: { gb: 500, complexity: 1.5, pipeline: 'orders_silver' }, size: calculateClusterSize(500, 1.5), partitions: 2000, current: { minWorkers: 2, maxWorkers: 8, cpuAvg: 91.2 } },
    { kind: 'help', command: null, commands: [{ name: 'size', summary: 'x '.repeat(60), usage: 'size <pipeline> | --gb N [--complexity F]', examples: ['size --gb 5'] }] },
    { kind: 'rules', rules: [{ id: 'cpu-saturation', category: 'cpu', severity: 'critical', description: 'long '.repeat(40), guideSection: '1.2, 2.2', requires: [], defaults: {} }] },
    { kind: 'error', code: 'BAD_USAGE', message: 'm '.repeat(60), hint: 'h', suggestions: [], usage: 'size --gb N\nexample: size --gb 5' },
    { kind: 'text', text: 'word '.repeat(50) },
    ...Object.values(sizeReplies()),
  ];
  it('pipelines start each row with the name', () => {
    const text = replyToText(replies[1]!, { width: 80, color: false });
    // line 0 the title, line 1 the column heads
    expect(text.split('\n')[2]).toMatch(/^a_very_long_pipeline/);
  });
  it.each(replies.map((r) => [r.kind, r] as const))('%s', (_kind, reply) => {
    const text = replyToText(reply, { width: 80, color: false });
    expect(text.length).toBeGreaterThan(0);
    expect(widest(text)).toBeLessThanOrEqual(80);
  });
});
