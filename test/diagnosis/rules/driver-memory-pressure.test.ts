import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/driver-memory-pressure.js';
import { fakeEvidence, fakeNodeSamples } from '../../support/fake-evidence.js';

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (driver 45%)', evidence: fakeEvidence() },
  { name: 'no node metrics', evidence: fakeEvidence({ nodeMetrics: null }) },
  { name: 'driver full but workers busy', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ driverMem: 95 }) }) },
  { name: 'workers idle, driver fine', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ cpu: 20 }) }) },
  { name: 'single node (no worker rows)', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ workers: 0, driverMem: 97 }) }) },
];

describe('driver-memory-pressure', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it('invalid: driver at 95% while workers idle at 25%', () => {
    const results = rule.run(fakeEvidence({ nodeMetrics: fakeNodeSamples({ driverMem: 95, cpu: 25 }) }));
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.messageId).toBe('driverFull');
    expect(r.severity ?? rule.meta.severity).toBe('warning');
    expect(r.data).toEqual({ mem: 95, cpu: 25 });
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'driver mean mem_used', value: 95, threshold: 90, source: 'system.compute.node_timeline' }));
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'workers mean CPU', value: 25, threshold: 40 }));
    expect(r.fixes).toEqual([{ id: 'avoid-collect' }, { id: 'larger-driver' }]);
    expect(r.strength).toBeGreaterThanOrEqual(0.5);
    expect(r.strength).toBeLessThanOrEqual(1);
  });
});
