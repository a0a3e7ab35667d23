import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceSource, editDistance, suggestNames } from '../../src/databricks/collect.js';
import { createRestClient, type RestClient } from '../../src/databricks/rest.js';
import { EventRowSchema, GetPipelineSchema, ListPriceRowSchema, UpdateInfoSchema, UsageRowSchema } from '../../src/databricks/schemas.js';
import { EVENT_QUERIES, type Warehouse } from '../../src/databricks/sql.js';
import { buildEvidence, costFromRows, EventAccumulator } from '../../src/diagnosis/build-evidence/index.js';
import { generateDemoWorkspace, type DemoWorkspaceData } from '../../src/demo/generate.js';
import { startDemoRestServer, type DemoRestServer } from '../../src/demo/rest-server.js';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '../../src/demo/warehouse.js';
import { DoctorError } from '../../src/errors.js';

const TOKEN = 'collect-test-token';
let demo: DemoWorkspaceData;
let server: DemoRestServer;
let rest: RestClient;
let wh: DuckDbWarehouse;

beforeAll(async () => {
  demo = generateDemoWorkspace();
  server = await startDemoRestServer(demo, { token: TOKEN, now: () => demo.now });
  rest = createRestClient({ host: server.url, auth: { kind: 'pat', token: TOKEN }, cacheTtlMs: 0 });
  wh = await createDuckDbWarehouse(demo);
});
afterAll(async () => {
  await server?.close();
  await wh?.close();
});

const source = (warehouse: Warehouse | null = wh) =>
  createWorkspaceSource({ rest, warehouse, kind: 'demo', host: 'dbc-demo.cloud.databricks.com', now: () => demo.now });
const scenario = (name: string) => demo.pipelines.find((p) => p.scenario === name)!;
const idOf = (name: string) => String(scenario(name).pipeline.pipeline_id);
const nameOf = (name: string) => String(scenario(name).pipeline.name);

/** the evidence built directly from every raw row of the scenario (what a full bundle would give) */
function referenceEvidence(name: string, updateId: string) {
  const p = scenario(name);
  const acc = new EventAccumulator();
  for (const e of p.events) acc.add(EventRowSchema.parse(e));
  const cost = costFromRows(
    p.usage.map((r) => UsageRowSchema.parse(r)),
    demo.listPrices.map((r) => ListPriceRowSchema.parse(r)),
    { pipelineId: idOf(name), updateId, now: demo.now, days: 7 },
  );
  return buildEvidence({
    pipeline: GetPipelineSchema.parse(p.pipeline),
    updates: p.updates.map((u) => UpdateInfoSchema.parse(u)),
    events: acc,
    nodeTimeline: null,
    cost,
    updateId,
  });
}

describe('editDistance / suggestNames', () => {
  it('measures edits and suggests near misses, substrings first', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(suggestNames('order_silver', ['orders_silver', 'reports_gold', 'orders_silver_2', 'x'])).toEqual(['orders_silver', 'orders_silver_2']);
    expect(suggestNames('zzzzzz', ['orders_silver', 'reports_gold'])).toEqual([]);
  });
});

describe('resolvePipeline', () => {
  it('finds a pipeline by id, by exact name and case-insensitively', async () => {
    const s = source();
    const id = idOf('cpu-saturation');
    expect(await s.resolvePipeline(id)).toEqual({ id, name: 'orders_silver' });
    expect(await s.resolvePipeline('orders_silver')).toEqual({ id, name: 'orders_silver' });
    expect(await s.resolvePipeline('ORDERS_Silver')).toEqual({ id, name: 'orders_silver' });
    // the help's example: spaces (or hyphens) for underscores, when one pipeline matches so
    expect(await s.resolvePipeline('Orders Silver')).toEqual({ id, name: 'orders_silver' });
    expect(await s.resolvePipeline('orders-silver')).toEqual({ id, name: 'orders_silver' });
  });

  it('a near miss gets PIPELINE_NOT_FOUND with up to 3 suggestions', async () => {
    const err = (await source().resolvePipeline('order_silvr').catch((e: unknown) => e)) as DoctorError;
    expect(err).toBeInstanceOf(DoctorError);
    expect(err.code).toBe('PIPELINE_NOT_FOUND');
    expect(err.suggestions[0]).toBe('orders_silver');
    expect(err.suggestions.length).toBeLessThanOrEqual(3);
    const none = (await source().resolvePipeline('no-such-thing-at-all').catch((e: unknown) => e)) as DoctorError;
    expect(none.code).toBe('PIPELINE_NOT_FOUND');
  });
});

describe('collect with the SQL warehouse', () => {
  it('matches the evidence built from every raw row, for every classic scenario', async () => {
    const s = source();
    for (const p of demo.pipelines) {
      const ev = await s.collect(String(p.pipeline.name));
      const ref = referenceEvidence(p.scenario, ev.update.id);
      expect(ev.update, p.scenario).toEqual(ref.update);
      expect(ev.flows.map((f) => [f.name, f.outputRows, f.executorTimeMs, f.finalStatus]), p.scenario).toEqual(ref.flows.map((f) => [f.name, f.outputRows, f.executorTimeMs, f.finalStatus]));
      expect(ev.clusterResources.length, p.scenario).toBe(ref.clusterResources.length);
      expect(ev.errors.length, p.scenario).toBe(ref.errors.length);
      // history from update-history.sql equals history from the whole event log (within the 60-day window)
      const cutoff = demo.now - 60 * 86_400_000;
      expect(ev.history.map((h) => [h.updateId, h.state, h.durationS, h.outputRows]), p.scenario).toEqual(
        ref.history.filter((h) => h.startedAt >= cutoff).map((h) => [h.updateId, h.state, h.durationS, h.outputRows]),
      );
      expect(ev.history.length, p.scenario).toBeGreaterThan(5);
      // what a regression is compared on (what-changed.ts) comes through the history statement too
      const refById = new Map(ref.history.map((h) => [h.updateId, h]));
      for (const h of ev.history) {
        const r = refById.get(h.updateId)!;
        expect([h.dbrVersion, h.peakExecutors, h.flows, h.phasesS], `${p.scenario} ${h.updateId}`).toEqual([r.dbrVersion, r.peakExecutors, r.flows, r.phasesS]);
      }
      expect(ev.gaps, p.scenario).not.toContain('event_details');
      expect(ev.cost, p.scenario).not.toBeNull();
      expect(ev.cost!.updateDbus!, p.scenario).toBeCloseTo(ref.cost!.updateDbus!, 6);
      expect(ev.cost!.periodDbus, p.scenario).toBeCloseTo(ref.cost!.periodDbus, 6);
      expect(ev.cost!.maintenanceDbus, p.scenario).toBeCloseTo(ref.cost!.maintenanceDbus, 6);
      if (p.pipeline.spec && (p.pipeline.spec as { serverless?: boolean }).serverless) {
        expect(ev.nodeMetrics, p.scenario).toBeNull();
      } else {
        expect(ev.nodeMetrics?.length, p.scenario).toBeGreaterThan(0);
      }
    }
  });

  it('summaries give the evidence and the diagnosis the raw rows give: flows, samples, findings and fixes', async () => {
    const { diagnose } = await import('../../src/diagnosis/diagnose.js');
    // numbers within rounding (the warehouse sums in doubles, the fold in another order)
    const round = (v: unknown): unknown =>
      typeof v === 'number' ? Number(v.toPrecision(9)) : Array.isArray(v) ? v.map(round) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)])) : v;
    const s = source();
    for (const p of demo.pipelines) {
      const ev = await s.collect(String(p.pipeline.name));
      const ref = referenceEvidence(p.scenario, ev.update.id);
      expect(round(ev.flows), p.scenario).toEqual(round(ref.flows));
      expect(round(ev.timeline), p.scenario).toEqual(round(ref.timeline));
      expect(round(ev.clusterResources), p.scenario).toEqual(round(ref.clusterResources));
      expect(ev.autoscale, p.scenario).toEqual(ref.autoscale);
      expect(ev.autoLoader, p.scenario).toEqual(ref.autoLoader);
      expect(ev.errors, p.scenario).toEqual(ref.errors);
      // the reference has no node metrics or history from SQL: compare the diagnosis on the same ones
      const d = diagnose(ev);
      const r = diagnose({ ...ref, nodeMetrics: ev.nodeMetrics, history: ev.history, cost: ev.cost, gaps: ev.gaps });
      expect(d.verdict, p.scenario).toEqual(r.verdict);
      expect(d.findings.map((f) => [f.rule, f.severity]), p.scenario).toEqual(r.findings.map((f) => [f.rule, f.severity]));
      expect(d.recommendations.map((x) => [x.id, x.change]), p.scenario).toEqual(r.recommendations.map((x) => [x.id, x.change]));
    }
  });

  it('end to end: the diagnosis of every scenario finds its intended bottleneck', async () => {
    const { diagnose } = await import('../../src/diagnosis/diagnose.js');
    const s = source();
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const p of demo.pipelines) {
      got[p.scenario] = diagnose(await s.collect(String(p.pipeline.name))).verdict.bottleneck;
      want[p.scenario] = p.expected;
    }
    expect(got).toEqual(want);
  });

  it('runs a bounded number of statements per diagnosis, and picks --update', async () => {
    const p = scenario('memory');
    const older = String(p.updates[3]!.update_id);
    const names: string[] = [];
    const recording: Warehouse = {
      query: async (name, params, options) => {
        names.push(name);
        return wh.query(name, params, options);
      },
      close: async () => undefined,
      stats: () => ({ statements: 0 }),
    };
    const ev = await source(recording).collect(nameOf('memory'), { updateId: older });
    expect(ev.update.id).toBe(older);
    // the six update summaries (never every event row), history, bucketed node metrics, update
    // cost, period cost, the period's utilization: each statement once
    expect(names).not.toContain('update-events');
    expect(names).not.toContain('node-timeline');
    expect([...names].sort()).toEqual([
      'digest-utilization', 'node-timeline-buckets', 'pipeline-cost', 'update-autoloader', 'update-cluster-resources', 'update-cost',
      'update-flow-buckets', 'update-flow-statuses', 'update-history', 'update-milestones', 'update-overview',
    ]);
    expect(ev.window).toBeUndefined();
  });
});

describe('billing statements of one update', () => {
  it('are bounded by the update’s span (update_start/update_end feed the usage_date bounds)', async () => {
    const calls: { name: string; params: Record<string, unknown> }[] = [];
    const recording: Warehouse = {
      query: async (name, params, options) => {
        calls.push({ name, params });
        return wh.query(name, params, options);
      },
      close: async () => undefined,
      stats: () => ({ statements: 0 }),
    };
    const ev = await source(recording).collect(nameOf('io'));
    const listed = scenario('io').updates.find((u) => u.update_id === ev.update.id)!;
    const uc = calls.find((c) => c.name === 'update-cost')!;
    expect(uc.params.update_id).toBe(ev.update.id);
    expect((uc.params.update_start as Date).getTime()).toBe(Number(listed.creation_time));
    expect((uc.params.update_end as Date).getTime()).toBeGreaterThan((uc.params.update_start as Date).getTime());
    expect((uc.params.update_end as Date).getTime()).toBeLessThanOrEqual(demo.now);
    expect(ev.cost?.updateDbus).toBeGreaterThan(0);
  });
});

describe('collect without SQL', () => {
  it('no warehouse: REST-only, with gaps and a note saying what to configure', async () => {
    const ev = await source(null).collect(nameOf('cpu-saturation'));
    expect(ev.gaps).toContain('event_details');
    expect(ev.cost).toBeNull();
    expect(ev.nodeMetrics).toBeNull();
    expect(ev.notes.join('\n')).toMatch(/DATABRICKS_WAREHOUSE_HTTP_PATH/);
    expect(ev.update.state).toBe('COMPLETED');
  });

  it('event log refused: REST-only events, the rest of SQL still used, the grant in a note', async () => {
    const refusing: Warehouse = {
      query: async (name, params, options) => {
        if (EVENT_QUERIES.includes(name)) {
          throw new DoctorError('PERMISSION_DENIED', 'The SQL warehouse refused to read the pipeline event log (update-events).', {
            hint: "the event log is readable only by the pipeline owner: publish it (event_log setting) and grant SELECT, or run the bot as the pipeline's run-as principal",
          });
        }
        return wh.query(name, params, options);
      },
      close: async () => undefined,
      stats: () => ({ statements: 0 }),
    };
    const ev = await source(refusing).collect(nameOf('io'));
    expect(ev.gaps).toContain('event_details');
    expect(ev.notes.join('\n')).toMatch(/readable only by the pipeline owner: publish it/);
    expect(ev.cost?.periodDbus).toBeGreaterThan(0);
  });
});

describe('listPipelines', () => {
  it('summarises every pipeline with its last duration and baseline median; filters by name', async () => {
    const all = await source().listPipelines();
    expect(all.length).toBe(demo.pipelines.length);
    const healthy = all.find((p) => p.name === 'reports_gold')!;
    expect(healthy.lastUpdate?.durationS).toBeGreaterThan(0);
    expect(healthy.baselineMedianS).toBeGreaterThan(0);
    const ev = await source().collect('reports_gold');
    expect(healthy.lastUpdate?.id).toBe(ev.update.id);
    expect(healthy.lastUpdate?.durationS).toBeCloseTo(ev.update.durationS!, 3);
    const filtered = await source().listPipelines('ORDERS');
    expect(filtered.map((p) => p.name)).toEqual(['orders_silver']);
    expect(source().pipelineUrl('abc', 'u1')).toBe('https://dbc-demo.cloud.databricks.com/pipelines/abc/updates/u1');
  });
});

describe('--update by prefix', () => {
  it('a unique prefix of a listed update id picks that update; an unknown one is UPDATE_NOT_FOUND', async () => {
    const p = scenario('memory');
    const older = String(p.updates[3]!.update_id);
    const ev = await source().collect(nameOf('memory'), { updateId: older.slice(0, 8) });
    expect(ev.update.id).toBe(older);
    const err = (await source().collect(nameOf('memory'), { updateId: 'zzzzzzzz' }).catch((e: unknown) => e)) as DoctorError;
    expect(err).toBeInstanceOf(DoctorError);
    expect(err.code).toBe('UPDATE_NOT_FOUND');
  });
});
