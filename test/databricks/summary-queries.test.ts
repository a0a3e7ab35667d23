/**
 * The update summary statements (issue 16 item 1) against the raw rows they summarise, on the demo
 * DuckDB warehouse: what they sum must equal what the raw event log holds, and their row counts
 * stay within the bounds their headers document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventRowSchema } from '../../src/databricks/schemas.js';
import { ClusterResourceRowSchema, FlowBucketRowSchema, FlowStatusRowSchema, OverviewRowSchema, parseRows } from '../../src/databricks/summary-schemas.js';
import { loadQueries } from '../../src/databricks/sql.js';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '../../src/demo/warehouse.js';
import { MINI_NOW, PIPELINE_A, demoMini } from '../support/demo-mini.js';

const DAY = 86_400_000;
const ids = { pipeline_id: PIPELINE_A, update_id: 'a-u1' };
const since = new Date(MINI_NOW - 60 * DAY);

let wh: DuckDbWarehouse;
beforeAll(async () => {
  wh = await createDuckDbWarehouse(demoMini());
});
afterAll(async () => {
  await wh.close();
});

async function rawEvents() {
  return (await wh.query('update-events', ids)).map((r) => EventRowSchema.parse(r));
}

describe('update summary statements', () => {
  it('overview counts every row of the update and spans its first to last event', async () => {
    const raw = await rawEvents();
    const { rows, skipped } = parseRows(OverviewRowSchema, await wh.query('update-overview', ids));
    expect(skipped).toBe(0);
    expect(rows.reduce((s, r) => s + (r.events ?? 0), 0)).toBe(raw.length);
    expect(Math.min(...rows.map((r) => r.min_ms!))).toBe(Math.min(...raw.map((e) => e.timestamp)));
    expect(Math.max(...rows.map((r) => r.max_ms!))).toBe(Math.max(...raw.map((e) => e.timestamp)));
  });

  it('flow buckets sum to the rows the raw flow_progress events report, per flow', async () => {
    const raw = await rawEvents();
    const want = new Map<string, number>();
    for (const e of raw) {
      if (e.event_type !== 'flow_progress' || !e.origin?.flow_name) continue;
      const m = (e.details?.flow_progress as { metrics?: { num_output_rows?: number } } | undefined)?.metrics;
      if (m?.num_output_rows !== undefined) want.set(e.origin.flow_name, (want.get(e.origin.flow_name) ?? 0) + Number(m.num_output_rows));
    }
    expect(want.size).toBeGreaterThan(0);
    const { rows } = parseRows(FlowBucketRowSchema, await wh.query('update-flow-buckets', { ...ids, window_minutes: 0 }));
    const got = new Map<string, number>();
    for (const r of rows) got.set(r.flow_name, (got.get(r.flow_name) ?? 0) + (r.output_rows ?? 0));
    for (const [flow, n] of want) expect(got.get(flow), flow).toBeCloseTo(n, 6);
    // a bucket is at least a minute wide and its rows fall inside it
    for (const r of rows) {
      expect(r.width_ms!).toBeGreaterThanOrEqual(60_000);
      expect(r.min_ms!).toBeGreaterThanOrEqual(r.bucket_ms!);
      expect(r.max_ms!).toBeLessThan(r.bucket_ms! + r.width_ms!);
    }
  });

  it('a window reads only the minutes before the update\'s newest event', async () => {
    const raw = await rawEvents();
    const newest = Math.max(...raw.map((e) => e.timestamp));
    const all = parseRows(FlowBucketRowSchema, await wh.query('update-flow-buckets', { ...ids, window_minutes: 0 })).rows;
    const recent = parseRows(FlowBucketRowSchema, await wh.query('update-flow-buckets', { ...ids, window_minutes: 5 })).rows;
    expect(all.some((r) => r.min_ms! < newest - 5 * 60_000)).toBe(true);
    expect(recent.length).toBeGreaterThan(0);
    for (const r of recent) expect(r.min_ms!).toBeGreaterThanOrEqual(newest - 5 * 60_000);
    const crAll = await wh.query('update-cluster-resources', { ...ids, window_minutes: 0 });
    const crRecent = parseRows(ClusterResourceRowSchema, await wh.query('update-cluster-resources', { ...ids, window_minutes: 5 })).rows;
    expect(crRecent.length).toBeLessThan(crAll.length);
    for (const r of crRecent) expect(r.t_ms!).toBeGreaterThanOrEqual(newest - 5 * 60_000);
  });

  it('status timelines hold only changes, oldest first', async () => {
    const { rows } = parseRows(FlowStatusRowSchema, await wh.query('update-flow-statuses', ids));
    expect(rows.length).toBeGreaterThan(0);
    const byFlow = new Map<string, string[]>();
    for (const r of rows) byFlow.set(r.flow_name, [...(byFlow.get(r.flow_name) ?? []), r.status]);
    for (const [flow, list] of byFlow) for (let i = 1; i < list.length; i++) expect(list[i], flow).not.toBe(list[i - 1]);
  });

  it('cluster resources: one row per event while under 2,000 events', async () => {
    const raw = (await rawEvents()).filter((e) => e.event_type === 'cluster_resources' && e.details?.cluster_resources);
    const { rows } = parseRows(ClusterResourceRowSchema, await wh.query('update-cluster-resources', { ...ids, window_minutes: 0 }));
    expect(rows.length).toBe(raw.length);
  });

  it('milestones: update_progress and create_update whole, no metric-only flow_progress', async () => {
    const rows = (await wh.query('update-milestones', ids)).map((r) => ({ ...EventRowSchema.parse(r), kind: r.kind }));
    expect(rows.some((r) => r.event_type === 'update_progress')).toBe(true);
    expect(rows.some((r) => r.event_type === 'create_update')).toBe(true);
    for (const r of rows.filter((x) => x.event_type === 'flow_progress')) expect(r.kind).toBe('error');
  });

  it('every summary statement is written once over {{update_events}}, in both event sources', () => {
    const q = loadQueries();
    for (const name of ['update-overview', 'update-flow-buckets', 'update-flow-statuses', 'update-cluster-resources', 'update-autoloader'] as const) {
      expect(q.base[name]).toContain('event_log(:pipeline_id)');
      expect(q.systemTable[name]).toContain('{{pipeline_events}}');
      expect(q.base[name]).not.toContain('{{update_events}}');
    }
  });
});
