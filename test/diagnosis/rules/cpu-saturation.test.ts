import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/cpu-saturation.js';
import { T0, fakeClusterSamples, fakeEvidence, fakeNodeSamples, fakeUpdate, type PerWorkerMinute } from '../../support/fake-evidence.js';
import { expectOneResult } from '../../support/expect-one-result.js';
import { noisy, runOf } from './helpers.js';

/** A 40-minute RUNNING phase (warm-up: 4 min) with per-minute node rows for all of it. */
const run40 = (cpu: PerWorkerMinute, o: NonNullable<Parameters<typeof fakeNodeSamples>[0]> = {}) =>
  fakeEvidence({ update: runOf(40), nodeMetrics: fakeNodeSamples({ minutes: 40, cpu, ...o }) });

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (CPU 72%)', evidence: fakeEvidence() },
  { name: 'no node metrics (serverless or no grant)', evidence: fakeEvidence({ nodeMetrics: null }) },
  { name: 'median CPU just under 85%', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ cpu: 84 }) }) },
  // median 95% (20 of the 36 steady minutes at 95, the rest at 76) but hot in only 56% of the minutes
  { name: 'high median, too few hot minutes', evidence: run40((_w, m) => (m % 9 < 5 ? 95 : 76)) },
  { name: 'hot samples outside the running phase', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ cpu: 95, start: T0 + 20 * 60_000 }) }) },
  { name: 'driver busy, workers fine', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ driverCpu: 99 }) }) },
  // noisy near-misses: what healthy busy clusters look like
  { name: 'a 4-minute spike to 98% in a 40-minute run at 72%', evidence: run40((_w, m) => (m >= 20 && m < 24 ? 98 : 72)) },
  { name: '83% ± 6, fluctuating around the top of the band', evidence: run40(noisy(83, 6)) },
  { name: 'inside the guide’s 70–85% band with noise (78% ± 7)', evidence: run40(noisy(78, 7)) },
  { name: 'hot only during warm-up (99% for the first 4 minutes, then 72%)', evidence: run40((_w, m) => (m < 4 ? 99 : 72)) },
  {
    name: 'one worker pegged at 100%, the others at 70% (median minute 77.5%)',
    evidence: run40((w) => (w === 0 ? 100 : 70)),
  },
];

const invalid: { name: string; evidence: Evidence; messageId: string; severity: string; metric: string; value: number; fixes: string[] }[] = [
  {
    name: 'workers at 88%',
    evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ cpu: 88 }) }),
    messageId: 'saturated',
    severity: 'warning',
    metric: 'workers median CPU (after warm-up)',
    value: 88,
    fixes: ['compute-optimized-instances'],
  },
  {
    name: 'workers at 95% without Photon',
    evidence: fakeEvidence({ spec: { photon: false }, nodeMetrics: fakeNodeSamples({ cpu: 95 }) }),
    messageId: 'saturated',
    severity: 'critical',
    metric: 'workers median CPU (after warm-up)',
    value: 95,
    fixes: ['compute-optimized-instances', 'enable-photon'],
  },
  {
    name: 'saturated and pinned at max_workers',
    evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ workers: 8, cpu: 92 }), clusterResources: fakeClusterSamples({ numExecutors: 8 }) }),
    messageId: 'saturatedAtMax',
    severity: 'critical',
    metric: 'run at max_workers',
    value: 100,
    fixes: ['raise-max-workers', 'compute-optimized-instances'],
  },
  {
    name: 'pinned, known from node_timeline when cluster_resources is missing',
    evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ workers: 8, cpu: 87 }), clusterResources: [] }),
    messageId: 'saturatedAtMax',
    severity: 'warning',
    metric: 'workers',
    value: 8,
    fixes: ['raise-max-workers', 'compute-optimized-instances'],
  },
  {
    name: 'no phase timings: the whole update is the window',
    evidence: fakeEvidence({ update: fakeUpdate({ phasesS: {} }), nodeMetrics: fakeNodeSamples({ cpu: 90 }) }),
    messageId: 'saturated',
    severity: 'critical',
    metric: 'minutes at or above 85% CPU',
    value: 100,
    fixes: ['compute-optimized-instances'],
  },
  {
    // the warm-up skip is 4 min of a 40-min run: one cold minute is left in the steady window and does not matter
    name: '90% ± 5 after a 5-minute warm-up at 30%',
    evidence: run40((w, m) => (m < 5 ? 30 : noisy(90, 5)(w, m))),
    messageId: 'saturated',
    severity: 'warning',
    metric: 'minutes at or above 85% CPU',
    value: 97.2,
    fixes: ['compute-optimized-instances'],
  },
  {
    name: '93% ± 4 for the whole run: critical',
    evidence: run40(noisy(93, 4)),
    messageId: 'saturated',
    severity: 'critical',
    metric: 'minutes at or above 85% CPU',
    value: 100,
    fixes: ['compute-optimized-instances'],
  },
  {
    // §3.1: compute-optimized nodes have less memory per core; not while memory is nearly full too
    name: 'saturated with memory nearly full: no compute-optimized nodes',
    evidence: fakeEvidence({ spec: { photon: false }, nodeMetrics: fakeNodeSamples({ cpu: 92, mem: 90 }) }),
    messageId: 'saturated',
    severity: 'critical',
    metric: 'workers median CPU (after warm-up)',
    value: 92,
    fixes: ['enable-photon'],
  },
];

describe('cpu-saturation', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  it.each(valid)('valid: $name', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it.each(invalid)('invalid: $name', (c) => {
    const r = expectOneResult(rule, c.evidence);
    expect(r.messageId).toBe(c.messageId);
    expect(r.severity ?? rule.meta.severity).toBe(c.severity);
    expect(r.evidence).toContainEqual(expect.objectContaining({ metric: c.metric, value: c.value }));
    expect(r.fixes.map((f) => f.id)).toEqual(c.fixes);
  });

  it('reports the median and the hot share of the steady minutes in its message data', () => {
    const [r] = rule.run(run40((w, m) => (m < 5 ? 30 : noisy(90, 5)(w, m))));
    expect(r!.data).toEqual({ cpu: 90, share: 97, hot: 85 });
    expect(r!.evidence).toContainEqual({ metric: 'workers median CPU (after warm-up)', value: 89.9, unit: '%', threshold: 85, source: 'system.compute.node_timeline' });
  });

  it('is stronger the longer and hotter the saturation', () => {
    const borderline = rule.run(fakeEvidence({ nodeMetrics: fakeNodeSamples({ cpu: 86 }) }))[0]!.strength;
    const pegged = rule.run(fakeEvidence({ nodeMetrics: fakeNodeSamples({ cpu: 97 }) }))[0]!.strength;
    expect(borderline).toBeGreaterThanOrEqual(0.5);
    expect(pegged).toBeGreaterThan(borderline);
    expect(pegged).toBe(1);
  });

  it('passes the optimal executor count to raise-max-workers when Databricks reported one', () => {
    const evidence = fakeEvidence({ nodeMetrics: fakeNodeSamples({ workers: 8, cpu: 92 }), clusterResources: fakeClusterSamples({ numExecutors: 8, optimalExecutors: 14 }) });
    expect(rule.run(evidence)[0]!.fixes).toEqual([{ id: 'raise-max-workers', params: { optimal: 14 } }, { id: 'compute-optimized-instances' }]);
  });

  it('honours option overrides', () => {
    expect(rule.run(fakeEvidence(), { minMeanCpu: 70, hotCpu: 70 })).toHaveLength(1);
    // the spike counts when the rule is told to accept a 10% hot share
    expect(rule.run(run40((_w, m) => (m >= 20 && m < 24 ? 98 : 72)), { minMeanCpu: 70, minHotShare: 0.1 })).toHaveLength(1);
  });
});
