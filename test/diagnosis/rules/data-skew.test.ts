import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/data-skew.js';
import { fakeEvidence, fakeNodeSamples } from '../../support/fake-evidence.js';

/** Worker 0 runs hot for the first `minutes` minutes while the others idle at `others`%. */
const skew = (minutes: number, hot = 90, others = 15, workers = 4) =>
  fakeNodeSamples({ workers, cpu: (w, m) => (w === 0 && m < minutes ? hot : others) });

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (even 72%)', evidence: fakeEvidence() },
  { name: 'no node metrics', evidence: fakeEvidence({ nodeMetrics: null }) },
  { name: 'skewed for only 3 minutes', evidence: fakeEvidence({ nodeMetrics: skew(3) }) },
  { name: 'busiest worker below 60%', evidence: fakeEvidence({ nodeMetrics: skew(10, 50, 5) }) },
  { name: 'ratio under 3x', evidence: fakeEvidence({ nodeMetrics: skew(10, 90, 40) }) },
  { name: 'only two workers (median includes the busiest)', evidence: fakeEvidence({ nodeMetrics: skew(10, 95, 2, 2) }) },
];

describe('data-skew', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each([
    { name: 'one worker at 90% for 8 minutes, others 15%', nodes: skew(8), minutes: 8, busiest: 90, median: 15, ratio: 6 },
    { name: 'others fully idle (median floored at 1%)', nodes: skew(6, 80, 0), minutes: 6, busiest: 80, median: 0, ratio: 80 },
  ])('invalid: $name', (c) => {
    const results = rule.run(fakeEvidence({ nodeMetrics: c.nodes }));
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.messageId).toBe('skewed');
    expect(r.severity ?? rule.meta.severity).toBe('warning');
    expect(r.data).toEqual({ minutes: c.minutes, busiest: c.busiest, median: c.median, ratio: c.ratio });
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'skewed minutes', value: c.minutes, threshold: 5 }));
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'most often busiest worker', value: 'i-worker-0' }));
    expect(r.fixes).toEqual([{ id: 'enable-skew-join' }, { id: 'salt-skewed-key' }]);
    expect(r.strength).toBeGreaterThanOrEqual(0.5);
    expect(r.strength).toBeLessThanOrEqual(1);
  });
});
