/** A small hand-built cost digest for card and proactive tests. */
import type { Digest } from '../../../src/digest/types.js';

export function fakeDigest(): Digest {
  const cost = (id: string, name: string, dollars: number) => ({
    id, name, dbus: dollars / 0.4, dollars, updateDbus: dollars / 0.5, updateDollars: dollars * 0.8, maintenanceDbus: 2, maintenanceDollars: 1,
    previousDbus: dollars / 0.5, previousDollars: dollars * 0.9, changePercent: 11.1, serverless: false, photon: false, photonDollars: 0, continuous: false,
    development: false, sla: null, outputRows: 9_200_000, dbuPerMillionRows: 3.2, cpuAvg: 91, slotUtilization: 0.8, unpricedRows: 0,
  });
  const top = [cost('pl-orders-silver', 'orders_silver', 412.5), cost('pl-clicks', 'clickstream_bronze', 180)];
  return {
    schema: 'dlt-doctor/digest@1',
    period: { start: '2026-11-20T00:00:00.000Z', end: '2026-11-27T00:00:00.000Z', previousStart: '2026-11-13T00:00:00.000Z' },
    filter: null,
    totals: { pipelines: 2, serverlessPipelines: 0, dbus: 1480, dollars: 592.5, updateDbus: 1400, maintenanceDbus: 80, maintenanceDollars: 32, previousDbus: 1300, previousDollars: 530, changePercent: 11.8, outputRows: 12_000_000, dbuPerMillionRows: 3.1, cpuAvg: 77, slotUtilization: 0.7 },
    top,
    pipelines: top,
    daily: [{ day: '2026-11-26', dbus: 200, dollars: 80 }],
    opportunities: [{ kind: 'spot', pipeline: { id: 'pl-orders-silver', name: 'orders_silver' }, change: 'Use spot workers with on-demand fallback', why: 'Batch pipeline on on-demand workers', savingsUsd: { low: 120, high: 240 }, savingsPercent: { low: 30, high: 60 }, risk: 'preemptions lengthen some updates', guideSection: '10.2' }],
    savingsUsd: { low: 120, high: 240 },
    notes: ['List prices, not your discounts.'],
    statements: 4,
  };
}
