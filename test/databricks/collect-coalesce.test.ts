/**
 * Concurrent diagnoses of one pipeline share one set of REST and SQL calls (single flight in the
 * workspace source's collect, plus a short TTL). Counts, not time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandArgv } from '../../commands/index.js';
import { createWorkspaceSource } from '../../src/databricks/collect.js';
import { createRestClient, type RestClient } from '../../src/databricks/rest.js';
import type { Warehouse } from '../../src/databricks/sql.js';
import { generateDemoWorkspace, type DemoWorkspaceData } from '../../src/demo/generate.js';
import { startDemoRestServer, type DemoRestServer } from '../../src/demo/rest-server.js';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '../../src/demo/warehouse.js';

const TOKEN = 'coalesce-test-token';
let demo: DemoWorkspaceData;
let server: DemoRestServer;
let duck: DuckDbWarehouse;

beforeAll(async () => {
  demo = generateDemoWorkspace();
  server = await startDemoRestServer(demo, { token: TOKEN, now: () => demo.now });
  duck = await createDuckDbWarehouse(demo);
});
afterAll(async () => {
  await server?.close();
  await duck?.close();
});

/** a warehouse that answers after `ms` (so concurrent callers really overlap) and counts statements */
function slowWarehouse(ms: number): Warehouse & { rounds(): number } {
  let statements = 0;
  let inFlight = 0;
  let rounds = 0;
  return {
    async query(name, params, options) {
      statements++;
      // a new round starts when a statement is issued while none is in flight
      if (inFlight++ === 0) rounds++;
      try {
        await new Promise((r) => setTimeout(r, ms));
        return await duck.query(name, params, options);
      } finally {
        inFlight--;
      }
    },
    close: async () => undefined,
    stats: () => ({ statements }),
    rounds: () => rounds,
  };
}

/** a fresh REST client (no GET cache: only its single flight) and warehouse, so counts start at 0 */
function fresh(collectCacheTtlMs?: number): { rest: RestClient; warehouse: ReturnType<typeof slowWarehouse>; source: ReturnType<typeof createWorkspaceSource> } {
  const rest = createRestClient({ host: server.url, auth: { kind: 'pat', token: TOKEN }, cacheTtlMs: 0 });
  const warehouse = slowWarehouse(30);
  const source = createWorkspaceSource({ rest, warehouse, kind: 'demo', host: demo.host, now: () => demo.now, ...(collectCacheTtlMs === undefined ? {} : { collectCacheTtlMs }) });
  return { rest, warehouse, source };
}

const whySlow = (source: ReturnType<typeof createWorkspaceSource>, name: string, extra: string[] = []) =>
  runCommandArgv(['why-slow', name, ...extra], { source, surface: 'cli', now: () => new Date() });

describe('collect single flight', () => {
  it('20 concurrent why-slow of one pipeline issue the REST and SQL calls of one', async () => {
    const one = fresh();
    const solo = await whySlow(one.source, 'orders_silver');
    expect(solo.kind).toBe('diagnosis');
    const soloRest = one.rest.stats().total;
    const soloSql = one.warehouse.stats().statements;
    expect(soloRest).toBeGreaterThan(0);
    expect(soloSql).toBeGreaterThan(0);

    const many = fresh();
    const replies = await Promise.all(Array.from({ length: 20 }, () => whySlow(many.source, 'orders_silver')));
    expect(replies.every((r) => r.kind === 'diagnosis')).toBe(true);
    expect(many.rest.stats().total).toBe(soloRest);
    expect(many.warehouse.stats().statements).toBe(soloSql);
    // and they all got the same diagnosis
    const verdicts = new Set(replies.map((r) => (r.kind === 'diagnosis' ? `${r.diagnosis.update.id}:${r.diagnosis.verdict.bottleneck}` : '')));
    expect(verdicts.size).toBe(1);
  });

  it('one diagnosis is one round of parallel SQL statements when REST names the update', async () => {
    for (const scenario of ['cpu-saturation', 'memory', 'serverless-healthy']) {
      const s = fresh();
      const r = await whySlow(s.source, String(demo.pipelines.find((p) => p.scenario === scenario)!.pipeline.name));
      expect(r.kind, scenario).toBe('diagnosis');
      expect(s.warehouse.stats().statements, scenario).toBeGreaterThanOrEqual(4);
      expect(s.warehouse.rounds(), scenario).toBe(1);
    }
  });

  it('a different update or pipeline is collected on its own', async () => {
    const s = fresh();
    const memory = demo.pipelines.find((p) => p.scenario === 'memory')!;
    const name = String(memory.pipeline.name);
    const older = String(memory.updates[3]!.update_id);
    const replies = await Promise.all([whySlow(s.source, 'orders_silver'), whySlow(s.source, 'orders_silver'), whySlow(s.source, name), whySlow(s.source, name, ['--update', older])]);
    expect(replies.map((r) => (r.kind === 'diagnosis' ? r.diagnosis.update.id : r.kind))[3]).toBe(older);
    const sqlOfThree = s.warehouse.stats().statements;
    const t = fresh();
    await whySlow(t.source, 'orders_silver');
    const sqlOfOne = t.warehouse.stats().statements;
    expect(sqlOfThree).toBeGreaterThan(2 * sqlOfOne);
  });

  it('reuses a result for the TTL only; with TTL 0 a later call collects again', async () => {
    const cached = fresh(60_000);
    await whySlow(cached.source, 'orders_silver');
    const after1 = cached.warehouse.stats().statements;
    await whySlow(cached.source, 'orders_silver');
    expect(cached.warehouse.stats().statements).toBe(after1);

    const uncached = fresh(0);
    await whySlow(uncached.source, 'orders_silver');
    const first = uncached.warehouse.stats().statements;
    await whySlow(uncached.source, 'orders_silver');
    expect(uncached.warehouse.stats().statements).toBe(2 * first);
  });

  it('a failure is shared by the callers in flight but not cached', async () => {
    const s = fresh(60_000);
    server.faults.set({ status: 500, paths: /\/updates$|\/pipelines\/[^/]+$/ });
    const failing = await Promise.all([whySlow(s.source, 'orders_silver'), whySlow(s.source, 'orders_silver')]);
    server.faults.clear();
    expect(failing.every((r) => r.kind === 'error')).toBe(true);
    const ok = await whySlow(s.source, 'orders_silver');
    expect(ok.kind).toBe('diagnosis');
  });
});
