import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/data-skew.js';
import { fakeEvidence, fakeNodeSamples } from '../../support/fake-evidence.js';
import { expectOneResult } from '../../support/expect-one-result.js';
import { noisy, runOf } from './helpers.js';

/**
 * Worker 0 runs hot for `minutes` minutes from minute `from` while the others idle at `others`%.
 * The default 13-minute run has a 2-minute warm-up, so skew starts at minute 2 by default.
 */
const skew = (minutes: number, hot = 90, others = 15, workers = 4, from = 2) =>
  fakeNodeSamples({ workers, cpu: (w, m) => (w === 0 && m >= from && m < from + minutes ? hot : others) });
/** A 40-minute RUNNING phase (warm-up: 4 min, 36 steady minutes) with node rows for all of it. */
const run40 = (cpu: (w: number, m: number) => number) => fakeEvidence({ update: runOf(40), nodeMetrics: fakeNodeSamples({ minutes: 40, cpu }) });

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (even 72%)', evidence: fakeEvidence() },
  { name: 'no node metrics', evidence: fakeEvidence({ nodeMetrics: null }) },
  { name: 'skewed for only 3 minutes', evidence: fakeEvidence({ nodeMetrics: skew(3) }) },
  { name: 'busiest worker below 60%', evidence: fakeEvidence({ nodeMetrics: skew(10, 50, 5) }) },
  { name: 'ratio under 3x', evidence: fakeEvidence({ nodeMetrics: skew(10, 90, 40) }) },
  { name: 'only two workers (median includes the busiest)', evidence: fakeEvidence({ nodeMetrics: skew(10, 95, 2, 2) }) },
  // noisy near-misses
  { name: 'one straggler task: 6 skewed minutes of 36 (17%)', evidence: run40((w, m) => (w === 0 && m >= 20 && m < 26 ? 92 : noisy(15, 5)(w, m))) },
  { name: 'skewed only during warm-up (the first, uneven micro-batch)', evidence: run40((w, m) => (w === 0 && m < 4 ? 95 : noisy(70, 8)(w, m))) },
  { name: 'even but noisy load (70% ± 15 per worker)', evidence: run40((w, m) => 70 + 15 * Math.sin(w * 1.7 + m * 0.9)) },
];

const invalid: { name: string; evidence: Evidence; minutes: number; busiest: number; median: number; ratio: number; instance: string }[] = [
  { name: 'one worker at 90% for 8 minutes, others 15%', evidence: fakeEvidence({ nodeMetrics: skew(8) }), minutes: 8, busiest: 90, median: 15, ratio: 6, instance: 'i-worker-0' },
  { name: 'others fully idle (median floored at 1%)', evidence: fakeEvidence({ nodeMetrics: skew(6, 80, 0) }), minutes: 6, busiest: 80, median: 0, ratio: 80, instance: 'i-worker-0' },
  {
    name: 'worker 2 at ~90% for 15 of 36 steady minutes, the others ~15% (noisy)',
    evidence: run40((w, m) => (w === 2 && m >= 10 && m < 25 ? noisy(90, 4, 3)(w, m) : noisy(15, 5, 4)(w, m))),
    minutes: 15,
    busiest: 90,
    median: 15,
    ratio: 6,
    instance: 'i-worker-2',
  },
];

describe('data-skew', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each(invalid)('invalid: $name', (c) => {
    const r = expectOneResult(rule, c.evidence);
    expect(r.messageId).toBe('skewed');
    expect(r.severity ?? rule.meta.severity).toBe('warning');
    expect(r.data).toMatchObject({ minutes: c.minutes });
    expect(r.data!.busiest).toBeCloseTo(c.busiest, -1);
    expect(r.data!.median).toBeCloseTo(c.median, -1);
    expect(r.data!.ratio).toBeGreaterThanOrEqual(3);
    if (c.ratio !== 6) expect(r.data!.ratio).toBe(c.ratio);
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'skewed minutes', value: c.minutes, threshold: 5 }));
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'most often busiest worker', value: c.instance }));
    expect(r.fixes).toEqual([{ id: 'enable-skew-join' }, { id: 'salt-skewed-key' }]);
    // one task holds up the stage: more workers would idle too
    expect(r.rulesOut).toEqual(['more-workers']);
  });

  it('reports exact figures on a clean skew', () => {
    const [r] = rule.run(fakeEvidence({ nodeMetrics: skew(8) }));
    expect(r!.data).toEqual({ minutes: 8, busiest: 90, median: 15, ratio: 6 });
  });

  it('honours option overrides', () => {
    expect(rule.run(fakeEvidence({ nodeMetrics: skew(3) }), { minMinutes: 3, minShare: 0.25 })).toHaveLength(1);
    // 6 skewed minutes of 36 pass once the share needed is lowered
    expect(rule.run(run40((w, m) => (w === 0 && m >= 20 && m < 26 ? 92 : 15)), { minShare: 0.1 })).toHaveLength(1);
  });
});
