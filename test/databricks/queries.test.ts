import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventRowSchema, NodeTimelineRowSchema } from '../../src/databricks/schemas.js';
import { QUERY_NAMES, type QueryName } from '../../src/databricks/sql.js';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '../../src/demo/warehouse.js';
import { DBUS_A, DBUS_B, MINI_NOW, PIPELINE_A, PIPELINE_B, PRICE, UPDATES_A, demoMini } from '../support/demo-mini.js';

const DAY = 86_400_000;
const since = new Date(MINI_NOW - 30 * DAY);
const until = new Date(MINI_NOW + DAY);

let wh: DuckDbWarehouse;
beforeAll(async () => {
  wh = await createDuckDbWarehouse(demoMini());
});
afterAll(async () => {
  await wh.close();
});

describe('the query files', () => {
  it('are exactly the QUERY_NAMES (plus system-table variants)', () => {
    const files = readdirSync(new URL('../../src/databricks/queries/', import.meta.url)).filter((f) => f.endsWith('.sql'));
    // update-events.relation*.sql: the relation the summary statements are written over, not a statement
    const bases = files.filter((f) => !f.includes('.system-table.') && !f.includes('.relation.')).map((f) => f.replace(/\.sql$/, ''));
    expect(bases.sort()).toEqual([...QUERY_NAMES].sort());
  });

  it('every query runs on the DuckDB warehouse and returns rows', async () => {
    const params: Record<QueryName, Record<string, string | number | Date | null>> = {
      'update-events': { pipeline_id: PIPELINE_A, update_id: 'a-u1' },
      'update-history': { pipeline_id: PIPELINE_A, since },
      'update-overview': { pipeline_id: PIPELINE_A, update_id: 'a-u1' },
      'update-milestones': { pipeline_id: PIPELINE_A, update_id: 'a-u1' },
      'update-flow-buckets': { pipeline_id: PIPELINE_A, update_id: 'a-u1', window_minutes: 0 },
      'update-flow-statuses': { pipeline_id: PIPELINE_A, update_id: 'a-u1' },
      'update-cluster-resources': { pipeline_id: PIPELINE_A, update_id: 'a-u1', window_minutes: 0 },
      'update-autoloader': { pipeline_id: PIPELINE_A, update_id: 'a-u1', window_minutes: 0 },
      'node-timeline-buckets': { cluster_id: 'c-a1', start_time: new Date(MINI_NOW - 4 * DAY), end_time: until },
      'node-timeline': { cluster_id: 'c-a1', start_time: new Date(MINI_NOW - 4 * DAY), end_time: until },
      'update-cost': { pipeline_id: PIPELINE_A, update_id: 'a-u1', update_start: since, update_end: until },
      'pipeline-cost': { pipeline_id: PIPELINE_A, since, until },
      'cost-by-pipeline': { since, until, workspace_id: null },
      'pipeline-usage': { pipeline_id: PIPELINE_A, update_id: 'a-u1', since, until, update_start: since, update_end: until },
      'list-prices': { pipeline_id: PIPELINE_A, update_id: 'a-u1', since, until, update_start: since, update_end: until },
      'digest-cost': { previous_start: new Date(MINI_NOW - 60 * DAY), period_start: since, period_end: until, pipeline_ids: null },
      'digest-daily': { period_start: since, period_end: until, pipeline_ids: null },
      'digest-utilization': { period_start: since, period_end: until, pipeline_ids: null },
      'digest-efficiency': { period_start: since, period_end: until, pipeline_ids: `${PIPELINE_A},${PIPELINE_B}` },
      'digest-updates': { since, until, pipeline_ids: PIPELINE_A },
      'pipeline-events-probe': {},
      'fleet-update-states': { since: new Date(MINI_NOW - 60 * DAY) },
      'fleet-backlog': { since: new Date(MINI_NOW - 60 * DAY) },
    };
    for (const name of QUERY_NAMES) {
      // the probe reads no row (LIMIT 0): that it runs is the answer
      if (name === 'pipeline-events-probe') {
        expect(await wh.query(name, params[name])).toEqual([]);
        continue;
      }
      const rows = await wh.query(name, params[name]);
      // the mini workspace has no Auto Loader source: that statement runs and finds no listing
      if (name === 'update-autoloader') expect(rows, name).toEqual([]);
      else expect(rows.length, name).toBeGreaterThan(0);
    }
  });
});

describe('update-events', () => {
  it('returns every row of one update in the event-log shape the schemas read', async () => {
    const rows = await wh.query('update-events', { pipeline_id: PIPELINE_A, update_id: 'a-u3' });
    const parsed = rows.map((r) => EventRowSchema.parse(r));
    expect(new Set(parsed.map((e) => e.origin?.update_id))).toEqual(new Set(['a-u3']));
    expect(Object.keys(rows[0]!).sort()).toEqual(['details', 'error', 'event_type', 'id', 'level', 'maturity_level', 'message', 'origin', 'sequence', 'timestamp'].sort());
    const failed = parsed.find((e) => e.event_type === 'update_progress' && (e.details?.update_progress as { state?: string })?.state === 'FAILED');
    expect(failed?.error?.exceptions?.[0]?.class_name).toBe('java.lang.OutOfMemoryError');
    expect(parsed.filter((e) => e.event_type === 'cluster_resources').length).toBeGreaterThan(5);
    // ordered by time
    const ts = parsed.map((e) => e.timestamp);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
  });

  it('does not leak another pipeline or update', async () => {
    expect(await wh.query('update-events', { pipeline_id: PIPELINE_B, update_id: 'a-u1' })).toEqual([]);
  });

  it('the system-table variant returns the same events', async () => {
    const a = await wh.query('update-events', { pipeline_id: PIPELINE_A, update_id: 'a-u2' });
    const b = await wh.query('update-events', { pipeline_id: PIPELINE_A, update_id: 'a-u2' }, { eventSource: { kind: 'system_table' } });
    expect(b.map((r) => r.id)).toEqual(a.map((r) => r.id));
    expect(b.map((r) => JSON.parse(String(r.details)))).toEqual(a.map((r) => JSON.parse(String(r.details))));
  });
});

describe('update-history', () => {
  it('gives start, end, state, cause and output rows per update, newest first', async () => {
    const rows = await wh.query('update-history', { pipeline_id: PIPELINE_A, since });
    expect(rows.map((r) => r.update_id)).toEqual(['a-u3', 'a-u2', 'a-u1']);
    const u1 = rows.find((r) => r.update_id === 'a-u1')!;
    const spec = UPDATES_A[0]!;
    expect(u1.state).toBe('COMPLETED');
    expect(u1.cause).toBe('JOB_TASK');
    expect((u1.created_at as Date).getTime()).toBe(spec.startedAt);
    const minutes = spec.phases.reduce((a, b) => a + b, 0);
    expect((u1.ended_at as Date).getTime() - (u1.created_at as Date).getTime()).toBe(minutes * 60_000);
    // two flows; the second gets +1 row (see demo-mini)
    expect(u1.output_rows).toBe(spec.rows + 1);
    expect(rows.find((r) => r.update_id === 'a-u3')!.state).toBe('FAILED');
  });

  it('a running update has no end and state RUNNING; :since drops old updates', async () => {
    const rows = await wh.query('update-history', { pipeline_id: PIPELINE_B, since });
    expect(rows.map((r) => r.update_id)).toEqual(['b-u3', 'b-u2']);
    expect(rows[0]!.ended_at).toBeNull();
    expect(rows[0]!.state).toBe('RUNNING');
    expect(rows[1]!.full_refresh).toBe('true');
  });

  it('the system-table variant agrees', async () => {
    const a = await wh.query('update-history', { pipeline_id: PIPELINE_A, since });
    const b = await wh.query('update-history', { pipeline_id: PIPELINE_A, since }, { eventSource: { kind: 'system_table' } });
    expect(b).toEqual(a);
  });
});

describe('node-timeline', () => {
  it('returns the cluster rows inside the window only', async () => {
    const start = UPDATES_A[0]!.startedAt;
    const end = start + 10 * 60_000; // first update runs from minute 6
    const rows = await wh.query('node-timeline', { cluster_id: 'c-a1', start_time: new Date(start), end_time: new Date(end) });
    const parsed = rows.map((r) => NodeTimelineRowSchema.parse(r));
    expect(parsed.length).toBe(5 * 3); // minutes 6..10 inclusive × 3 instances
    expect(parsed.every((r) => r.cluster_id === 'c-a1' && r.start_time >= start && r.start_time <= end)).toBe(true);
    expect(parsed.filter((r) => r.driver).length).toBe(5);
    expect(typeof rows[0]!.network_sent_bytes).toBe('number');
  });
});

describe('cost', () => {
  it('update-cost sums record types and prices at the effective list price in force', async () => {
    const u = UPDATES_A[1]!;
    const [row] = await wh.query('update-cost', { pipeline_id: PIPELINE_A, update_id: 'a-u2', update_start: new Date(u.startedAt), update_end: new Date(u.startedAt + 3_600_000) });
    expect(row!.dbus).toBeCloseTo(DBUS_A);
    expect(row!.dollars).toBeCloseTo(DBUS_A * PRICE);
    expect(row!.unpriced_rows).toBe(0);
  });

  it('pipeline-cost separates maintenance DBUs and honours the period', async () => {
    const [all] = await wh.query('pipeline-cost', { pipeline_id: PIPELINE_B, since, until });
    // b-u1 is 40 days old: outside; b-u2, b-u3 and maintenance (2 DBUs) inside
    expect(all!.dbus).toBeCloseTo(2 * DBUS_B + 2);
    expect(all!.maintenance_dbus).toBeCloseTo(2);
    expect(all!.maintenance_dollars).toBeCloseTo(2 * PRICE);
    expect(all!.dollars).toBeCloseTo((2 * DBUS_B + 2) * PRICE);
    expect(all!.updates).toBe(2);
    const [none] = await wh.query('pipeline-cost', { pipeline_id: PIPELINE_B, since: new Date(MINI_NOW + DAY), until: new Date(MINI_NOW + 2 * DAY) });
    expect(none!.dbus).toBe(0);
  });

  it('cost-by-pipeline gives one row per pipeline, costliest first, and filters by workspace', async () => {
    const rows = await wh.query('cost-by-pipeline', { since, until, workspace_id: null });
    expect(rows.map((r) => r.pipeline_id)).toEqual([PIPELINE_A, PIPELINE_B]);
    expect(rows[0]!.dbus).toBeCloseTo(3 * DBUS_A + 2);
    expect(rows[0]!.maintenance_dbus).toBeCloseTo(2);
    expect(rows[1]!.dollars).toBeCloseTo((2 * DBUS_B + 2) * PRICE);
    expect(await wh.query('cost-by-pipeline', { since, until, workspace_id: 'another' })).toEqual([]);
  });
});

describe('digest-updates', () => {
  it('one row per update of the pipelines asked for: start, end, rows, completed, full refresh, billed DBUs and dollars', async () => {
    const rows = await wh.query('digest-updates', { since, until, pipeline_ids: `${PIPELINE_A},${PIPELINE_B}` });
    expect(rows.map((r) => `${String(r.pipeline_id).slice(0, 1)} ${String(r.update_id)}`)).toEqual(['a a-u1', 'a a-u2', 'a a-u3', 'b b-u2', 'b b-u3']);
    const u1 = rows.find((r) => r.update_id === 'a-u1')!;
    const spec = UPDATES_A[0]!;
    expect((u1.started_at as Date).getTime()).toBe(spec.startedAt);
    expect((u1.ended_at as Date).getTime() - spec.startedAt).toBe(spec.phases.reduce((a, b) => a + b, 0) * 60_000);
    expect(Number(u1.output_rows)).toBe(spec.rows + 1);
    expect(Number(u1.completed)).toBe(1);
    expect(Number(u1.full_refresh)).toBe(0);
    expect(u1.dbus).toBeCloseTo(DBUS_A);
    expect(u1.dollars).toBeCloseTo(DBUS_A * PRICE);
    expect(Number(u1.photon_dollars)).toBe(0);
    expect(Number(rows.find((r) => r.update_id === 'a-u3')!.completed)).toBe(0);
    expect(Number(rows.find((r) => r.update_id === 'b-u2')!.full_refresh)).toBe(1);
    // the scope is the pipelines named; :since drops older updates (b-u1 is 40 days old)
    expect((await wh.query('digest-updates', { since, until, pipeline_ids: PIPELINE_B })).map((r) => r.update_id)).toEqual(['b-u2', 'b-u3']);
  });
});

describe('the DuckDB warehouse', () => {
  it('appends events later (an update started by the demo REST server)', async () => {
    const w = await createDuckDbWarehouse(demoMini());
    try {
      await w.appendEvents([
        { id: 'new-1', origin: { pipeline_id: PIPELINE_A, update_id: 'a-u4' }, timestamp: new Date(MINI_NOW).toISOString(), level: 'INFO', event_type: 'create_update', message: 'm', details: { create_update: { cause: 'USER_ACTION' } } },
      ]);
      const rows = await w.query('update-history', { pipeline_id: PIPELINE_A, since });
      expect(rows[0]).toMatchObject({ update_id: 'a-u4', cause: 'USER_ACTION', ended_at: null });
    } finally {
      await w.close();
    }
  });

  it('follows a live state given as a function', async () => {
    const state = demoMini();
    const w = await createDuckDbWarehouse(() => state);
    try {
      expect(await w.query('update-events', { pipeline_id: PIPELINE_B, update_id: 'b-u9' })).toEqual([]);
      state.pipelines[1]!.events.push({ id: 'live-1', origin: { pipeline_id: PIPELINE_B, update_id: 'b-u9' }, timestamp: new Date(MINI_NOW).toISOString(), level: 'INFO', event_type: 'create_update', message: 'm', details: {} });
      const rows = await w.query('update-events', { pipeline_id: PIPELINE_B, update_id: 'b-u9' });
      expect(rows.map((r) => r.id)).toEqual(['live-1']);
      // not loaded twice
      expect((await w.query('update-events', { pipeline_id: PIPELINE_B, update_id: 'b-u9' })).length).toBe(1);
    } finally {
      await w.close();
    }
  });

  it('refuses a query whose parameter is missing, counts statements, serves parallel queries', async () => {
    await expect(wh.query('update-events', { pipeline_id: PIPELINE_A })).rejects.toThrow(/update_id/);
    const before = wh.stats().statements;
    const results = await Promise.all(
      UPDATES_A.map((u) => wh.query('update-cost', { pipeline_id: PIPELINE_A, update_id: u.id, update_start: new Date(u.startedAt), update_end: new Date(u.startedAt + 3_600_000) })),
    );
    expect(results.map((r) => r[0]!.dbus)).toEqual([DBUS_A, DBUS_A, DBUS_A]);
    expect(wh.stats().statements).toBe(before + 3);
  });

  it('loads a big workspace fast (bulk, not row by row)', async () => {
    const big = demoMini();
    const template = big.pipelines[0]!.events as Record<string, unknown>[];
    const many: object[] = [];
    for (let k = 0; many.length < 100_000; k++) for (const e of template) many.push({ ...e, id: `${String(e.id)}-${k}` });
    const t0 = Date.now();
    const w = await createDuckDbWarehouse({ pipelines: [{ events: many }], listPrices: [] });
    const ms = Date.now() - t0;
    try {
      const rows = await w.query('update-events', { pipeline_id: PIPELINE_A, update_id: 'a-u1' });
      expect(rows.length).toBeGreaterThan(10_000);
      // row-by-row INSERTs take minutes for 100k rows; bulk read_json takes seconds (generous for a busy 2-core box)
      expect(ms).toBeLessThan(40_000);
    } finally {
      await w.close();
    }
  });
});

describe('on the full generated demo workspace', () => {
  it('loads every scenario and answers every query with consistent numbers', async () => {
    const { generateDemoWorkspace } = await import('../../src/demo/generate.js');
    const demo = generateDemoWorkspace();
    const t0 = Date.now();
    const w = await createDuckDbWarehouse(demo);
    const loadMs = Date.now() - t0;
    try {
      expect(loadMs).toBeLessThan(30_000);
      const now = demo.now;
      const periodSince = new Date(now - 30 * DAY);
      const periodUntil = new Date(now + DAY);
      const byPipeline = await w.query('cost-by-pipeline', { since: periodSince, until: periodUntil, workspace_id: demo.workspaceId });
      expect(byPipeline.length).toBe(demo.pipelines.length);
      for (const p of demo.pipelines) {
        const id = String(p.pipeline.pipeline_id);
        const latest = p.updates[0]!;
        const updateId = String(latest.update_id);
        const events = await w.query('update-events', { pipeline_id: id, update_id: updateId });
        expect(events.length, p.scenario).toBe(p.events.filter((e) => (e.origin as { update_id?: string })?.update_id === updateId).length);
        const history = await w.query('update-history', { pipeline_id: id, since: new Date(now - 90 * DAY) });
        expect(history.map((h) => h.update_id), p.scenario).toContain(updateId);
        const [cost] = await w.query('pipeline-cost', { pipeline_id: id, since: periodSince, until: periodUntil });
        const row = byPipeline.find((r) => r.pipeline_id === id)!;
        expect(cost!.dbus as number, p.scenario).toBeCloseTo(row.dbus as number, 6);
        expect(cost!.dollars as number, p.scenario).toBeGreaterThan(0);
        expect(cost!.unpriced_rows, p.scenario).toBe(0);
        const clusterId = latest.cluster_id as string | undefined;
        if (clusterId && p.nodeTimeline.length) {
          const nodes = await w.query('node-timeline', { cluster_id: clusterId, start_time: new Date(0), end_time: new Date(now + DAY) });
          expect(nodes.length, p.scenario).toBe(p.nodeTimeline.filter((r) => r.cluster_id === clusterId).length);
        }
      }
    } finally {
      await w.close();
    }
  });
});
