import { afterEach, describe, expect, it } from 'vitest';
import type { RestClientOptions } from '../../src/databricks/rest.js';
import { startDemoRestServer, type DemoChange, type DemoRestServer } from '../../src/demo/rest-server.js';
import { generateDemoWorkspace } from '../../src/demo/generate.js';
import { caught } from '../support/caught.js';
import { restClient } from '../support/rest-client.js';
import { DEMO_T0, demoRestData } from '../support/demo-rest-data.js';

const TOKEN = 'demo-token-123';
let server: DemoRestServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(extra = 0, opts: { updateDurationMs?: number } = {}) {
  server = await startDemoRestServer(demoRestData(extra), { token: TOKEN, updateDurationMs: opts.updateDurationMs ?? 150 });
  return server;
}

function clientFor(s: DemoRestServer, o: Partial<RestClientOptions> = {}) {
  return restClient({ host: s.url, auth: { kind: 'pat', token: TOKEN }, cacheTtlMs: 0, ...o });
}

async function raw(s: DemoRestServer, path: string, init: RequestInit = {}) {
  const res = await fetch(`${s.url}${path}`, { ...init, headers: { Authorization: `Bearer ${TOKEN}`, ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

async function waitFor(cond: () => boolean, ms = 3000) {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('pipelines', () => {
  it('lists pipelines ordered by id across pages, with the name LIKE filter', async () => {
    const s = await start(130);
    const { c } = clientFor(s);
    const all = await c.listPipelines();
    expect(all).toHaveLength(133);
    expect(all.slice(0, 3).map((p) => p.pipeline_id)).toEqual(['p-aaa', 'p-bbb', 'p-ccc']);
    expect(c.stats().byPath['GET /api/2.0/pipelines']).toBe(2); // 100 + 33
    const orders = await c.listPipelines({ filter: "name LIKE '%ORDERS%'" });
    expect(orders.map((p) => p.name)).toEqual(['orders_bronze', 'orders_silver']);
  });

  it('pages with page_token, omits spec from the list, and rejects max_results > 100', async () => {
    const s = await start();
    const first = await raw(s, '/api/2.0/pipelines?max_results=2');
    expect(first.body.statuses.map((p: any) => p.pipeline_id)).toEqual(['p-aaa', 'p-bbb']);
    expect(first.body.statuses[0].spec).toBeUndefined();
    const second = await raw(s, `/api/2.0/pipelines?max_results=2&page_token=${first.body.next_page_token}`);
    expect(second.body.statuses.map((p: any) => p.pipeline_id)).toEqual(['p-ccc']);
    expect(second.body.next_page_token).toBeUndefined();
    const tooMany = await raw(s, '/api/2.0/pipelines?max_results=101');
    expect(tooMany).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    const badFilter = await raw(s, `/api/2.0/pipelines?filter=${encodeURIComponent("state='IDLE'")}`);
    expect(badFilter.status).toBe(400);
  });

  it('gets a pipeline with its spec, and 404s an unknown one', async () => {
    const s = await start();
    const { c } = clientFor(s);
    const p = await c.getPipeline('p-bbb');
    expect(p.spec?.clusters?.[0]?.autoscale?.max_workers).toBe(4);
    expect(p.rawSpec?.root_path).toBe('/Workspace/etl/orders_silver');
    expect((await raw(s, '/api/2.0/pipelines/nope')).body).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: 'The specified pipeline nope was not found.',
    });
    expect((await caught(c.getPipeline('nope'))).code).toBe('PIPELINE_NOT_FOUND');
  });

  it('requires the bearer token when one is set', async () => {
    const s = await start();
    const { c } = clientFor(s, { auth: { kind: 'pat', token: 'wrong' } });
    const err = await caught(c.getPipeline('p-aaa'));
    expect(err.code).toBe('PERMISSION_DENIED');
    expect(err.message).not.toContain('wrong');
    expect((await fetch(`${s.url}/api/2.0/pipelines`)).status).toBe(401);
  });

  it('returns the cluster of a pipeline', async () => {
    const s = await start();
    const { c } = clientFor(s);
    const cl = await c.getCluster('cl-p-ccc');
    expect(cl).toMatchObject({ cluster_id: 'cl-p-ccc', node_type_id: 'i3.xlarge', autoscale: { max_workers: 2 }, cluster_source: 'PIPELINE' });
    const missing = await raw(s, '/api/2.1/clusters/get?cluster_id=zzz');
    expect(missing).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
  });
});

describe('updates', () => {
  it('lists updates newest first with paging, and gets one with its config', async () => {
    const s = await start();
    const { c } = clientFor(s);
    const ups = await c.listUpdates('p-aaa', { maxResults: 1, pages: 5 });
    expect(ups.map((u) => u.update_id)).toEqual(['p-aaa-u2', 'p-aaa-u1']);
    expect(c.stats().byPath['GET /api/2.0/pipelines/p-aaa/updates']).toBe(2);
    const one = await raw(s, '/api/2.0/pipelines/p-aaa/updates/p-aaa-u1');
    expect(one.body.update).toMatchObject({ update_id: 'p-aaa-u1', creation_time: DEMO_T0 - 86_400_000 });
    expect(one.body.update.config.name).toBe('orders_bronze');
    expect((await caught(c.getUpdate('p-aaa', 'nope'))).code).toBe('UPDATE_NOT_FOUND');
  });
});

describe('events', () => {
  it('returns the 25 newest by default, without details', async () => {
    const s = await start();
    const res = await raw(s, '/api/2.0/pipelines/p-bbb/events');
    const all = s.state.events('p-bbb');
    expect(res.body.events).toHaveLength(25);
    expect(res.body.events.map((e: any) => e.id)).toEqual(all.slice(-25).reverse().map((e) => e.id));
    expect(res.body.events.every((e: any) => !('details' in e))).toBe(true);
    expect(all.every((e) => 'details' in e)).toBe(true); // the warehouse still sees details
    expect(res.body.next_page_token).toEqual(expect.any(String));
  });

  it('pages ascending with page_token alone, returning every event once', async () => {
    const s = await start();
    const { c } = clientFor(s);
    const events = await c.listEvents('p-bbb', { maxResults: 7, orderBy: ['timestamp asc'], maxEvents: 10_000 });
    expect(events.map((e) => e.id)).toEqual(s.state.events('p-bbb').map((e) => e.id));
    expect(events.every((e) => e.details === undefined || e.details === null)).toBe(true);
    expect(c.stats().byPath['GET /api/2.0/pipelines/p-bbb/events']).toBe(Math.ceil(events.length / 7));
  });

  it('pages newest first by default, returning every event once', async () => {
    const s = await start();
    const { c } = clientFor(s);
    const events = await c.listEvents('p-ccc', { maxResults: 5, maxEvents: 10_000 });
    expect(events.map((e) => e.id)).toEqual(s.state.events('p-ccc').map((e) => e.id).reverse());
  });

  it('filters by level, level in (…) and timestamp, combined with AND', async () => {
    const s = await start();
    const { c } = clientFor(s);
    const errors = await c.listEvents('p-ccc', { filter: "level='ERROR'" });
    expect(errors.map((e) => e.level)).toEqual(['ERROR', 'ERROR']);
    expect(errors.map((e) => e.error?.exceptions?.[0]?.class_name ?? null)).toEqual([null, 'java.lang.OutOfMemoryError']); // newest first
    const since = new Date(DEMO_T0).toISOString();
    const recent = await c.listEvents('p-ccc', { filter: `level in ('WARN','ERROR') AND timestamp >= '${since}'` });
    expect(recent.map((e) => e.level).sort()).toEqual(['ERROR', 'ERROR', 'WARN']);
    expect(recent.every((e) => e.timestamp >= DEMO_T0)).toBe(true);
    expect(recent[0]!.timestamp).toBeGreaterThanOrEqual(recent[1]!.timestamp); // newest first
  });

  it('400s page_token combined with a filter, max_results > 1000 and unsupported filters', async () => {
    const s = await start();
    const first = await raw(s, '/api/2.0/pipelines/p-bbb/events?max_results=2');
    const mixed = await raw(s, `/api/2.0/pipelines/p-bbb/events?page_token=${first.body.next_page_token}&filter=${encodeURIComponent("level='INFO'")}`);
    expect(mixed).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect((await raw(s, '/api/2.0/pipelines/p-bbb/events?max_results=1001')).status).toBe(400);
    const { c } = clientFor(s);
    const err = await caught(c.listEvents('p-bbb', { filter: "event_type='flow_progress'" }));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toContain('400 INVALID_PARAMETER_VALUE');
  });
});

describe('with the generated demo workspace', () => {
  it('serves every generated pipeline, update and event through the client', async () => {
    const data = generateDemoWorkspace();
    server = await startDemoRestServer(data);
    const { c } = clientFor(server);
    const list = await c.listPipelines();
    expect(list.map((p) => p.pipeline_id)).toEqual(data.pipelines.map((p) => String(p.pipeline.pipeline_id)).sort());
    for (const dp of data.pipelines.slice(0, 4)) {
      const id = String(dp.pipeline.pipeline_id);
      const events = await c.listEvents(id, { maxResults: 1000, maxEvents: 100_000, orderBy: ['timestamp asc'] });
      expect(events).toHaveLength(dp.events.length);
      const ups = await c.listUpdates(id, { maxResults: 100, pages: 10 });
      expect(ups.map((u) => u.update_id)).toEqual(dp.updates.map((u) => u.update_id));
    }
    expect(c.stats().skippedEvents).toBe(0);
  });
});

describe('edit and start update', () => {
  it('replaces the spec with expected_last_modified, and 409s a stale one', async () => {
    const s = await start();
    const { c } = clientFor(s);
    const p = await c.getPipeline('p-bbb');
    const spec = structuredClone(p.rawSpec!) as any;
    spec.clusters[0].autoscale.max_workers = 8;
    await c.editPipeline('p-bbb', { ...spec, expected_last_modified: p.last_modified! });
    const after = await c.getPipeline('p-bbb');
    expect(after.spec?.clusters?.[0]?.autoscale?.max_workers).toBe(8);
    expect(after.rawSpec?.root_path).toBe('/Workspace/etl/orders_silver');
    expect(after.last_modified!).toBeGreaterThan(p.last_modified!);
    const err = await caught(c.editPipeline('p-bbb', { ...spec, expected_last_modified: p.last_modified! }));
    expect(err.code).toBe('CONFLICT');
  });

  it('starts an update that completes with shifted events reflecting raised max_workers', async () => {
    const s = await start(0, { updateDurationMs: 150 });
    const changes: DemoChange[] = [];
    s.state.onChange((ch) => changes.push(ch));
    const { c } = clientFor(s);
    const p = await c.getPipeline('p-bbb');
    const spec = structuredClone(p.rawSpec!) as any;
    spec.clusters[0].autoscale.max_workers = 8; // was 4
    await c.editPipeline('p-bbb', { ...spec, expected_last_modified: p.last_modified! });

    const { update_id } = await c.startUpdate('p-bbb', { cause: 'USER_ACTION' });
    expect((await caught(c.startUpdate('p-bbb'))).code).toBe('CONFLICT');
    expect((await c.getUpdate('p-bbb', update_id)).state).toBe('RUNNING');
    await waitFor(() => changes.some((ch) => ch.kind === 'update' && ch.state === 'COMPLETED'));
    expect((await c.getUpdate('p-bbb', update_id)).state).toBe('COMPLETED');
    expect((await c.listUpdates('p-bbb'))[0]?.update_id).toBe(update_id);

    const all = s.state.events('p-bbb') as any[];
    const mine = all.filter((e) => e.origin.update_id === update_id);
    const template = all.filter((e) => e.origin.update_id === 'p-bbb-u2');
    expect(mine).toHaveLength(template.length);
    expect(Date.parse(mine[0].timestamp)).toBeGreaterThan(Date.parse(template.at(-1).timestamp));
    const executors = (rows: any[]) => rows.filter((e) => e.event_type === 'cluster_resources').map((e) => e.details.cluster_resources.task_slot_metrics.num_executors);
    expect(executors(template).every((n) => n === 4)).toBe(true);
    expect(executors(mine).every((n) => n === 8)).toBe(true);
    const span = (rows: any[]) => Date.parse(rows.at(-1).timestamp) - Date.parse(rows[0].timestamp);
    expect(span(mine)).toBeLessThan(span(template));
    const appended = changes.flatMap((ch) => (ch.kind === 'events' ? ch.rows : []));
    expect(appended.map((r) => r.id)).toEqual(mine.map((e) => e.id));

    // the REST view sees the new events first (newest first), still without details
    const latest = await c.listEvents('p-bbb', { maxResults: 5, maxEvents: 5 });
    expect(latest.every((e) => e.origin?.update_id === update_id)).toBe(true);
  });

  it('a rerun with unchanged settings replays the failing scenario; raising workers fixes it', async () => {
    const s = await start(0, { updateDurationMs: 50 });
    const { c } = clientFor(s);
    const first = await c.startUpdate('p-ccc');
    await waitFor(() => s.state.updates('p-ccc')[0]?.state !== 'RUNNING');
    expect(s.state.updates('p-ccc')[0]).toMatchObject({ update_id: first.update_id, state: 'FAILED' });
    const p = await c.getPipeline('p-ccc');
    const spec = structuredClone(p.rawSpec!) as any;
    spec.clusters[0].autoscale.max_workers = 6;
    await c.editPipeline('p-ccc', { ...spec, expected_last_modified: p.last_modified! });
    const second = await c.startUpdate('p-ccc');
    expect(second.update_id).not.toBe(first.update_id);
    await waitFor(() => s.state.updates('p-ccc')[0]?.state !== 'RUNNING');
    expect(s.state.updates('p-ccc')[0]?.state).toBe('COMPLETED');
    const rows = s.state.events('p-ccc').filter((e: any) => e.origin.update_id === second.update_id);
    expect(rows.some((e) => e.level === 'ERROR')).toBe(false);
  });
});

describe('fault switches', () => {
  it('429 with Retry-After for two requests, then recovers', async () => {
    const s = await start();
    s.faults.set({ status: 429, retryAfterS: 3, count: 2 });
    const { c, sleeps } = clientFor(s);
    expect((await c.getPipeline('p-aaa')).name).toBe('orders_bronze');
    expect(sleeps).toEqual([3000, 3000]);
    expect(c.stats().byPath['GET /api/2.0/pipelines/p-aaa']).toBe(3);
  });

  it('a reset socket is retried; a permanently failing one gives a clear error', async () => {
    const s = await start();
    s.faults.set({ reset: true, count: 1 });
    const { c } = clientFor(s);
    expect((await c.getPipeline('p-aaa')).pipeline_id).toBe('p-aaa');
    s.faults.set({ reset: true, paths: /\/p-bbb$/ });
    const err = await caught(clientFor(s, { maxRetries: 1 }).c.getPipeline('p-bbb'));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toContain(`Databricks (${s.url}) could not be reached (connection failed) twice for GET /api/2.0/pipelines/p-bbb`);
    expect((await c.getPipeline('p-aaa')).pipeline_id).toBe('p-aaa'); // paths limits the fault
  });

  it('a truncated JSON body gives a clear error', async () => {
    const s = await start();
    s.faults.set({ truncate: true, count: 1 });
    const { c } = clientFor(s);
    const err = await caught(c.listPipelines());
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toBe(`Databricks (${s.url}) returned an unexpected response for GET /api/2.0/pipelines (not valid JSON)`);
    expect((await c.listPipelines()).length).toBe(3);
  });

  it('latency beyond the per-request timeout is retried; faults can be set over HTTP', async () => {
    const s = await start();
    const set = await raw(s, '/__demo/faults', { method: 'POST', body: JSON.stringify({ latencyMs: 400, count: 1 }) });
    expect(set.status).toBe(200);
    const { c, sleeps } = clientFor(s, { timeoutMs: 100 });
    const t = Date.now();
    expect((await c.getPipeline('p-aaa')).pipeline_id).toBe('p-aaa');
    expect(Date.now() - t).toBeGreaterThanOrEqual(90);
    expect(sleeps).toHaveLength(1);
    expect(c.stats().byPath['GET /api/2.0/pipelines/p-aaa']).toBe(2);

    await raw(s, '/__demo/faults', { method: 'POST', body: JSON.stringify({ status: 500 }) });
    const err = await caught(clientFor(s, { maxRetries: 2 }).c.getPipeline('p-aaa'));
    expect(err.message).toContain('answered 500 three times for GET /api/2.0/pipelines/p-aaa');
    await raw(s, '/__demo/faults', { method: 'POST', body: JSON.stringify({ clear: true }) });
    expect((await c.getPipeline('p-aaa')).pipeline_id).toBe('p-aaa');
    expect((await raw(s, '/__demo/faults', { method: 'POST', body: JSON.stringify({ status: 418 }) })).status).toBe(400);
  });
});
