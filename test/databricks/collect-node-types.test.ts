/**
 * The node types the workspace offers (GET /api/2.1/clusters/list-node-types) in the live source:
 * collected beside the pipeline, validated at the edge, carried in Evidence; a refusal or outage
 * leaves suggestions unchecked with a note and never fails the diagnosis. At the HTTP edge (nock)
 * and on the demo workspace.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceSource } from '../../src/databricks/collect.js';
import { createRestClient } from '../../src/databricks/rest.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { parseNodeType } from '../../src/diagnosis/fixes/instances.js';
import { generateDemoWorkspace } from '../../src/demo/generate.js';
import { startDemoRestServer } from '../../src/demo/rest-server.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';

const HOST = 'https://dbc-nodes-test.cloud.databricks.com';
const TOKEN = 'dapi-node-types-test';
const ID = '0a1b2c3d-0000-4000-8000-00000000abcd';
const T = Date.parse('2026-11-20T06:00:00Z');

const ev = (i: number, event_type: string, details: Record<string, unknown>) => ({
  id: `e${i}`,
  timestamp: new Date(T + i * 60_000).toISOString(),
  event_type,
  level: 'INFO',
  message: event_type,
  origin: { pipeline_id: ID, update_id: 'u1' },
  details,
});

/** a REST-only workspace (no warehouse): pipeline, updates, events; `nodeTypes` answers list-node-types */
function workspace(nodeTypes: (scope: nock.Interceptor) => nock.Scope) {
  const scope = nock(HOST)
    .get(`/api/2.0/pipelines/${ID}`)
    .times(2) // resolving the id, then collecting
    .reply(200, { pipeline_id: ID, name: 'orders_silver', state: 'IDLE', spec: { id: ID, name: 'orders_silver', photon: true, clusters: [{ label: 'default', node_type_id: 'i3.2xlarge', num_workers: 4 }] } })
    .get(`/api/2.0/pipelines/${ID}/updates`)
    .query(true)
    .reply(200, { updates: [{ update_id: 'u1', state: 'COMPLETED', creation_time: T }] })
    .get(`/api/2.0/pipelines/${ID}/events`)
    .query(true)
    .reply(200, { events: [ev(0, 'create_update', {}), ev(1, 'update_progress', {}), ev(30, 'update_progress', {})] });
  nodeTypes(scope.get('/api/2.1/clusters/list-node-types'));
  return createWorkspaceSource({ rest: createRestClient({ host: HOST, auth: { kind: 'pat', token: TOKEN }, cacheTtlMs: 0, maxRetries: 1, sleep: async () => undefined }), warehouse: null, kind: 'workspace', host: HOST, now: () => T + 3_600_000 });
}

describe('list-node-types at the HTTP edge', () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/(localhost|127\.0\.0\.1)/);
  });
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('is carried in the Evidence, validated (a malformed entry skipped), flags kept', async () => {
    const source = workspace((i) =>
      i.reply(200, {
        node_types: [
          { node_type_id: 'r5.4xlarge', memory_mb: 131072, num_cores: 16, category: 'Memory Optimized', is_deprecated: true },
          { node_type_id: 'r6i.4xlarge', memory_mb: 131072, num_cores: 16, category: 'Memory Optimized', node_info: { status: ['NotEnabledOnSubscription'] } },
          { node_type_id: 42 },
        ],
      }),
    );
    const e = await source.collect(ID);
    expect(e.nodeTypes?.map((n) => [n.nodeTypeId, n.deprecated, n.unavailable])).toEqual([
      ['r5.4xlarge', true, []],
      ['r6i.4xlarge', false, ['NotEnabledOnSubscription']],
    ]);
    expect(e.notes.join(' ')).not.toMatch(/list-node-types/);
  });

  it.each([
    ['403', (i: nock.Interceptor) => i.reply(403, { error_code: 'PERMISSION_DENIED', message: 'not allowed' })],
    ['500 twice', (i: nock.Interceptor) => i.times(2).reply(500, { error_code: 'INTERNAL_ERROR' })],
    ['a body that is not a list', (i: nock.Interceptor) => i.reply(200, { node_types: 'many' })],
  ])('a %s leaves suggestions unchecked with a note, and the diagnosis runs', async (_what, reply) => {
    const e = await workspace(reply).collect(ID);
    expect(e.nodeTypes ?? null).toBeNull();
    expect(e.notes.some((n) => /list-node-types\) could not be read.*not checked/.test(n))).toBe(true);
    expect(diagnose(e).update.id).toBe('u1');
  });

  it('an empty list is not a list of nothing offered: unchecked, with a note', async () => {
    const e = await workspace((i) => i.reply(200, { node_types: [] })).collect(ID);
    expect(e.nodeTypes ?? null).toBeNull();
    expect(e.notes.some((n) => /listed no node types/.test(n))).toBe(true);
  });
});

describe('list-node-types on the demo workspace', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await startDemoWorkspace({ cacheTtlMs: 0 });
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('serves an AWS list in Databricks\' shape on the 2.0 and 2.1 paths', async () => {
    for (const path of ['/api/2.1/clusters/list-node-types', '/api/2.0/clusters/list-node-types']) {
      const res = await fetch(`${ws.rest.url}${path}`, { headers: { Authorization: 'Bearer dapi-demo-workspace' } });
      const body = (await res.json()) as { node_types: { node_type_id: string; is_deprecated: boolean; memory_mb: number; num_cores: number; category: string }[] };
      expect(res.status).toBe(200);
      expect(body.node_types.length).toBeGreaterThan(20);
      for (const n of body.node_types) expect(parseNodeType(n.node_type_id)?.cloud, n.node_type_id).toBe('aws');
      // the guide's §3.1 picks are offered; older generations are listed as deprecated
      const ids = new Map(body.node_types.map((n) => [n.node_type_id, n]));
      for (const pick of ['i3.2xlarge', 'i3.4xlarge', 'r5.4xlarge', 'c5.4xlarge']) expect(ids.get(pick)?.is_deprecated, pick).toBe(false);
      expect(ids.get('c4.4xlarge')?.is_deprecated).toBe(true);
      expect(ids.get('r5.4xlarge')).toMatchObject({ memory_mb: 131072, num_cores: 16, category: 'Memory Optimized' });
    }
  });

  it('every node type a demo diagnosis suggests is one the workspace offers, not deprecated', async () => {
    const offered = new Map(ws.data.nodeTypes.map((n) => [String(n.node_type_id), n]));
    let suggested = 0;
    for (const p of ws.data.pipelines) {
      const e = await ws.source.collect(String(p.pipeline.pipeline_id));
      if (!e.pipeline.spec.serverless) expect(e.nodeTypes?.length, String(p.pipeline.name)).toBe(offered.size);
      for (const r of diagnose(e).recommendations) {
        if (r.change?.target !== 'cluster' || !/node_type_id$/.test(r.change.key)) continue;
        suggested++;
        const n = offered.get(r.change.value);
        expect(n, `${String(p.pipeline.name)}: ${r.change.value}`).toBeDefined();
        expect(n!.is_deprecated).toBe(false);
        expect(n!.node_info).toBeUndefined();
      }
    }
    expect(suggested).toBeGreaterThan(0);
  });

  it('a demo server without a node type list answers 404: a note, no filtering', async () => {
    const data = generateDemoWorkspace();
    const server = await startDemoRestServer({ pipelines: data.pipelines }, { token: TOKEN });
    try {
      const source = createWorkspaceSource({ rest: createRestClient({ host: server.url, auth: { kind: 'pat', token: TOKEN }, cacheTtlMs: 0 }), warehouse: null, kind: 'demo', host: data.host });
      const e = await source.collect(String(data.pipelines[0]!.pipeline.pipeline_id));
      expect(e.nodeTypes ?? null).toBeNull();
      expect(e.notes.some((n) => /list-node-types\) could not be read/.test(n))).toBe(true);
    } finally {
      await server.close();
    }
  });
});
