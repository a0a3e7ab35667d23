import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/cpu-saturation.js';
import { T0, fakeClusterSamples, fakeEvidence, fakeNodeSamples, fakeUpdate } from '../../support/fake-evidence.js';
import { expectOneResult } from '../../support/expect-one-result.js';

const valid: { name: string; evidence: Evidence }[] = [
  { name: 'healthy default (CPU 72%)', evidence: fakeEvidence() },
  { name: 'no node metrics (serverless or no grant)', evidence: fakeEvidence({ nodeMetrics: null }) },
  { name: 'mean CPU just under 85%', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ cpu: 84 }) }) },
  // mean 88% but only half of the worker-minutes are at or above 80%
  { name: 'high mean, too few hot worker-minutes', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ cpu: (w) => (w < 2 ? 100 : 76) }) }) },
  { name: 'hot samples outside the running phase', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ cpu: 95, start: T0 + 20 * 60_000 }) }) },
  { name: 'driver busy, workers fine', evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ driverCpu: 99 }) }) },
];

const invalid: { name: string; evidence: Evidence; messageId: string; severity: string; metric: string; value: number; fixes: string[] }[] = [
  {
    name: 'workers at 88%',
    evidence: fakeEvidence({ nodeMetrics: fakeNodeSamples({ cpu: 88 }) }),
    messageId: 'saturated',
    severity: 'warning',
    metric: 'workers mean CPU',
    value: 88,
    fixes: ['compute-optimized-instances'],
  },
  {
    name: 'workers at 95% without Photon',
    evidence: fakeEvidence({ spec: { photon: false }, nodeMetrics: fakeNodeSamples({ cpu: 95 }) }),
    messageId: 'saturated',
    severity: 'critical',
    metric: 'workers mean CPU',
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
    metric: `worker-minutes at or above 80% CPU`,
    value: 100,
    fixes: ['compute-optimized-instances'],
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

  it('passes the optimal executor count to raise-max-workers when Databricks reported one', () => {
    const evidence = fakeEvidence({ nodeMetrics: fakeNodeSamples({ workers: 8, cpu: 92 }), clusterResources: fakeClusterSamples({ numExecutors: 8, optimalExecutors: 14 }) });
    expect(rule.run(evidence)[0]!.fixes).toEqual([{ id: 'raise-max-workers', params: { optimal: 14 } }, { id: 'compute-optimized-instances' }]);
  });

  it('honours option overrides', () => {
    expect(rule.run(fakeEvidence(), { minMeanCpu: 70, hotCpu: 70 })).toHaveLength(1);
  });
});
