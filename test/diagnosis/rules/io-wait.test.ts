import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/io-wait.js';
import { fakeEvidence, fakeNodeSamples } from '../../support/fake-evidence.js';
import { expectOneResult } from '../../support/expect-one-result.js';
import { noisy, runOf } from './helpers.js';

type Nodes = NonNullable<Parameters<typeof fakeNodeSamples>[0]>;
/** A 40-minute RUNNING phase (warm-up: 4 min, 36 steady minutes) with node rows for all of it. */
const run40 = (o: Nodes) => fakeEvidence({ update: runOf(40), nodeMetrics: fakeNodeSamples({ minutes: 40, ...o }) });

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (wait 3%)', evidence: fakeEvidence() },
  { name: 'no node metrics', evidence: fakeEvidence({ nodeMetrics: null }) },
  { name: 'waiting but CPU busy', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ wait: 20, cpu: 72 }) }) },
  { name: 'low CPU, little wait', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ wait: 10, cpu: 30 }) }) },
  // noisy near-misses
  { name: 'a 5-minute I/O burst (35%) in a 40-minute run at 30% CPU', evidence: run40({ cpu: 30, wait: (_w, m) => (m >= 15 && m < 20 ? 35 : 3) }) },
  { name: 'wait fluctuating 8–18% at 35% CPU (at or above 15% in a third of the minutes)', evidence: run40({ cpu: 35, wait: noisy(13, 5, 11) }) },
  { name: 'I/O wait only during warm-up (the first reads)', evidence: run40({ cpu: 30, wait: (_w, m) => (m < 4 ? 40 : 4) }) },
  // pages going to swap show up as I/O wait: that is memory-pressure's
  { name: 'waiting while a worker swaps for much of the run', evidence: run40({ cpu: 30, wait: 25, swap: (w, m) => (w === 0 && m % 2 === 0 ? 8 : 0) }) },
];

const invalid: { name: string; evidence: Evidence; severity: string; data: Record<string, number> }[] = [
  { name: 'wait 20%, CPU 40%', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ wait: 20, cpu: 40 }) }), severity: 'warning', data: { wait: 20, cpu: 40, share: 100, min: 15 } },
  { name: 'wait 35%, CPU 30%', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ wait: 35, cpu: 30 }) }), severity: 'critical', data: { wait: 35, cpu: 30, share: 100, min: 15 } },
  {
    name: 'wait 20% ± 7 at 35% ± 8 CPU for a 40-minute run',
    evidence: run40({ cpu: noisy(35, 8, 2), wait: noisy(20, 7, 13) }),
    severity: 'warning',
    data: { wait: 20, cpu: 36, share: 94, min: 15 },
  },
  {
    // a short swap does not explain 36 minutes of I/O wait
    name: 'wait 25% with a 3-minute swap',
    evidence: run40({ cpu: 30, wait: 25, swap: (_w, m) => (m >= 10 && m < 13 ? 8 : 0) }),
    severity: 'warning',
    data: { wait: 25, cpu: 30, share: 100, min: 15 },
  },
];

describe('io-wait', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each(invalid)('invalid: $name', (c) => {
    const r = expectOneResult(rule, c.evidence);
    expect(r.messageId).toBe('ioBound');
    expect(r.severity).toBe(c.severity);
    expect(r.data).toEqual(c.data);
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'workers median cpu_wait (after warm-up)', value: expect.closeTo(c.data.wait!, 0), threshold: 15 }));
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'minutes with cpu_wait at or above 15%', value: c.data.share, threshold: 50 }));
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: 'workers median CPU', threshold: 50 }));
    expect(r.fixes.map((f) => f.id)).toEqual(['storage-optimized-instances', 'enable-io-cache', 'optimize-write', 'predictive-optimization']);
  });

  it('honours option overrides', () => {
    expect(rule.run(fakeEvidence({ nodeMetrics: fakeNodeSamples({ wait: 10, cpu: 30 }) }), { minWait: 8 })).toHaveLength(1);
  });
});
