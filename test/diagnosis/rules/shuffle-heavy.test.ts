import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/shuffle-heavy.js';
import { fakeEvidence, fakeUpdate, fakeNodeSamples } from '../../support/fake-evidence.js';
import { expectOneResult } from '../../support/expect-one-result.js';
import { noisy, runOf } from './helpers.js';

const GIB = 1024 ** 3;
type Nodes = NonNullable<Parameters<typeof fakeNodeSamples>[0]>;
/** A 40-minute RUNNING phase (warm-up: 4 min, 36 steady minutes) with node rows for all of it. */
const run40 = (o: Nodes) => fakeEvidence({ update: runOf(40), nodeMetrics: fakeNodeSamples({ minutes: 40, ...o }) });

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (200 MB/min)', evidence: fakeEvidence() },
  { name: 'no node metrics', evidence: fakeEvidence({ nodeMetrics: null }) },
  { name: 'heavy network, busy CPU', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ netBytesPerMin: 2 * GIB, cpu: 72 }) }) },
  { name: 'idle CPU, light network', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ netBytesPerMin: 500_000_000, cpu: 30 }) }) },
  // noisy near-misses
  { name: 'one 6-minute shuffle of 3 GiB/min in a 40-minute run at 35% CPU', evidence: run40({ cpu: 35, netBytesPerMin: (_w, m) => (m >= 20 && m < 26 ? 3 * GIB : 200_000_000) }) },
  { name: 'network 0.6–1.4 GiB/min, above 1 GiB in under half the minutes', evidence: run40({ cpu: 35, netBytesPerMin: (w, m) => noisy(0.9, 0.5, 17)(w, m) * GIB }) },
  { name: 'heavy network only while the cluster warms up', evidence: run40({ cpu: 35, netBytesPerMin: (_w, m) => (m < 4 ? 4 * GIB : 100_000_000) }) },
];

const invalid: { name: string; evidence: Evidence; data: Record<string, number> }[] = [
  // slower than its usual 880 s: moderate traffic names the verdict
  { name: '2 GiB per worker-minute at 40% CPU, 1.7× its usual duration', evidence: fakeEvidence({ update: fakeUpdate({ durationS: 1500 }), nodeMetrics: fakeNodeSamples({ netBytesPerMin: 2 * GIB, cpu: 40 }) }), data: { gib: 2, cpu: 40, share: 100, min: 1 } },
  {
    name: '1.4 GiB ± 0.6 per worker-minute at 38% ± 8 CPU for a 40-minute run',
    evidence: run40({ cpu: noisy(38, 8, 21), netBytesPerMin: (w, m) => noisy(1.4, 0.6, 23)(w, m) * GIB }),
    data: { gib: 1.3, cpu: 38, share: 89, min: 1 },
  },
];

describe('shuffle-heavy', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each(invalid)('invalid: $name', (c) => {
    const r = expectOneResult(rule, c.evidence);
    expect(r.messageId).toBe('shuffleBound');
    expect(r.severity ?? rule.meta.severity).toBe('warning');
    expect(r.data).toEqual(c.data);
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'workers median network sent+received (after warm-up)', unit: 'bytes/min', threshold: GIB }));
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'minutes above the network threshold', value: c.data.share, threshold: 50 }));
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'workers median CPU', threshold: 50 }));
    expect(r.fixes).toEqual([{ id: 'broadcast-threshold' }, { id: 'enable-aqe-coalesce' }, { id: 'storage-optimized-instances', params: { size: 'large' } }]);
  });

  it('moderate traffic at the usual pace is info; heavy traffic is a warning either way', () => {
    // fakeEvidence runs at its 10-update median: a few GiB a minute are a few percent of a node's link
    const [usual] = rule.run(fakeEvidence({ nodeMetrics: fakeNodeSamples({ netBytesPerMin: 2 * GIB, cpu: 40 }) }));
    expect(usual!.severity).toBe('info');
    const [heavy] = rule.run(fakeEvidence({ nodeMetrics: fakeNodeSamples({ netBytesPerMin: 12 * GIB, cpu: 40 }) }));
    expect(heavy!.severity ?? rule.meta.severity).toBe('warning');
    // without a baseline there is no usual pace to excuse it
    const [fresh] = rule.run(fakeEvidence({ history: [], nodeMetrics: fakeNodeSamples({ netBytesPerMin: 2 * GIB, cpu: 40 }) }));
    expect(fresh!.severity ?? rule.meta.severity).toBe('warning');
  });

  it('reports the median bytes of the steady minutes', () => {
    const [r] = rule.run(fakeEvidence({ nodeMetrics: fakeNodeSamples({ netBytesPerMin: 2 * GIB, cpu: 40 }) }));
    expect(r!.evidence).toContainEqual(expect.objectContaining({ metric: 'workers median network sent+received (after warm-up)', value: 2 * GIB }));
  });

  it('honours option overrides', () => {
    expect(rule.run(fakeEvidence({ nodeMetrics: fakeNodeSamples({ netBytesPerMin: 500_000_000, cpu: 30 }) }), { minNetBytesPerWorkerMinute: 400_000_000 })).toHaveLength(1);
  });
});
