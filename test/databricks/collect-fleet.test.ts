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
  it('uses two statements for every pipeline (update timeline, backlogs) and says so', async () => {
    const before = granted.stats().statements;
    const all = await source(granted).listPipelines();
    expect(all.length).toBe(demo.pipelines.length);
    expect(granted.stats().statements - before).toBe(2);
    expect(new Set(all.map((p) => p.updatesSource))).toEqual(new Set(['update_timeline']));
  });

  it('with the table revoked stays on the REST pages (no statement per pipeline), says so, and gives the same last updates', async () => {
    const viaTimeline = await source(granted).listPipelines();
    const src = source(revoked);
    const before = revoked.stats().statements;
    const calls0 = rest.stats().total;
    const viaRest = await src.listPipelines();
    // the refused fleet statement and the backlog statement, nothing per pipeline; the REST list's own pages only
    expect(revoked.stats().statements - before).toBe(2);
    expect(rest.stats().total - calls0).toBe(Math.ceil(demo.pipelines.length / 100));
    expect(new Set(viaRest.map((p) => p.updatesSource))).toEqual(new Set(['rest_no_timeline']));
    const byId = new Map(viaRest.map((p) => [p.id, p]));
    for (const p of viaTimeline) {
      const q = byId.get(p.id)!;
      expect(q.lastUpdate?.id, p.name).toBe(p.lastUpdate?.id);
      expect(q.lastUpdate?.state, p.name).toBe(p.lastUpdate?.state);
      expect(q.baselineMedianS, p.name).toBeNull();
    }
    // the refusal is remembered: the next list costs the backlog statement only
    const again = revoked.stats().statements;
    await src.listPipelines();
    expect(revoked.stats().statements).toBe(again + 1);
  });

  it('the timeline gives durations and baselines where it has them', async () => {
    const all = await source(granted).listPipelines();
    expect(all.some((p) => p.baselineMedianS !== null)).toBe(true);
    expect(all.some((p) => p.lastUpdate?.durationS != null)).toBe(true);
  });
});

describe('pipeline list: streams falling behind (fleet-backlog.sql)', () => {
  it('flags the stream whose backlog grew through its latest update, and no other pipeline', async () => {
    const all = await source(granted).listPipelines();
    // labels from the demo's scenario definitions (docs/demo-workspace.md): only telemetry_stream
    // is written as a stream falling behind its source (backlog 2 GB → 40 GB in an hour)
    const flagged = all.filter((p) => p.backlog).map((p) => p.name);
    expect(flagged).toEqual(['telemetry_stream']);
    const t = all.find((p) => p.name === 'telemetry_stream')!;
    expect(t.backlog!.updateId).toBe(t.lastUpdate!.id);
    expect(t.backlog!.metric).toBe('bytes');
    expect(t.backlog!.to / t.backlog!.from).toBeGreaterThan(4);
    expect(new Set(all.map((p) => p.backlogSource))).toEqual(new Set(['pipeline_events']));
  });

  it('without a pipeline events table says the backlogs were not read, and asks once per retry period', async () => {
    const none = await createDuckDbWarehouse(demo, { pipelineEventsTables: [] });
    try {
      const src = source(none);
      const first = await src.listPipelines();
      expect(new Set(first.map((p) => p.backlogSource))).toEqual(new Set(['unavailable']));
      expect(first.every((p) => p.backlog === undefined)).toBe(true);
      const before = none.stats().statements;
      await src.listPipelines();
      // the timeline statement only: the refused backlog statement is remembered
      expect(none.stats().statements - before).toBe(1);
    } finally {
      await none.close();
    }
  });
});
