import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/memory-pressure.js';
import { fakeEvidence, fakeNodeSamples } from '../../support/fake-evidence.js';

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (62% memory, no swap)', evidence: fakeEvidence() },
  { name: 'no node metrics', evidence: fakeEvidence({ nodeMetrics: null }) },
  { name: 'full memory, no swap (page cache counts as used)', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ mem: 95, swap: 0 }) }) },
  { name: 'swapping at 80% memory', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ mem: 80, swap: 10 }) }) },
  { name: 'driver-only rows', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ workers: 0, driverMem: 99, swap: 20 }) }) },
];

describe('memory-pressure', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each([
    { name: '93% memory, 8% swap', mem: 93, swap: 8 },
    { name: '99% memory, 30% swap', mem: 99, swap: 30 },
  ])('invalid: $name', (c) => {
    const results = rule.run(fakeEvidence({ nodeMetrics: fakeNodeSamples({ mem: c.mem, swap: c.swap }) }));
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.messageId).toBe('pressure');
    expect(r.severity ?? rule.meta.severity).toBe('warning');
    expect(r.data).toEqual({ mem: c.mem, swap: c.swap });
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'workers mean mem_used', value: c.mem, threshold: 90 }));
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'workers max mem_swap', value: c.swap, threshold: 5 }));
    expect(r.fixes).toEqual([{ id: 'memory-optimized-instances' }]);
    expect(r.strength).toBeGreaterThanOrEqual(0.5);
    expect(r.strength).toBeLessThanOrEqual(1);
  });
});
