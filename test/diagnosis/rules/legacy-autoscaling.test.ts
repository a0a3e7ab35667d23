import { describe, expect, it } from 'vitest';
import { rule } from '../../../src/diagnosis/rules/legacy-autoscaling.js';
import { fakeCluster, fakeClusterSamples, fakeEvidence } from '../../support/fake-evidence.js';

const legacy = fakeCluster({ autoscale: { minWorkers: 2, maxWorkers: 8, mode: 'LEGACY' } });

describe('legacy-autoscaling', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  const valid = [
    { name: 'healthy update (ENHANCED)', evidence: fakeEvidence() },
    { name: 'serverless', evidence: fakeEvidence({ spec: { serverless: true, clusters: [] } }) },
    { name: 'fixed-size cluster', evidence: fakeEvidence({ spec: { clusters: [fakeCluster({ numWorkers: 4, autoscale: null })] } }) },
    {
      name: 'only the maintenance cluster is LEGACY (Databricks uses legacy there by design)',
      evidence: fakeEvidence({ spec: { clusters: [fakeCluster(), fakeCluster({ label: 'maintenance', autoscale: { minWorkers: 1, maxWorkers: 2, mode: 'LEGACY' } })] } }),
    },
  ];
  it.each(valid)('$name: no finding', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it('warns when the default cluster autoscales in LEGACY mode', () => {
    const [r, ...rest] = rule.run(fakeEvidence({ spec: { clusters: [legacy] } }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('legacyMode');
    expect(r!.severity ?? rule.meta.severity).toBe('warning');
    expect(r!.data).toEqual({ cluster: 'default', minWorkers: 2, maxWorkers: 8 });
    expect(r!.evidence).toEqual([{ metric: 'default.autoscale.mode', value: 'LEGACY', unit: '', threshold: 'ENHANCED', source: 'pipeline.spec' }]);
    expect(r!.strength).toBe(0.5);
    expect(r!.fixes).toEqual([{ id: 'enhanced-autoscaling', params: { cluster: 'default' } }]);
  });

  it('also checks an "updates" cluster and is stronger when executors lagged the requested count', () => {
    const updates = fakeCluster({ label: 'updates', autoscale: { minWorkers: 2, maxWorkers: 8, mode: 'LEGACY' } });
    const [r] = rule.run(fakeEvidence({ spec: { clusters: [updates] }, clusterResources: fakeClusterSamples({ numExecutors: 3, requestedExecutors: 6 }) }));
    expect(r!.data).toMatchObject({ cluster: 'updates' });
    expect(r!.strength).toBe(1);
    expect(r!.evidence[1]).toMatchObject({ metric: 'samples waiting for requested executors', value: 100 });
  });
});
