import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceSource } from '../../src/databricks/collect.js';
import { createRestClient, type RestClient } from '../../src/databricks/rest.js';
import { generateDemoWorkspace, type DemoWorkspaceData } from '../../src/demo/generate.js';
import { startDemoRestServer, type DemoRestServer } from '../../src/demo/rest-server.js';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '../../src/demo/warehouse.js';

const TOKEN = 'fleet-test-token';
let demo: DemoWorkspaceData;
let server: DemoRestServer;
let rest: RestClient;
let granted: DuckDbWarehouse;
let revoked: DuckDbWarehouse;

beforeAll(async () => {
  demo = generateDemoWorkspace();
  server = await startDemoRestServer(demo, { token: TOKEN, now: () => demo.now });
  rest = createRestClient({ host: server.url, auth: { kind: 'pat', token: TOKEN }, cacheTtlMs: 0 });
  granted = await createDuckDbWarehouse(demo);
  revoked = await createDuckDbWarehouse(demo, { revokeUpdateTimeline: true });
});
afterAll(async () => {
  await server?.close();
  await granted?.close();
  await revoked?.close();
});

const source = (warehouse: DuckDbWarehouse) =>
  createWorkspaceSource({ rest, warehouse, kind: 'demo', host: 'dbc-demo.cloud.databricks.com', now: () => demo.now });

describe('pipeline list over the update timeline', () => {
  it('uses one statement for every pipeline and says so', async () => {
    const before = granted.stats().statements;
    const all = await source(granted).listPipelines();
    expect(all.length).toBe(demo.pipelines.length);
    expect(granted.stats().statements - before).toBe(1);
    expect(new Set(all.map((p) => p.updatesSource))).toEqual(new Set(['update_timeline']));
  });

  it('with the table revoked falls back to per-pipeline statements, says so, and gives the same figures', async () => {
    const viaTimeline = await source(granted).listPipelines();
    const viaHistory = await source(revoked).listPipelines();
    expect(new Set(viaHistory.map((p) => p.updatesSource))).toEqual(new Set(['update_history']));
    const byId = new Map(viaHistory.map((p) => [p.id, p]));
    for (const p of viaTimeline) {
      const q = byId.get(p.id)!;
      expect(p.lastUpdate?.id, p.name).toBe(q.lastUpdate?.id);
      if (q.lastUpdate?.durationS != null) expect(p.lastUpdate?.durationS, p.name).toBeCloseTo(q.lastUpdate.durationS, 3);
      if (q.baselineMedianS != null) expect(p.baselineMedianS, p.name).toBeCloseTo(q.baselineMedianS, 3);
    }
  });
});
