import { describe, expect, it } from 'vitest';
import { opportunitiesFor, slaTier, SPOT_SAVINGS, TRIGGERED_SAVINGS } from '../../src/digest/compute.js';
import type { PipelineCost } from '../../src/digest/types.js';
import type { PipelineInfo, PipelineSpec } from '../../src/diagnosis/evidence.js';
import { rightSizingSavingsPercent } from '../../src/diagnosis/sizing.js';
import { fakeCluster, fakeSpec } from '../support/fake-evidence.js';

function info(spec: Partial<PipelineSpec> = {}, state = 'IDLE'): PipelineInfo {
  return { id: 'p1', name: 'orders_silver', state, health: null, creatorUserName: null, lastModified: null, spec: fakeSpec({ photon: false, ...spec }) };
}
function cost(o: Partial<PipelineCost> = {}, p: PipelineInfo = info()): PipelineCost {
  return {
    id: 'p1', name: 'orders_silver', dbus: 220, dollars: 110, updateDbus: 200, updateDollars: 100, maintenanceDbus: 20, maintenanceDollars: 10,
    previousDbus: 200, previousDollars: 100, changePercent: 10, serverless: false, photon: p.spec.photon, photonDollars: p.spec.photon ? 100 : 0, continuous: p.spec.continuous,
    development: p.spec.development, sla: slaTier(p), outputRows: 50_000_000, dbuPerMillionRows: 4, cpuAvg: 72, slotUtilization: 0.8, unpricedRows: 0,
    ...o,
  };
}
const kinds = (p: PipelineInfo, c: PipelineCost = cost({}, p), py?: { flows: number; udfFlows: number }) => opportunitiesFor(c, p, py).map((o) => o.kind).sort();

describe('savings opportunities (guide §12.2, §12.3)', () => {
  it('a healthy spot, triggered, well-used pipeline has none', () => {
    expect(kinds(info())).toEqual([]);
  });

  it('spot: on-demand workers → 50–70% of the workers’ share of the update spend', () => {
    const p = info({ clusters: [fakeCluster({ availability: 'ON_DEMAND', autoscale: null, numWorkers: 4 })] });
    const [o] = opportunitiesFor(cost({}, p), p, undefined);
    expect(o?.kind).toBe('spot');
    expect(o?.savingsUsd).toEqual({ low: 100 * SPOT_SAVINGS.low * 0.8, high: 100 * SPOT_SAVINGS.high * 0.8 });
    expect(o?.risk).toMatch(/interruption/);
    // a missing availability counts as on-demand too; SPOT_AZURE and SPOT are spot
    expect(kinds(info({ clusters: [fakeCluster({ availability: null })] }))).toEqual(['spot']);
    expect(kinds(info({ clusters: [fakeCluster({ availability: 'SPOT_AZURE' })] }))).toEqual([]);
    // the maintenance cluster on demand is not the update cluster
    expect(kinds(info({ clusters: [fakeCluster(), fakeCluster({ label: 'maintenance', availability: 'ON_DEMAND' })] }))).toEqual([]);
  });

  it('right-size only below 50% CPU, with rightSizingSavingsPercent', () => {
    const p = info();
    expect(kinds(p, cost({ cpuAvg: 50 }, p))).toEqual([]);
    const [o] = opportunitiesFor(cost({ cpuAvg: 35 }, p), p, undefined);
    expect(o?.kind).toBe('right-size');
    expect(o?.savingsPercent.high).toBe(rightSizingSavingsPercent(35));
    expect(o?.savingsUsd.high).toBeCloseTo(rightSizingSavingsPercent(35), 5); // of $100
  });

  it('continuous → triggered only where the SLA tier allows it (tag sla or dlt_doctor.sla)', () => {
    expect(kinds(info({ continuous: true }))).toEqual([]); // no tier: never suggested
    expect(kinds(info({ continuous: true, tags: { sla: 'real-time' } }))).toEqual([]);
    for (const tier of ['near-real-time', 'standard', 'batch']) {
      const p = info({ continuous: true, tags: { sla: tier } });
      const [o] = opportunitiesFor(cost({}, p), p, undefined);
      expect(o?.kind).toBe('triggered');
      expect(o?.savingsUsd).toEqual({ low: 100 * TRIGGERED_SAVINGS.low, high: 100 * TRIGGERED_SAVINGS.high });
      expect(o?.guideSection).toBe('12.3');
    }
    expect(kinds(info({ continuous: true, configuration: { 'dlt_doctor.sla': 'Batch' } }))).toEqual(['triggered']);
    expect(kinds(info({ continuous: true, tags: { sla: 'whenever' } }))).toEqual([]);
  });

  it('a continuous pipeline that processed nothing: its whole update spend', () => {
    const p = info({ continuous: true, tags: { sla: 'batch' } });
    const ops = opportunitiesFor(cost({ outputRows: 0 }, p), p, undefined);
    expect(ops.map((o) => o.kind)).toEqual(['idle-continuous']);
    expect(ops[0]?.savingsUsd).toEqual({ low: 100, high: 100 });
  });

  it('development mode left running', () => {
    expect(kinds(info({ development: true }, 'RUNNING'))).toEqual(['development-mode']);
    expect(kinds(info({ development: true }, 'IDLE'))).toEqual([]);
  });

  it('Photon: its ×2 DBU rate against flows whose plans run Python UDFs (no Photon for those)', () => {
    const p = info({ photon: true });
    expect(kinds(p, cost({}, p), { flows: 4, udfFlows: 1 })).toEqual([]);
    const [o] = opportunitiesFor(cost({}, p), p, { flows: 4, udfFlows: 3 });
    expect(o?.kind).toBe('photon');
    expect(o?.savingsUsd).toEqual({ low: 37.5, high: 50 });
    expect(o?.why).toMatch(/BatchEvalPython/);
  });

  it('Photon savings rest on what was billed with Photon, never on the current setting alone', () => {
    // just turned on (e.g. by Apply): nothing billed with Photon yet, so no advice to undo it
    const p = info({ photon: true });
    expect(kinds(p, cost({ photonDollars: 0 }, p), { flows: 4, udfFlows: 4 })).toEqual([]);
    // on for part of the period: the savings are a share of the Photon-billed dollars only
    const [o] = opportunitiesFor(cost({ photonDollars: 20 }, p), p, { flows: 4, udfFlows: 4 });
    expect(o?.savingsUsd).toEqual({ low: 10, high: 10 });
  });

  it('right-size: not when the idle CPUs wait on storage or the network (I/O- or shuffle-bound)', () => {
    const p = info();
    expect(kinds(p, cost({ cpuAvg: 30 }, p))).toEqual(['right-size']);
    expect(kinds(p, cost({ cpuAvg: 30, cpuWaitAvg: 28 }, p))).toEqual([]);
    expect(kinds(p, cost({ cpuAvg: 30, netBytesPerWorkerMinute: 2.5 * 1024 ** 3 }, p))).toEqual([]);
    expect(kinds(p, cost({ cpuAvg: 25, memAvg: 96 }, p))).toEqual([]);
  });

  it('serverless: billing only, no cluster strategies', () => {
    const p = info({ serverless: true, clusters: [] });
    expect(kinds(p, cost({ serverless: true, cpuAvg: null }, p))).toEqual([]);
  });
});
