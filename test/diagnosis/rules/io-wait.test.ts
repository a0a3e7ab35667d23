import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/io-wait.js';
import { fakeEvidence, fakeNodeSamples } from '../../support/fake-evidence.js';

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (wait 3%)', evidence: fakeEvidence() },
  { name: 'no node metrics', evidence: fakeEvidence({ nodeMetrics: null }) },
  { name: 'waiting but CPU busy', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ wait: 20, cpu: 72 }) }) },
  { name: 'low CPU, little wait', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ wait: 10, cpu: 30 }) }) },
];

describe('io-wait', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each([
    { name: 'wait 20%, CPU 40%', wait: 20, cpu: 40, severity: 'warning' },
    { name: 'wait 35%, CPU 30%', wait: 35, cpu: 30, severity: 'critical' },
  ])('invalid: $name', (c) => {
    const results = rule.run(fakeEvidence({ nodeMetrics: fakeNodeSamples({ wait: c.wait, cpu: c.cpu }) }));
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.messageId).toBe('ioBound');
    expect(r.severity).toBe(c.severity);
    expect(r.data).toEqual({ wait: c.wait, cpu: c.cpu });
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'workers mean cpu_wait', value: c.wait, threshold: 15 }));
    expect(r.fixes.map((f) => f.id)).toEqual(['storage-optimized-instances', 'enable-io-cache', 'optimize-write']);
    expect(r.strength).toBeGreaterThanOrEqual(0.5);
    expect(r.strength).toBeLessThanOrEqual(1);
  });
});
