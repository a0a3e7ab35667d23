import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoWorkspace, type DemoWorkspaceData } from '../../src/demo/generate.js';
import { createDuckDbWarehouse, type DuckDbWarehouse, type WarehouseData } from '../../src/demo/warehouse.js';
import { costBackendFromRaw } from '../../src/digest/backend.js';
import { computeDigest, DIGEST_QUERIES, periodOfDays } from '../../src/digest/compute.js';
import { parseFilter } from '../../src/digest/filter.js';
import type { PipelineInfo } from '../../src/diagnosis/evidence.js';

const DAY = 86_400_000;
let data: DemoWorkspaceData;
let wh: DuckDbWarehouse;
let specs: PipelineInfo[];

beforeAll(async () => {
  data = generateDemoWorkspace({ seed: 7 });
  wh = await createDuckDbWarehouse(data);
  specs = await costBackendFromRaw(wh, data.pipelines.map((p) => p.pipeline)).listPipelines();
}, 60_000);
afterAll(async () => {
  await wh.close();
});

type Row = Record<string, unknown>;
const meta = (r: Row) => r.usage_metadata as { dlt_pipeline_id: string; dlt_maintenance_id: string | null; cluster_id: string | null };
const inWindow = (iso: unknown, from: number, to: number) => {
  const t = Date.parse(String(iso));
  return t >= from && t < to;
};

/** The same numbers, recomputed in plain JS over the generated rows (usage × list price). */
function expected(from: number, to: number) {
  const price = new Map(data.listPrices.map((p) => [String(p.sku_name), (p.pricing as { effective_list: { default: number } }).effective_list.default]));
  const out = new Map<string, { dbus: number; dollars: number; maintenanceDbus: number; rows: number; cpu: number[] }>();
  for (const p of data.pipelines) {
    const id = String(p.pipeline.pipeline_id);
    const acc = { dbus: 0, dollars: 0, maintenanceDbus: 0, rows: 0, cpu: [] as number[] };
    const clusters = new Set<string>();
    for (const u of p.usage) {
      if (!inWindow(u.usage_start_time, from, to)) continue;
      const q = Number(u.usage_quantity);
      acc.dbus += q;
      acc.dollars += q * price.get(String(u.sku_name))!;
      if (meta(u).dlt_maintenance_id) acc.maintenanceDbus += q;
      else if (meta(u).cluster_id) clusters.add(meta(u).cluster_id!);
    }
    for (const e of p.events) {
      if (e.event_type !== 'flow_progress' || !inWindow(e.timestamp, from, to)) continue;
      const details = (typeof e.details === 'string' ? JSON.parse(e.details) : e.details) as { flow_progress?: { metrics?: { num_output_rows?: number; num_upserted_rows?: number } } };
      acc.rows += (details.flow_progress?.metrics?.num_output_rows ?? 0) + (details.flow_progress?.metrics?.num_upserted_rows ?? 0);
    }
    for (const n of p.nodeTimeline) {
      if (n.driver || !clusters.has(String(n.cluster_id)) || !inWindow(n.start_time, from, to)) continue;
      acc.cpu.push(Number(n.cpu_user_percent) + Number(n.cpu_system_percent));
    }
    if (acc.dbus > 0) out.set(id, acc);
  }
  return out;
}

describe('computeDigest over the demo workspace (DuckDB)', () => {
  it('shows the totals, per-pipeline spend, maintenance, rows and CPU that the billing rows give', async () => {
    const period = periodOfDays(new Date(data.now), 7);
    const digest = await computeDigest(wh, specs, { ...period, filter: null });
    const cur = expected(period.periodStart.getTime(), period.periodEnd.getTime());
    const prev = expected(period.previousStart.getTime(), period.periodStart.getTime());
    const sum = (m: typeof cur, f: (v: { dbus: number; dollars: number; maintenanceDbus: number }) => number) => [...m.values()].reduce((s, v) => s + f(v), 0);

    expect(digest.totals.pipelines).toBe(cur.size);
    expect(digest.totals.dbus).toBeCloseTo(sum(cur, (v) => v.dbus), 1);
    expect(digest.totals.dollars).toBeCloseTo(sum(cur, (v) => v.dollars), 1);
    expect(digest.totals.maintenanceDbus).toBeCloseTo(sum(cur, (v) => v.maintenanceDbus), 1);
    expect(digest.totals.previousDollars).toBeCloseTo(sum(prev, (v) => v.dollars), 1);
    const change = ((sum(cur, (v) => v.dollars) - sum(prev, (v) => v.dollars)) / sum(prev, (v) => v.dollars)) * 100;
    expect(digest.totals.changePercent!).toBeCloseTo(change, 0);

    for (const p of digest.pipelines) {
      const e = cur.get(p.id)!;
      expect(p.dbus, p.name).toBeCloseTo(e.dbus, 2);
      expect(p.dollars, p.name).toBeCloseTo(e.dollars, 1);
      expect(p.maintenanceDbus, p.name).toBeCloseTo(e.maintenanceDbus, 2);
      if (e.rows > 0) {
        expect(p.outputRows, p.name).toBe(e.rows);
        expect(p.dbuPerMillionRows!, p.name).toBeCloseTo(((e.dbus - e.maintenanceDbus) / e.rows) * 1e6, 2);
      }
      if (p.serverless) {
        expect(p.cpuAvg, p.name).toBeNull();
      } else if (e.cpu.length) {
        expect(p.cpuAvg!, p.name).toBeCloseTo(e.cpu.reduce((s, v) => s + v, 0) / e.cpu.length, 0);
      }
    }
    // ranking: the top pipeline spends the most
    const maxDollars = Math.max(...[...cur.values()].map((v) => v.dollars));
    expect(digest.top[0]!.dollars).toBeCloseTo(maxDollars, 1);
    // daily chart adds up to the period's spend
    expect(digest.daily.reduce((s, d) => s + d.dollars, 0)).toBeCloseTo(digest.totals.dollars, 0);
    // per-pipeline series of the top pipelines: one value per day, adding up to each one's spend
    expect(digest.topDaily!.map((t) => t.id)).toEqual(digest.top.map((p) => p.id));
    for (const [i, t] of digest.topDaily!.entries()) {
      expect(t.dollars).toHaveLength(digest.daily.length);
      expect(t.dollars.reduce((s, v) => s + v, 0), t.name).toBeCloseTo(digest.top[i]!.dollars, 0);
    }
    digest.daily.forEach((d, i) => expect(digest.topDaily!.reduce((s, t) => s + t.dollars[i]!, 0)).toBeLessThanOrEqual(d.dollars + 0.05));
  });

  it('costs the serverless pipeline from billing alone and says so', async () => {
    const digest = await computeDigest(wh, specs, { ...periodOfDays(new Date(data.now), 7), filter: null });
    const serverless = digest.pipelines.filter((p) => p.serverless);
    expect(serverless.length).toBeGreaterThan(0);
    for (const p of serverless) {
      expect(p.dollars).toBeGreaterThan(0);
      expect(p.cpuAvg).toBeNull();
      expect(digest.opportunities.filter((o) => o.pipeline.id === p.id && (o.kind === 'spot' || o.kind === 'right-size'))).toEqual([]);
    }
    expect(digest.notes.join(' ')).toMatch(/serverless pipelines?: costed from billing alone/);
  });

  it('suggests right-sizing exactly where mean CPU < 50%, with 1 − cpu/70 of the update spend', async () => {
    const digest = await computeDigest(wh, specs, { ...periodOfDays(new Date(data.now), 7), filter: null });
    // idle CPUs explained by I/O wait, shuffle traffic, full memory, one skewed worker or a busy driver are not spare capacity
    const explained = (p: (typeof digest.pipelines)[number]) =>
      (p.cpuWaitAvg ?? 0) >= 15 || (p.netBytesPerWorkerMinute ?? 0) >= 1024 ** 3 || (p.memAvg ?? 0) >= 88 || (p.skewShare ?? 0) >= 0.3 || (p.driverCpuAvg ?? 0) >= 80 || (p.driverMemAvg ?? 0) >= 88;
    const low = digest.pipelines.filter((p) => p.cpuAvg !== null && p.cpuAvg < 50 && !explained(p));
    expect(digest.pipelines.some((p) => p.cpuAvg !== null && p.cpuAvg < 50 && explained(p))).toBe(true);
    expect(low.length).toBeGreaterThan(0);
    const rs = digest.opportunities.filter((o) => o.kind === 'right-size');
    expect(rs.map((o) => o.pipeline.id).sort()).toEqual(low.map((p) => p.id).sort());
    for (const o of rs) {
      const p = digest.pipelines.find((x) => x.id === o.pipeline.id)!;
      expect(o.savingsUsd.high).toBeCloseTo((p.updateDollars * Math.trunc((1 - p.cpuAvg! / 70) * 100)) / 100, 1);
    }
    // the skewed and the driver-bound demo pipelines idle their workers too, but fewer workers would not help
    for (const scenario of ['skew', 'driver-oom']) {
      const id = String(data.pipelines.find((x) => x.scenario === scenario)!.pipeline.pipeline_id);
      const p = digest.pipelines.find((x) => x.id === id)!;
      expect(p.cpuAvg, scenario).toBeLessThan(50);
      expect(rs.map((o) => o.pipeline.id), scenario).not.toContain(id);
    }
    expect(digest.pipelines.find((x) => x.id === String(data.pipelines.find((y) => y.scenario === 'skew')!.pipeline.pipeline_id))!.skewShare).toBeGreaterThanOrEqual(0.3);
    // the demo runs every worker on spot: no spot opportunity
    expect(digest.opportunities.filter((o) => o.kind === 'spot')).toEqual([]);
  });

  it('a filter narrows the scope in SQL (the scoped totals equal the sum over matching pipelines)', async () => {
    const filter = parseFilter('orders_*');
    if (!filter.ok) throw new Error(filter.message);
    const period = periodOfDays(new Date(data.now), 7);
    const digest = await computeDigest(wh, specs, { ...period, filter: filter.filter });
    const ids = specs.filter((s) => /^orders_/.test(s.name)).map((s) => s.id);
    expect(digest.pipelines.map((p) => p.id).sort()).toEqual(ids.sort());
    const cur = expected(period.periodStart.getTime(), period.periodEnd.getTime());
    expect(digest.totals.dollars).toBeCloseTo(ids.reduce((s, id) => s + (cur.get(id)?.dollars ?? 0), 0), 1);
    expect(digest.filter).toBe('orders_*');
  });

  it('runs no statement when the filter matches nothing', async () => {
    const f = parseFilter('tag:team=nobody');
    if (!f.ok) throw new Error(f.message);
    const before = wh.stats().statements;
    const digest = await computeDigest(wh, specs, { ...periodOfDays(new Date(data.now), 7), filter: f.filter });
    expect(wh.stats().statements).toBe(before);
    expect(digest.totals.pipelines).toBe(0);
    expect(digest.notes[0]).toMatch(/No pipeline matches/);
  });
});

/** A cheap synthetic workspace of n pipelines (billing, events, node metrics) for counting statements. */
function synthetic(n: number, now: number): { data: WarehouseData; specs: PipelineInfo[] } {
  const pipelines: WarehouseData['pipelines'][number][] = [];
  const infos: PipelineInfo[] = [];
  for (let i = 0; i < n; i++) {
    const id = `p-${String(i).padStart(4, '0')}`;
    const t = new Date(now - (1 + (i % 5)) * DAY).toISOString();
    const usage = (q: number, maintenance: boolean) => ({
      record_id: `${id}-${q}-${maintenance}`, account_id: 'a', workspace_id: 'w', sku_name: 'PREMIUM_DLT_ADVANCED_COMPUTE', cloud: 'AWS',
      usage_start_time: t, usage_end_time: new Date(Date.parse(t) + 3_600_000).toISOString(), usage_unit: 'DBU', usage_quantity: q,
      usage_metadata: { dlt_pipeline_id: id, dlt_update_id: maintenance ? null : `${id}-u`, dlt_maintenance_id: maintenance ? `${id}-m` : null, cluster_id: maintenance ? null : `${id}-c` },
      product_features: { is_serverless: false, is_photon: false }, billing_origin_product: 'DLT', record_type: 'ORIGINAL',
    });
    pipelines.push({
      pipeline: { pipeline_id: id },
      usage: [usage(10 + i, false), usage(1, true)],
      events: [{ id: `${id}-e`, origin: { pipeline_id: id, update_id: `${id}-u`, flow_name: 'f' }, timestamp: t, level: 'INFO', event_type: 'flow_progress', message: '', details: { flow_progress: { status: 'COMPLETED', metrics: { num_output_rows: 1_000_000 } } } }],
      nodeTimeline: [{ cluster_id: `${id}-c`, instance_id: 'i', driver: false, start_time: t, end_time: t, cpu_user_percent: 30, cpu_system_percent: 5 }],
    });
    infos.push({ id, name: `pipe_${i}`, state: 'IDLE', health: null, creatorUserName: null, lastModified: null, spec: { photon: false, serverless: false, continuous: false, development: false, channel: null, edition: null, catalog: null, schema: null, configuration: {}, clusters: [], tags: {}, eventLog: null, libraries: [], installedLibraries: [] } });
  }
  return { data: { pipelines, listPrices: [{ sku_name: 'PREMIUM_DLT_ADVANCED_COMPUTE', cloud: 'AWS', usage_unit: 'DBU', price_start_time: '2025-01-01T00:00:00Z', price_end_time: null, pricing: { default: 0.54, effective_list: { default: 0.54 } } }] }, specs: infos };
}

describe('statements per digest', () => {
  it('are the same for 12 and for 500 pipelines: one per section', async () => {
    const now = Date.parse('2026-11-23T08:00:00Z');
    const counts: number[] = [];
    for (const n of [12, 500]) {
      const s = synthetic(n, now);
      const w = await createDuckDbWarehouse(s.data);
      try {
        const before = w.stats().statements;
        const d = await computeDigest(w, s.specs, { ...periodOfDays(new Date(now), 7), filter: null });
        counts.push(w.stats().statements - before);
        expect(d.totals.pipelines).toBe(n);
        expect(d.statements).toBe(DIGEST_QUERIES.length);
        expect(d.totals.dbuPerMillionRows).toBeCloseTo(d.totals.updateDbus / n, 3);
        // with a filter that keeps every pipeline, the ids travel as one parameter: still one statement each
        const f = parseFilter('pipe_*');
        if (!f.ok) throw new Error(f.message);
        const before2 = w.stats().statements;
        const scoped = await computeDigest(w, s.specs, { ...periodOfDays(new Date(now), 7), filter: f.filter });
        expect(w.stats().statements - before2).toBe(DIGEST_QUERIES.length);
        expect(scoped.totals.dollars).toBeCloseTo(d.totals.dollars, 2);
      } finally {
        await w.close();
      }
    }
    expect(counts).toEqual([DIGEST_QUERIES.length, DIGEST_QUERIES.length]);
  }, 60_000);
});
