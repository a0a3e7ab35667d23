import { describe, expect, it } from 'vitest';
import type { ClusterResourceSample } from '../../../src/diagnosis/evidence.js';
import { rule } from '../../../src/diagnosis/rules/legacy-autoscaling.js';
import { fakeCluster, fakeClusterSamples, fakeEvidence } from '../../support/fake-evidence.js';
import { MIN, RUN_START, jitter, runOf } from './helpers.js';

const legacy = (maxWorkers = 8, label = 'default') => fakeCluster({ label, autoscale: { minWorkers: 2, maxWorkers, mode: 'LEGACY' } });

/**
 * cluster_resources as LEGACY reports it (no autoscale_info: no optimal or requested executors): one
 * sample a minute for `minutes`, executors growing linearly from `from` to `to` over `rampMin`
 * minutes, then flat; slots 8 per executor.
 */
function ramp(o: { from: number; to: number; rampMin: number; minutes?: number; util?: number; queued?: number }): ClusterResourceSample[] {
  const minutes = o.minutes ?? 40;
  return Array.from({ length: minutes }, (_, m) => {
    const executors = m >= o.rampMin ? o.to : Math.floor(o.from + ((o.to - o.from) * m) / o.rampMin);
    const starving = executors < o.to;
    return {
      t: RUN_START + m * MIN,
      numExecutors: executors,
      numTaskSlots: executors * 8,
      avgTaskSlots: executors * 8,
      slotUtilization: starving ? Math.min(1, (o.util ?? 0.95) + 0.03 * jitter(m, 1)) : 0.8,
      queuedTasks: starving ? Math.round((o.queued ?? 300) * (1 + 0.2 * jitter(m, 2))) : 4,
      optimalExecutors: null,
      requestedExecutors: null,
      state: null,
    };
  });
}
const slowRamp = ramp({ from: 2, to: 12, rampMin: 25 });

describe('legacy-autoscaling', () => {
  it('accepts its own defaults', () => {
    expect(rule.meta.options.parse(rule.meta.defaults)).toEqual(rule.meta.defaults);
  });

  const valid = [
    { name: 'healthy update (ENHANCED)', evidence: fakeEvidence() },
    { name: 'ENHANCED with a slow ramp (not the legacy autoscaler’s fault)', evidence: fakeEvidence({ update: runOf(40), clusterResources: slowRamp, spec: { clusters: [fakeCluster({ autoscale: { minWorkers: 2, maxWorkers: 12, mode: 'ENHANCED' } })] } }) },
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

  it('LEGACY at a steady size is a setting to review (info legacyMode)', () => {
    const [r, ...rest] = rule.run(fakeEvidence({ spec: { clusters: [legacy()] } }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('legacyMode');
    expect(r!.severity ?? rule.meta.severity).toBe('info');
    expect(r!.data).toEqual({ cluster: 'default', minWorkers: 2, maxWorkers: 8 });
    expect(r!.evidence).toEqual([{ metric: 'default.autoscale.mode', value: 'LEGACY', unit: '', threshold: 'ENHANCED', source: 'pipeline.spec' }]);
    expect(r!.strength).toBe(0.5);
    expect(r!.fixes).toEqual([{ id: 'enhanced-autoscaling', params: { cluster: 'default' } }]);
  });

  it('ramp 2→12 executors over 25 min with ~300 queued tasks at 0.95 utilization, no optimal/autoscale fields: legacyRamp warning', () => {
    const [r, ...rest] = rule.run(fakeEvidence({ update: runOf(40), spec: { clusters: [legacy(12)] }, clusterResources: slowRamp, autoscale: [] }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('legacyRamp');
    expect(r!.severity).toBe('warning');
    expect(r!.data).toMatchObject({ mode: 'LEGACY autoscaling', from: 2, to: 12, minutes: 25, share: 63, maxWorkers: 12 });
    expect(r!.data!.queued).toBeGreaterThan(250);
    expect(r!.data!.queued).toBeLessThan(350);
    expect(r!.evidence[0]).toEqual({ metric: 'default.autoscale.mode', value: 'LEGACY', unit: '', threshold: 'ENHANCED', source: 'pipeline.spec' });
    expect(r!.evidence).toContainEqual(expect.objectContaining({ metric: 'samples starved below max_workers (slots busy, tasks queued)', value: 62.5, threshold: 30, source: 'event_log:cluster_resources' }));
    expect(r!.evidence).toContainEqual(expect.objectContaining({ metric: 'minutes to reach the peak executor count', value: 25, threshold: 10 }));
    expect(r!.strength).toBeGreaterThanOrEqual(0.5);
    expect(r!.strength).toBeLessThanOrEqual(1);
    expect(r!.fixes).toEqual([{ id: 'enhanced-autoscaling', params: { cluster: 'default' } }]);
  });

  it('autoscale.mode not set (no documented API default): info modeUnset at a steady size, legacyRamp when the ramp lagged', () => {
    const unset = (maxWorkers: number) => fakeCluster({ autoscale: { minWorkers: 2, maxWorkers, mode: 'UNSET' } });
    for (const evidence of [
      fakeEvidence({ spec: { clusters: [unset(8)] } }),
      fakeEvidence({ update: runOf(40), spec: { clusters: [unset(8)] }, clusterResources: ramp({ from: 2, to: 8, rampMin: 4 }) }),
    ]) {
      const [m, ...others] = rule.run(evidence);
      expect(others).toEqual([]);
      expect(m!.messageId).toBe('modeUnset');
      expect(m!.severity ?? rule.meta.severity).toBe('info');
      expect(m!.data).toEqual({ cluster: 'default', minWorkers: 2, maxWorkers: 8 });
      expect(m!.evidence).toEqual([{ metric: 'default.autoscale.mode', value: 'not set', unit: '', threshold: 'ENHANCED', source: 'pipeline.spec' }]);
      expect(m!.strength).toBeLessThan(0.5);
      expect(m!.fixes).toEqual([{ id: 'enhanced-autoscaling', params: { cluster: 'default' } }]);
    }
    const [r, ...rest] = rule.run(fakeEvidence({ update: runOf(40), spec: { clusters: [unset(12)] }, clusterResources: slowRamp }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('legacyRamp');
    expect(r!.severity).toBe('warning');
    expect(r!.data).toMatchObject({ mode: 'Autoscaling (mode not set, so possibly LEGACY)', from: 2, to: 12 });
    expect(r!.evidence[0]).toEqual({ metric: 'default.autoscale.mode', value: 'not set', unit: '', threshold: 'ENHANCED', source: 'pipeline.spec' });
    expect(r!.fixes).toEqual([{ id: 'enhanced-autoscaling', params: { cluster: 'default' } }]);
  });

  it('older flat payloads without utilization: queued tasks below max speak alone', () => {
    const flat = slowRamp.map((s) => ({ ...s, slotUtilization: null }));
    expect(rule.run(fakeEvidence({ update: runOf(40), spec: { clusters: [legacy(12)] }, clusterResources: flat }))[0]!.messageId).toBe('legacyRamp');
  });

  it('checks an "updates" cluster too', () => {
    const [r] = rule.run(fakeEvidence({ update: runOf(40), spec: { clusters: [legacy(12, 'updates')] }, clusterResources: slowRamp }));
    expect(r!.messageId).toBe('legacyRamp');
    expect(r!.fixes).toEqual([{ id: 'enhanced-autoscaling', params: { cluster: 'updates' } }]);
    const [m] = rule.run(fakeEvidence({ spec: { clusters: [legacy(8, 'updates')] } }));
    expect(m!.data).toMatchObject({ cluster: 'updates' });
  });

  it('a longer starved ramp is stronger', () => {
    const run = (samples: ClusterResourceSample[]) => rule.run(fakeEvidence({ update: runOf(40), spec: { clusters: [legacy(12)] }, clusterResources: samples }))[0]!.strength;
    expect(run(ramp({ from: 2, to: 12, rampMin: 36 }))).toBeGreaterThan(run(ramp({ from: 2, to: 12, rampMin: 14 })));
  });

  // near-misses: LEGACY, but nothing shows the autoscaler holding the update back → info
  const infoOnly = [
    { name: 'a fast ramp (2→12 in 4 min)', samples: ramp({ from: 2, to: 12, rampMin: 4 }) },
    { name: 'a slow ramp with slots mostly idle (0.5)', samples: ramp({ from: 2, to: 12, rampMin: 25, util: 0.5 }) },
    { name: 'a slow ramp with nothing queued', samples: ramp({ from: 2, to: 12, rampMin: 25, queued: 0 }) },
    { name: 'pinned at max_workers all along (autoscale-ceiling’s)', samples: fakeClusterSamples({ minutes: 40, numExecutors: 12, slotUtilization: 0.97, queuedTasks: 300, optimalExecutors: null, requestedExecutors: null }) },
    { name: 'fewer than 3 samples', samples: ramp({ from: 2, to: 12, rampMin: 25 }).slice(0, 2) },
    { name: 'shrinking, not growing', samples: ramp({ from: 12, to: 2, rampMin: 25 }) },
  ];
  it.each(infoOnly)('$name: info legacyMode only', ({ samples }) => {
    const [r, ...rest] = rule.run(fakeEvidence({ update: runOf(40), spec: { clusters: [legacy(12)] }, clusterResources: samples }));
    expect(rest).toEqual([]);
    expect(r!.messageId).toBe('legacyMode');
    expect(r!.severity ?? rule.meta.severity).toBe('info');
  });

  it('honours option overrides', () => {
    const [r] = rule.run(fakeEvidence({ update: runOf(40), spec: { clusters: [legacy(12)] }, clusterResources: ramp({ from: 2, to: 12, rampMin: 4 }) }), { minRampMinutes: 3, minStarvedShare: 0.05 });
    expect(r!.messageId).toBe('legacyRamp');
  });
});
