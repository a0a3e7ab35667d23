import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/shuffle-heavy.js';
import { fakeEvidence, fakeNodeSamples } from '../../support/fake-evidence.js';

const GIB = 1024 ** 3;

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (200 MB/min)', evidence: fakeEvidence() },
  { name: 'no node metrics', evidence: fakeEvidence({ nodeMetrics: null }) },
  { name: 'heavy network, busy CPU', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ netBytesPerMin: 2 * GIB, cpu: 72 }) }) },
  { name: 'idle CPU, light network', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ netBytesPerMin: 500_000_000, cpu: 30 }) }) },
];

describe('shuffle-heavy', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it('invalid: 2 GiB per worker-minute at 40% CPU', () => {
    const results = rule.run(fakeEvidence({ nodeMetrics: fakeNodeSamples({ netBytesPerMin: 2 * GIB, cpu: 40 }) }));
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.messageId).toBe('shuffleBound');
    expect(r.severity ?? rule.meta.severity).toBe('warning');
    expect(r.data).toEqual({ gib: 2, cpu: 40 });
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'workers mean network sent+received', value: 2 * GIB, unit: 'bytes/min', threshold: GIB }));
    expect(r.fixes).toEqual([{ id: 'broadcast-threshold' }, { id: 'enable-aqe-coalesce' }, { id: 'storage-optimized-instances', params: { size: 'large' } }]);
    expect(r.strength).toBeGreaterThanOrEqual(0.5);
    expect(r.strength).toBeLessThanOrEqual(1);
  });
});
