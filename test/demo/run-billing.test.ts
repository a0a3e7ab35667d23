/**
 * A demo update started over REST is billed as it ran (src/demo/run-billing.ts): the SKU and
 * product_features.is_photon of the settings in effect at its start, DBUs for the node count it
 * ran with, one row per hour it overlaps — not the replayed history's billing.
 */
import { describe, expect, it } from 'vitest';
import { NODE_TYPES, PHOTON_DBU_MULTIPLIER, SERVERLESS_SKU } from '../../src/demo/generate/billing.js';
import { billRun, type RunBillingInput } from '../../src/demo/run-billing.js';

const HOUR = 3_600_000;
const T = Date.parse('2026-11-23T10:00:00Z');
const node = 'i3.2xlarge';
const perNodeHour = NODE_TYPES[node]!.dbuPerHour;
const spec = (o: Record<string, unknown> = {}, workers = 4) => ({ edition: 'ADVANCED', photon: false, clusters: [{ label: 'default', node_type_id: node, num_workers: workers }], ...o });

/** the replayed update: 4 workers + driver for one hour, without Photon */
function input(newSpec: Record<string, unknown>, o: Partial<RunBillingInput> = {}): RunBillingInput {
  return {
    pipelineId: 'p1',
    updateId: 'u-new',
    clusterId: 'c-1',
    startMs: T + 30 * 60_000,
    endMs: T + 75 * 60_000,
    oldSpec: spec(),
    newSpec,
    workerRatio: 1,
    templateUsage: [{ usage_quantity: 5 * perNodeHour, usage_metadata: { dlt_update_id: 'u-old' } }],
    templateSpanMs: HOUR,
    sample: { account_id: 'acct', workspace_id: 'ws', cloud: 'AWS', custom_tags: { team: 'sales' } },
    ...o,
  };
}
const dbus = (rows: Record<string, unknown>[]) => rows.map((r) => r.usage_quantity);

describe('billRun', () => {
  it('after Photon was turned on: the Photon SKU, is_photon, Photon DBUs per node-hour, one row per hour overlapped', () => {
    const rows = billRun(input(spec({ photon: true })));
    expect(rows.map((r) => r.usage_start_time)).toEqual([new Date(T).toISOString(), new Date(T + HOUR).toISOString()]);
    expect(rows.every((r) => r.sku_name === 'PREMIUM_DLT_ADVANCED_COMPUTE_(PHOTON)')).toBe(true);
    expect(rows.map((r) => (r.product_features as Record<string, unknown>).is_photon)).toEqual([true, true]);
    // 5 nodes × (30 min, 15 min) × DBUs per node-hour × Photon's multiplier
    expect(dbus(rows)).toEqual([5 * 0.5 * perNodeHour * PHOTON_DBU_MULTIPLIER, 5 * 0.25 * perNodeHour * PHOTON_DBU_MULTIPLIER]);
    expect(rows.map((r) => (r.usage_metadata as Record<string, unknown>).dlt_update_id)).toEqual(['u-new', 'u-new']);
    expect(rows[0]).toMatchObject({ billing_origin_product: 'DLT', usage_unit: 'DBU', account_id: 'acct', workspace_id: 'ws', custom_tags: { team: 'sales' } });
    expect(new Set(rows.map((r) => r.record_id)).size).toBe(2);
  });

  it('near-miss: the same run with Photon still off bills the plain SKU, is_photon false, half the DBUs', () => {
    const rows = billRun(input(spec()));
    expect(rows.every((r) => r.sku_name === 'PREMIUM_DLT_ADVANCED_COMPUTE')).toBe(true);
    expect(rows.map((r) => (r.product_features as Record<string, unknown>).is_photon)).toEqual([false, false]);
    expect(dbus(rows)).toEqual([5 * 0.5 * perNodeHour, 5 * 0.25 * perNodeHour]);
  });

  it('twice the workers bill twice the workers (the driver stays one); serverless bills its SKU without Photon or cluster', () => {
    expect(dbus(billRun(input(spec({}, 8), { workerRatio: 2 })))).toEqual([9 * 0.5 * perNodeHour, 9 * 0.25 * perNodeHour]);
    const sl = billRun(input({ serverless: true, photon: true, clusters: [] }));
    expect(sl.every((r) => r.sku_name === SERVERLESS_SKU)).toBe(true);
    expect(sl.map((r) => [(r.product_features as Record<string, unknown>).is_photon, (r.usage_metadata as Record<string, unknown>).cluster_id])).toEqual([
      [false, null],
      [false, null],
    ]);
  });

  it('a run of no length bills nothing', () => {
    expect(billRun(input(spec({ photon: true }), { endMs: T + 30 * 60_000 }))).toEqual([]);
  });
});
