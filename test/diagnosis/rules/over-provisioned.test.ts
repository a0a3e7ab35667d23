import { describe, expect, it } from 'vitest';
import { rule } from '../../../src/diagnosis/rules/over-provisioned.js';
import { fakeClusterSamples, fakeEvidence, fakeNodeSamples, fakeUpdate } from '../../support/fake-evidence.js';

const idle = (cpu: number, o: Parameters<typeof fakeNodeSamples>[0] = {}) => fakeNodeSamples({ cpu, ...o });
const lowSlots = fakeClusterSamples({ slotUtilization: 0.3, numExecutors: 6 });

describe('over-provisioned', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  const valid = [
    { name: 'healthy update (72% CPU, 0.75 slots)', evidence: fakeEvidence() },
    { name: 'no node metrics', evidence: fakeEvidence({ nodeMetrics: null, clusterResources: lowSlots }) },
    { name: 'no cluster_resources', evidence: fakeEvidence({ nodeMetrics: idle(30), clusterResources: [] }) },
    { name: 'serverless', evidence: fakeEvidence({ nodeMetrics: idle(30), clusterResources: lowSlots, spec: { serverless: true, clusters: [] } }) },
    { name: 'low CPU but busy task slots', evidence: fakeEvidence({ nodeMetrics: idle(30), clusterResources: fakeClusterSamples({ slotUtilization: 0.8 }) }) },
    { name: 'low slots but CPU at 50%', evidence: fakeEvidence({ nodeMetrics: idle(50), clusterResources: lowSlots }) },
    {
      name: 'running phase under 10 minutes',
      evidence: fakeEvidence({ nodeMetrics: idle(30), clusterResources: lowSlots, update: fakeUpdate({ durationS: 600, phasesS: { waiting_for_resources: 60, initializing: 30, running: 510 } }) }),
    },
    { name: 'idle CPUs waiting on I/O (an io problem)', evidence: fakeEvidence({ nodeMetrics: idle(30, { wait: 20 }), clusterResources: lowSlots }) },
    { name: 'idle CPUs shuffling (a network problem)', evidence: fakeEvidence({ nodeMetrics: idle(30, { netBytesPerMin: 2 * 1024 ** 3 }), clusterResources: lowSlots }) },
  ];
  it.each(valid)('$name: no finding', ({ evidence }) => {
    expect(rule.run(evidence)).toEqual([]);
  });

  it('is info with CPU between 25% and 50%, and passes utilization to reduce-max-workers', () => {
    const [r, ...rest] = rule.run(fakeEvidence({ nodeMetrics: idle(35), clusterResources: lowSlots }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('underused');
    expect(r!.severity).toBe('info');
    expect(r!.data).toEqual({ cpu: 35, slots: 30, minutes: 13 });
    expect(r!.evidence[0]).toEqual({ metric: 'workers mean CPU', value: 35, unit: '%', threshold: 50, source: 'system.compute.node_timeline' });
    expect(r!.evidence[1]).toEqual({ metric: 'task slot utilization (mean)', value: 0.3, unit: 'ratio', threshold: 0.5, source: 'event_log:cluster_resources' });
    expect(r!.fixes).toEqual([{ id: 'reduce-max-workers', params: { cpuAvg: 35, slotUtilization: 0.3, peakExecutors: 6 } }]);
    expect(r!.strength).toBeCloseTo(0.65, 2);
    // an idle cluster: more workers cannot be the fix whatever else is found
    expect(r!.rulesOut).toEqual(['more-workers']);
  });

  it('is a warning below 25% CPU, and stronger', () => {
    const [r] = rule.run(fakeEvidence({ nodeMetrics: idle(12), clusterResources: lowSlots }));
    expect(r!.severity).toBe('warning');
    expect(r!.strength).toBeGreaterThan(0.8);
  });

  it('reads only the update cluster and its running window', () => {
    // a busy other cluster and rows after the update must not hide an idle update cluster
    const other = fakeNodeSamples({ cpu: 95, clusterId: 'cluster-2' });
    const later = fakeNodeSamples({ cpu: 95, start: Date.parse('2026-11-20T07:00:00Z') });
    const [r] = rule.run(fakeEvidence({ nodeMetrics: [...idle(20), ...other, ...later], clusterResources: lowSlots }));
    expect(r!.data).toMatchObject({ cpu: 20 });
  });
});
