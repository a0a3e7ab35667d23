import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/driver-memory-pressure.js';
import { fakeEvidence, fakeNodeSamples } from '../../support/fake-evidence.js';
import { expectOneResult } from '../../support/expect-one-result.js';
import { jitter, noisy, runOf } from './helpers.js';

type Nodes = NonNullable<Parameters<typeof fakeNodeSamples>[0]>;
/** A 40-minute RUNNING phase (warm-up: 4 min, 36 steady minutes) with node rows for all of it. */
const run40 = (o: Nodes) => fakeEvidence({ update: runOf(40), nodeMetrics: fakeNodeSamples({ minutes: 40, ...o }) });

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (driver 45%)', evidence: fakeEvidence() },
  { name: 'no node metrics', evidence: fakeEvidence({ nodeMetrics: null }) },
  { name: 'driver full but workers busy, no driver swap', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ driverMem: 95 }) }) },
  { name: 'workers idle, driver fine', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ cpu: 20 }) }) },
  // noisy near-misses
  { name: 'driver spikes to 96% for 4 minutes of 40 (a collect of a small table)', evidence: run40({ cpu: 25, driverMem: (m) => (m >= 20 && m < 24 ? 96 : 45) }) },
  { name: 'driver fluctuating 83–91%, at or above 90% in few minutes', evidence: run40({ cpu: 25, driverMem: (m) => 87 + 4 * jitter(m, 0, 7) }) },
  { name: 'driver full only during warm-up', evidence: run40({ cpu: 25, driverMem: (m) => (m < 4 ? 97 : 50) }) },
  { name: 'driver swapping briefly (3 minutes) while workers are busy', evidence: run40({ driverMem: 94, driverSwap: (m) => (m >= 10 && m < 13 ? 5 : 0) }) },
];

const invalid: { name: string; evidence: Evidence; data: Record<string, number> }[] = [
  { name: 'driver at 95% while workers idle at 25%', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ driverMem: 95, cpu: 25 }) }), data: { mem: 95, cpu: 25, share: 100, min: 90 } },
  { name: 'workers at 45% (they wait on the driver)', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ driverMem: 93, cpu: 45 }) }), data: { mem: 93, cpu: 45, share: 100, min: 90 } },
  {
    name: 'driver 90–99% for most of a 40-minute run, workers at 35% ± 10',
    evidence: run40({ cpu: noisy(35, 10, 4), driverMem: (m) => (m % 6 === 5 ? 80 : 94.5 + 4.5 * jitter(m, 1, 9)) }),
    data: { mem: 95, cpu: 36, share: 83, min: 90 },
  },
  {
    // a swapping driver is short of memory whatever the workers do
    name: 'driver full and swapping while the workers are busy',
    evidence: run40({ cpu: 72, driverMem: 96, driverSwap: (m) => (m % 2 === 0 ? 4 : 2) }),
    data: { mem: 96, cpu: 72, share: 100, min: 90 },
  },
];

describe('driver-memory-pressure', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each(invalid)('invalid: $name', (c) => {
    const r = expectOneResult(rule, c.evidence);
    expect(r.messageId).toBe('driverFull');
    expect(r.severity ?? rule.meta.severity).toBe('warning');
    expect(r.data).toEqual(c.data);
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'driver median mem_used (after warm-up)', value: expect.closeTo(c.data.mem!, 0), threshold: 90, source: 'system.compute.node_timeline' }));
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'minutes with the driver at or above 90% memory', value: c.data.share, threshold: 50 }));
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'workers median CPU', threshold: 50 }));
    expect(r.fixes).toEqual([{ id: 'avoid-collect' }, { id: 'larger-driver' }]);
    // the driver is the problem: no worker node type or count change
    expect(r.rulesOut).toEqual(['workers']);
  });

  it('honours option overrides', () => {
    expect(rule.run(fakeEvidence({ nodeMetrics: fakeNodeSamples({ driverMem: 85, cpu: 25 }) }), { minDriverMem: 80 })).toHaveLength(1);
  });
});
