import { describe, expect, it } from 'vitest';
import { rule } from '../../../src/diagnosis/rules/autoscale-ceiling.js';
import { fakeCluster, fakeClusterSamples, fakeEvidence, fakeNodeSamples } from '../../support/fake-evidence.js';
import { noisy } from './helpers.js';

// max_workers is 8 in the default fake cluster
const pinned = (o: Parameters<typeof fakeClusterSamples>[0] = {}) =>
  fakeClusterSamples({ numExecutors: 8, numTaskSlots: 64, slotUtilization: 0.97, queuedTasks: 120, optimalExecutors: 8, requestedExecutors: 8, ...o });

describe('autoscale-ceiling', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  const valid = [
    { name: 'healthy update (4 of 8 executors)', evidence: fakeEvidence() },
    { name: 'no cluster_resources', evidence: fakeEvidence({ clusterResources: pinned().map((s) => ({ ...s, numExecutors: null })) }) },
    { name: 'empty cluster_resources', evidence: fakeEvidence({ clusterResources: [] }) },
    { name: 'serverless', evidence: fakeEvidence({ clusterResources: pinned({ optimalExecutors: 30 }), spec: { serverless: true, clusters: [] } }) },
    { name: 'fixed-size cluster', evidence: fakeEvidence({ clusterResources: pinned(), spec: { clusters: [fakeCluster({ numWorkers: 8, autoscale: null })] } }) },
    { name: 'at max but nothing queued', evidence: fakeEvidence({ clusterResources: pinned({ queuedTasks: 0 }) }) },
    { name: 'at max, queued, but slots not busy', evidence: fakeEvidence({ clusterResources: pinned({ slotUtilization: 0.6 }) }) },
    {
      name: 'pinned for under half of the samples',
      evidence: fakeEvidence({ clusterResources: [...pinned({ minutes: 6 }), ...fakeClusterSamples({ minutes: 7, start: Date.parse('2026-11-20T06:08:00Z') })] }),
    },
    // busy slots on idle CPUs (GC, I/O, a skewed task, the driver): more workers would idle too
    { name: 'pinned with tasks queued but workers at 35% CPU', evidence: fakeEvidence({ clusterResources: pinned(), nodeMetrics: fakeNodeSamples({ workers: 8, cpu: 35 }) }) },
    { name: 'pinned, workers fluctuating 35–55% (median 45%)', evidence: fakeEvidence({ clusterResources: pinned(), nodeMetrics: fakeNodeSamples({ workers: 8, cpu: noisy(45, 10, 51) }) }) },
    { name: 'optimal above max but workers idle (30% CPU)', evidence: fakeEvidence({ clusterResources: fakeClusterSamples({ optimalExecutors: 14 }), nodeMetrics: fakeNodeSamples({ cpu: 30 }) }) },
  ];
  it.each(valid)('$name: no finding', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it('warns when executors sit at max_workers with queued tasks; the fix sizes from guide 3.2', () => {
    const [r, ...rest] = rule.run(fakeEvidence({ clusterResources: pinned() }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('pinned');
    expect(r!.severity).toBe('warning');
    expect(r!.data).toEqual({ maxWorkers: 8, percent: 100, optimal: 8 });
    expect(r!.evidence).toContainEqual({ metric: 'samples pinned at max with queued tasks', value: 100, unit: '%', threshold: 50, source: 'event_log:cluster_resources' });
    expect(r!.evidence).toContainEqual({ metric: 'queued tasks while pinned (mean)', value: 120, unit: 'tasks', threshold: 0, source: 'event_log:cluster_resources' });
    expect(r!.strength).toBe(1);
    expect(r!.fixes).toEqual([{ id: 'raise-max-workers', params: {} }]);
  });

  it('still fires without node metrics (nothing shows the CPUs idle), and with workers busy at 60% ± 15', () => {
    expect(rule.run(fakeEvidence({ clusterResources: pinned(), nodeMetrics: null }))[0]!.messageId).toBe('pinned');
    expect(rule.run(fakeEvidence({ clusterResources: pinned(), nodeMetrics: fakeNodeSamples({ workers: 8, cpu: noisy(60, 15, 52) }) }))[0]!.messageId).toBe('pinned');
  });

  it('honours option overrides', () => {
    expect(rule.run(fakeEvidence({ clusterResources: pinned(), nodeMetrics: fakeNodeSamples({ workers: 8, cpu: 35 }) }), { minWorkerCpu: 30 })).toHaveLength(1);
  });

  it('warns when optimal_num_executors exceeds max_workers by less than 1.5×', () => {
    const [r] = rule.run(fakeEvidence({ clusterResources: fakeClusterSamples({ optimalExecutors: 10 }) }));
    expect(r!.messageId).toBe('optimalAboveMax');
    expect(r!.severity).toBe('warning');
    expect(r!.data).toEqual({ maxWorkers: 8, percent: 0, optimal: 10 });
    expect(r!.fixes).toEqual([{ id: 'raise-max-workers', params: { optimal: 10 } }]);
  });

  it('is critical when optimal_num_executors > 1.5 × max_workers (autoscale events count too)', () => {
    // cluster_resources without an estimate (older payloads): the autoscale event's counts
    const evidence = fakeEvidence({
      clusterResources: pinned({ optimalExecutors: null }),
      autoscale: [{ t: Date.parse('2026-11-20T06:05:00Z'), status: 'SUCCEEDED', optimalExecutors: 14, requestedExecutors: 8 }],
    });
    const [r] = rule.run(evidence);
    expect(r!.messageId).toBe('optimalAboveMax');
    expect(r!.severity).toBe('critical');
    expect(r!.evidence).toContainEqual({ metric: 'optimal_num_executors (peak)', value: 14, unit: 'executors', threshold: 8, source: 'event_log:cluster_resources' });
    expect(r!.fixes[0]!.params).toEqual({ optimal: 14 });
  });

  it('a brief estimate above max_workers (2 of 13 samples) does not count; 4 of 13 does', () => {
    const brief = fakeClusterSamples().map((s, i) => (i === 5 || i === 6 ? { ...s, optimalExecutors: 14 } : s));
    expect(rule.run(fakeEvidence({ clusterResources: brief }))).toEqual([]);
    const held = fakeClusterSamples().map((s, i) => (i >= 5 && i < 9 ? { ...s, optimalExecutors: 11 } : s));
    const [r] = rule.run(fakeEvidence({ clusterResources: held }));
    expect(r!.messageId).toBe('optimalAboveMax');
    expect(r!.data).toMatchObject({ optimal: 11 });
  });

  it('exactly 1.5× is still a warning', () => {
    const [r] = rule.run(fakeEvidence({ clusterResources: fakeClusterSamples({ optimalExecutors: 12 }) }));
    expect(r!.severity).toBe('warning');
  });
});
