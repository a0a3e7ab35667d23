/**
 * The proof behind `export`: on the demo workspace, `why-slow <pipeline> --json` read live (REST +
 * SQL) and `why-slow --bundle <its export> --json` give the same diagnosis JSON, cost included.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandArgv } from '../../commands/index.js';
import type { Reply } from '../../commands/types.js';
import { BundleSource } from '../../src/bundle/source.js';
import { createWorkspaceSource, evidenceFrom, type RawCollection } from '../../src/databricks/collect.js';
import { createRestClient } from '../../src/databricks/rest.js';
import { toDiagnosisJson } from '../../src/diagnosis/diagnosis-schema.js';
import { startDemoRestServer, type DemoRestServer } from '../../src/demo/rest-server.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import type { Warehouse } from '../../src/databricks/sql.js';
import type { Source } from '../../src/source.js';

let ws: DemoWorkspace;
let tmp: string;
beforeAll(async () => {
  ws = await startDemoWorkspace();
  tmp = await mkdtemp(join(tmpdir(), 'dlt-doctor-export-'));
});
afterAll(async () => {
  await ws?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const cli = (source: Source, argv: string[]) => runCommandArgv(argv, { source, surface: 'cli', now: () => new Date() });
function diagnosisJson(r: Reply): unknown {
  if (r.kind !== 'diagnosis') throw new Error(`expected a diagnosis, got ${JSON.stringify(r)}`);
  return JSON.parse(JSON.stringify(toDiagnosisJson(r.diagnosis)));
}
/** the first copy of every scenario (the demo workspace is generated before the tests are collected) */
const scenarios = () => ['cpu-saturation', 'python-udf', 'memory', 'io', 'network', 'mv-full-recompute', 'long-initialization', 'slow-startup', 'autoscale-ceiling', 'legacy-autoscaling', 'growing-backlog', 'healthy', 'serverless-healthy', 'io-regression', 'over-provisioned', 'failed-oom', 'healthy-busy', 'full-refresh', 'gc-thrash', 'driver-oom', 'init-scripts', 'legacy-ramp-up', 'permission-failure', 'skew'];
const nameOf = (scenario: string) => String(ws.data.pipelines.find((p) => p.scenario === scenario)!.pipeline.name);

/** export the pipeline, then why-slow live and why-slow over the bundle */
async function both(source: Source, name: string, extra: string[] = []) {
  const out = join(tmp, `${name}-${Math.random().toString(36).slice(2)}`);
  const exported = await cli(source, ['export', name, '--out', out, ...extra]);
  expect(exported.kind, JSON.stringify(exported)).toBe('text');
  const live = await cli(source, ['why-slow', name, ...extra]);
  const bundle = await cli(new BundleSource(out), ['why-slow', ...extra]);
  return { out, live, bundle, liveJson: diagnosisJson(live), bundleJson: diagnosisJson(bundle) };
}

describe('export → why-slow --bundle gives the live diagnosis', () => {
  it('covers every scenario of the demo workspace', () => {
    expect(new Set(ws.data.pipelines.map((p) => p.scenario))).toEqual(new Set(scenarios()));
  });

  // every scenario of the demo workspace (cpu, memory, io, network, serverless, startup, scaling, backlog, failed, healthy, …)
  it.each(scenarios())('%s: same diagnosis JSON, same evidence cost', async (scenario) => {
    const name = nameOf(scenario);
    const { liveJson, bundleJson, out } = await both(ws.source, name);
    // a continuous pipeline's live diagnosis states its window (issue 16); the window covers the
    // whole of the demo's 64-minute update, so the bundle (read whole) has the same evidence
    const { window, ...live } = liveJson as { window?: { minutes: number } };
    if ((live as { pipeline: { continuous?: true } }).pipeline.continuous) expect(window?.minutes).toBe(480);
    else expect(window).toBeUndefined();
    const { window: _bundleWindow, ...bundle } = bundleJson as { window?: unknown };
    expect(bundle).toEqual(live);
    // the diagnosis JSON carries no dollars: compare the cost the rules read too
    const liveCost = (await ws.source.collect(name)).cost;
    const bundleCost = (await new BundleSource(out).collect(name)).cost;
    expect(liveCost).not.toBeNull();
    expect(bundleCost).not.toBeNull();
    expect(bundleCost!.updateDbus!).toBeCloseTo(liveCost!.updateDbus!, 9);
    expect(bundleCost!.updateDollars!).toBeCloseTo(liveCost!.updateDollars!, 9);
    expect(bundleCost!.periodDbus).toBeCloseTo(liveCost!.periodDbus, 9);
    expect(bundleCost!.periodDollars).toBeCloseTo(liveCost!.periodDollars, 9);
    expect(bundleCost!.maintenanceDbus).toBeCloseTo(liveCost!.maintenanceDbus, 9);
  });

  it('an older update (--update) exports and diagnoses the same', async () => {
    const p = ws.data.pipelines.find((x) => x.scenario === 'memory')!;
    const older = String(p.updates[3]!.update_id);
    const { liveJson, bundleJson } = await both(ws.source, String(p.pipeline.name), ['--update', older]);
    expect((liveJson as { update: { id: string } }).update.id).toBe(older);
    expect(bundleJson).toEqual(liveJson);
  });

  it('writes the CONTRACT.md §1 files, Databricks shapes, the spec exactly as REST returned it', async () => {
    const name = nameOf('cpu-saturation');
    const { out } = await both(ws.source, name);
    expect((await readdir(out)).sort()).toEqual(['events.jsonl', 'list_prices.jsonl', 'node_timeline.jsonl', 'node_types.json', 'pipeline.json', 'updates.json', 'usage.jsonl', 'utilization.json']);
    // the node types the workspace offers, as GET /api/2.1/clusters/list-node-types returned them
    const nodeTypes = JSON.parse(await readFile(join(out, 'node_types.json'), 'utf8')) as { node_types: { node_type_id: string }[] };
    expect(nodeTypes.node_types.map((n) => n.node_type_id)).toEqual(ws.data.nodeTypes.map((n) => n.node_type_id));
    const pipeline = JSON.parse(await readFile(join(out, 'pipeline.json'), 'utf8')) as { spec: unknown; rawSpec?: unknown };
    const p = ws.data.pipelines.find((x) => x.scenario === 'cpu-saturation')!;
    expect(pipeline.spec).toEqual(p.pipeline.spec);
    expect(pipeline.rawSpec).toBeUndefined();
    const first = JSON.parse((await readFile(join(out, 'events.jsonl'), 'utf8')).split('\n')[0]!) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(expect.arrayContaining(['id', 'origin', 'timestamp', 'details', 'event_type']));
    expect(String(first.timestamp)).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    const usage = (await readFile(join(out, 'usage.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { usage_metadata: { dlt_pipeline_id: string } });
    expect(usage.length).toBeGreaterThan(0);
    expect(new Set(usage.map((u) => u.usage_metadata.dlt_pipeline_id))).toEqual(new Set([String(p.pipeline.pipeline_id)]));
  });

  it('system-table event source: update_id beside origin (origin a JSON string without it) is put into origin', async () => {
    const token = 'export-test-token-st';
    const server: DemoRestServer = await startDemoRestServer(ws.data, { token });
    try {
      const stripped: Warehouse = {
        async query(name, params, options) {
          const rows = await ws.warehouse.query(name, params, options);
          if (name !== 'update-events') return rows as never;
          expect(options?.eventSource?.kind).toBe('system_table');
          return rows.map((r) => {
            const { update_id: _drop, ...origin } = r.origin as Record<string, unknown>;
            return { ...r, origin: JSON.stringify(origin) };
          }) as never;
        },
        close: async () => undefined,
        stats: () => ws.warehouse.stats(),
      };
      const rest = createRestClient({ host: server.url, auth: { kind: 'pat', token }, cacheTtlMs: 0 });
      const st = createWorkspaceSource({ rest, warehouse: stripped, kind: 'demo', host: ws.data.host, eventSource: 'system_table' });
      const { liveJson, bundleJson } = await both(st, nameOf('memory'));
      expect(bundleJson).toEqual(liveJson);
      expect((liveJson as { verdict: { bottleneck: string } }).verdict.bottleneck).toBe('memory');
      expect((liveJson as { gaps: string[] }).gaps).not.toContain('event_details');
    } finally {
      await server.close();
    }
  });

  it('REST-only (no warehouse): the same diagnosis; the bundle lacks only the live note on the missing warehouse', async () => {
    const token = 'export-test-token';
    const server: DemoRestServer = await startDemoRestServer(ws.data, { token });
    try {
      const rest = createRestClient({ host: server.url, auth: { kind: 'pat', token }, cacheTtlMs: 0 });
      const restOnly = createWorkspaceSource({ rest, warehouse: null, kind: 'demo', host: ws.data.host });
      for (const scenario of ['cpu-saturation', 'slow-startup']) {
        const { liveJson, bundleJson, out } = await both(restOnly, nameOf(scenario));
        const { notes: liveNotes, ...live } = liveJson as { notes: string[] };
        const { notes: bundleNotes, ...bundle } = bundleJson as { notes: string[] };
        expect(bundle, scenario).toEqual(live);
        expect((live as { gaps: string[] }).gaps).toContain('event_details');
        expect(liveNotes.filter((n) => !/No SQL warehouse configured/.test(n))).toEqual(bundleNotes);
        expect((await readdir(out)).sort()).toEqual(['events.jsonl', 'node_types.json', 'pipeline.json', 'updates.json']);
      }
    } finally {
      await server.close();
    }
  });
});

describe('cost: SQL aggregates (live) and costFromRows over the rows (bundle) agree', () => {
  const T = Date.parse('2026-11-20T06:00:00Z');
  const raw = (cost: RawCollection['cost']): RawCollection => ({
    pipelineId: 'p1',
    pipeline: { pipeline_id: 'p1', name: 'unpriced', spec: { clusters: [] }, rawSpec: null } as unknown as RawCollection['pipeline'],
    updates: [],
    updateId: 'u1',
    sqlEvents: [
      { id: 'e1', timestamp: new Date(T).toISOString(), event_type: 'create_update', origin: { pipeline_id: 'p1', update_id: 'u1' }, details: JSON.stringify({ create_update: { cause: 'USER_ACTION' } }) },
      { id: 'e2', timestamp: new Date(T + 600_000).toISOString(), event_type: 'update_progress', origin: { pipeline_id: 'p1', update_id: 'u1' }, details: JSON.stringify({ update_progress: { state: 'COMPLETED' } }) },
    ],
    historyEvents: [],
    restEvents: null,
    nodeTimeline: null,
    cost,
    gaps: [],
    notes: [],
    now: T + 86_400_000,
  });
  const usage = (q: number, h: number) => ({
    sku_name: 'NEW_SKU_WITHOUT_A_PRICE', cloud: 'AWS', usage_unit: 'DBU', usage_quantity: q,
    usage_start_time: new Date(T + h * 3_600_000).toISOString(), usage_end_time: new Date(T + (h + 1) * 3_600_000).toISOString(),
    usage_metadata: { dlt_pipeline_id: 'p1', dlt_update_id: 'u1' },
  });

  it('usage whose SKU has no list price is worth $0 in both (SQL SUM over no prices is NULL, not "unknown")', () => {
    // what update-cost.sql and pipeline-cost.sql return for two unpriced rows: SUM(q * NULL) = NULL
    const live = evidenceFrom(raw({ kind: 'aggregate', update: { dbus: 5, dollars: null, usage_rows: 2, unpriced_rows: 2 }, period: { dbus: 5, dollars: 0, maintenance_dbus: 0, updates: 1, unpriced_rows: 2 } })).cost;
    const bundle = evidenceFrom(raw({ kind: 'rows', usage: [usage(2, 0), usage(3, 1)], prices: [] })).cost;
    expect(bundle).toEqual({ updateDbus: 5, updateDollars: 0, periodDbus: 5, periodDollars: 0, maintenanceDbus: 0, maintenanceDollars: 0, periodDays: 7 });
    expect(live).toEqual(bundle);
  });
});

describe('export command', () => {
  it('is refused in chat (it would write to the bot disk)', async () => {
    for (const surface of ['slack', 'teams', 'console'] as const) {
      const r = await runCommandArgv(['export', nameOf('memory'), '--out', join(tmp, 'chat')], { source: ws.source, surface, now: () => new Date() });
      expect(r.kind).toBe('error');
      expect(r.kind === 'error' && r.message).toMatch(/only available in the terminal/);
    }
    expect((await readdir(tmp)).includes('chat')).toBe(false);
  });

  it('needs --out, and a source that can export', async () => {
    const r = await cli(ws.source, ['export', nameOf('memory')]);
    expect(r.kind === 'error' && r.code).toBe('BAD_USAGE');
    const bundle = await cli(new BundleSource(join(tmp, 'nowhere')), ['export', 'x', '--out', join(tmp, 'y')]);
    expect(bundle.kind === 'error' && bundle.message).toMatch(/cannot be exported/);
  });
});
