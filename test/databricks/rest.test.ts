import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRestClient, type RestClientOptions } from '../../src/databricks/rest.js';
import { caught } from '../support/caught.js';
import { restClient } from '../support/rest-client.js';

const HOST = 'https://adb-123.4.azuredatabricks.net';
const TOKEN = 'dapi-super-secret-token-0123456789';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/(localhost|127\.0\.0\.1)/);
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
});

function client(o: Partial<RestClientOptions> = {}) {
  return restClient({ host: HOST, auth: { kind: 'pat', token: TOKEN }, random: () => 0.5, ...o });
}

const pipelineBody = (id: string, extra: Record<string, unknown> = {}) => ({
  pipeline_id: id,
  name: `pipe-${id}`,
  state: 'IDLE',
  last_modified: 1_700_000_000_000,
  spec: { id, name: `pipe-${id}`, photon: true, clusters: [{ label: 'default', autoscale: { min_workers: 1, max_workers: 4 } }], root_path: '/Workspace/x' },
  unknown_new_field: { nested: true },
  ...extra,
});

const event = (i: number) => ({
  id: `ev-${i}`,
  timestamp: new Date(Date.UTC(2026, 10, 20, 6, 0, i)).toISOString(),
  event_type: 'update_progress',
  level: 'INFO',
  message: `event ${i}`,
  origin: { pipeline_id: 'p1', update_id: 'u1' },
});

describe('paging', () => {
  it('lists pipelines across pages with max_results=100, keeping the filter, reading `statuses`', async () => {
    const seen: Array<Record<string, string>> = [];
    nock(HOST)
      .get('/api/2.0/pipelines')
      .query((q) => {
        seen.push(q as Record<string, string>);
        return !q.page_token;
      })
      .reply(200, { statuses: [{ pipeline_id: 'a', name: 'orders' }], next_page_token: 'T2' })
      .get('/api/2.0/pipelines')
      .query((q) => {
        seen.push(q as Record<string, string>);
        return q.page_token === 'T2';
      })
      .reply(200, { statuses: [{ pipeline_id: 'b', name: 'orders_silver', extra: 1 }] });
    const { c } = client();
    const list = await c.listPipelines({ filter: "name LIKE '%orders%'" });
    expect(list.map((p) => p.pipeline_id)).toEqual(['a', 'b']);
    expect(seen[0]).toMatchObject({ max_results: '100', filter: "name LIKE '%orders%'" });
    expect(seen.at(-1)).toMatchObject({ page_token: 'T2', max_results: '100' });
    expect(c.stats().byPath['GET /api/2.0/pipelines']).toBe(2);
  });

  it('follows next_page_token for updates up to the number of pages asked for', async () => {
    nock(HOST)
      .get('/api/2.0/pipelines/p1/updates')
      .query({ max_results: '2' })
      .reply(200, { updates: [{ update_id: 'u5', creation_time: 5 }, { update_id: 'u4', creation_time: 4 }], next_page_token: 'N1' })
      .get('/api/2.0/pipelines/p1/updates')
      .query({ max_results: '2', page_token: 'N1' })
      .reply(200, { updates: [{ update_id: 'u3', creation_time: 3 }, { update_id: 'u2', creation_time: 2 }], next_page_token: 'N2' });
    const { c } = client();
    const ups = await c.listUpdates('p1', { maxResults: 2, pages: 2 });
    expect(ups.map((u) => u.update_id)).toEqual(['u5', 'u4', 'u3', 'u2']);
    expect(nock.isDone()).toBe(true); // the third page (N2) was not asked for
  });

  it('sends only page_token and max_results on later event pages', async () => {
    const queries: Array<Record<string, unknown>> = [];
    nock(HOST)
      .get('/api/2.0/pipelines/p1/events')
      .query((q) => {
        queries.push(q);
        return true;
      })
      .times(3)
      .reply((uri) => {
        const token = new URL(uri, HOST).searchParams.get('page_token');
        if (!token) return [200, { events: [event(1), event(2)], next_page_token: 'E2' }];
        if (token === 'E2') return [200, { events: [event(3), { garbage: true }], next_page_token: 'E3' }];
        return [200, { events: [event(4)] }];
      });
    const { c } = client();
    const events = await c.listEvents('p1', { maxResults: 2, filter: "level='INFO'", orderBy: ['timestamp asc'] });
    expect(events.map((e) => e.id)).toEqual(['ev-1', 'ev-2', 'ev-3', 'ev-4']);
    expect(events[0]?.timestamp).toBe(Date.parse(event(1).timestamp));
    expect(queries[0]).toEqual({ max_results: '2', filter: "level='INFO'", order_by: 'timestamp asc' });
    expect(queries[1]).toEqual({ page_token: 'E2', max_results: '2' });
    expect(queries[2]).toEqual({ page_token: 'E3', max_results: '2' });
    expect(c.stats().skippedEvents).toBe(1);
  });

  it('stops at maxEvents and caps max_results at 1000', async () => {
    const queries: Array<Record<string, unknown>> = [];
    nock(HOST)
      .get('/api/2.0/pipelines/p1/events')
      .query((q) => {
        queries.push(q);
        return true;
      })
      .reply(200, { events: [event(1), event(2), event(3)], next_page_token: 'more' });
    const { c } = client();
    const events = await c.listEvents('p1', { maxResults: 5000, maxEvents: 3 });
    expect(events).toHaveLength(3);
    expect(queries).toEqual([{ max_results: '3' }]);
    const big = createRestClient({ host: HOST, auth: { kind: 'pat', token: TOKEN } });
    nock(HOST).get('/api/2.0/pipelines/p2/events').query({ max_results: '1000' }).reply(200, { events: [] });
    await big.listEvents('p2', { maxResults: 5000, maxEvents: 5000 });
    expect(nock.isDone()).toBe(true);
  });
});

describe('retries', () => {
  it('honours Retry-After on 429, then succeeds', async () => {
    nock(HOST)
      .get('/api/2.0/pipelines/p1')
      .reply(429, { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' }, { 'Retry-After': '2' })
      .get('/api/2.0/pipelines/p1')
      .reply(200, pipelineBody('p1'));
    const { c, sleeps } = client();
    const p = await c.getPipeline('p1');
    expect(p.name).toBe('pipe-p1');
    expect(sleeps).toEqual([2000]);
    expect(c.stats().byPath['GET /api/2.0/pipelines/p1']).toBe(2);
  });

  it('waits 1 s on a 503 without Retry-After', async () => {
    nock(HOST).get('/api/2.0/pipelines/p1').reply(503, 'busy').get('/api/2.0/pipelines/p1').reply(200, pipelineBody('p1'));
    const { c, sleeps } = client();
    await c.getPipeline('p1');
    expect(sleeps).toEqual([1000]);
  });

  it('gives up after repeated 500s with an error naming Databricks and the call', async () => {
    nock(HOST).get('/api/2.0/pipelines/p1/updates').query(true).times(3).reply(500, { error_code: 'INTERNAL_ERROR' });
    const { c, sleeps } = client({ maxRetries: 2 });
    const err = await caught(c.listUpdates('p1'));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toBe(
      `Databricks (${HOST}) answered 500 three times for GET /api/2.0/pipelines/p1/updates; try again in a minute`,
    );
    // full jitter with random()=0.5: 0.5 × 250, 0.5 × 500
    expect(sleeps).toEqual([125, 250]);
    expect(nock.isDone()).toBe(true);
  });

  it('stops retrying when the overall deadline would pass', async () => {
    const t = 0;
    nock(HOST).get('/api/2.0/pipelines/p1').reply(429, {}, { 'Retry-After': '120' });
    const { c, sleeps } = client({ now: () => t, deadlineMs: 60_000 });
    const err = await caught(c.getPipeline('p1'));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toContain('answered 429 once for GET /api/2.0/pipelines/p1');
    expect(sleeps).toEqual([]);
  });

  it('times out a slow request and retries it', async () => {
    nock(HOST)
      .get('/api/2.0/pipelines/p1')
      .delay(500)
      .reply(200, pipelineBody('p1'))
      .get('/api/2.0/pipelines/p1')
      .reply(200, pipelineBody('p1', { name: 'second try' }));
    const { c, sleeps } = client({ timeoutMs: 50 });
    const p = await c.getPipeline('p1');
    expect(p.name).toBe('second try');
    expect(sleeps).toHaveLength(1);
  });

  it('reports a timeout when every attempt is too slow', async () => {
    nock(HOST).get('/api/2.0/pipelines/p1').times(2).delay(500).reply(200, pipelineBody('p1'));
    const { c } = client({ timeoutMs: 50, maxRetries: 1 });
    const err = await caught(c.getPipeline('p1'));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).toMatch(/did not answer within 50 ms twice for GET \/api\/2\.0\/pipelines\/p1/);
  });

  it('retries a POST on 503 (the server did not process it)', async () => {
    nock(HOST)
      .post('/api/2.0/pipelines/p1/updates')
      .reply(503, {}, { 'Retry-After': '4' })
      .post('/api/2.0/pipelines/p1/updates', { full_refresh: true })
      .reply(200, { update_id: 'u-new' });
    const { c, sleeps } = client();
    expect(await c.startUpdate('p1', { full_refresh: true })).toEqual({ update_id: 'u-new' });
    expect(sleeps).toEqual([4000]);
  });

  it('does not retry a PUT that failed with 500 (it may have been applied)', async () => {
    nock(HOST).put('/api/2.0/pipelines/p1').reply(500, {});
    const { c, sleeps } = client();
    const err = await caught(c.editPipeline('p1', { name: 'x', expected_last_modified: 1 }));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(sleeps).toEqual([]);
  });
});

describe('errors', () => {
  it('maps 404 RESOURCE_DOES_NOT_EXIST to PIPELINE_NOT_FOUND', async () => {
    nock(HOST).get('/api/2.0/pipelines/nope').reply(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Pipeline nope does not exist' });
    const err = await caught(client().c.getPipeline('nope'));
    expect(err.code).toBe('PIPELINE_NOT_FOUND');
    expect(err.message).toContain('"nope"');
  });

  it('maps 404 on an update to UPDATE_NOT_FOUND', async () => {
    nock(HOST).get('/api/2.0/pipelines/p1/updates/u9').reply(404, { error_code: 'RESOURCE_DOES_NOT_EXIST' });
    expect((await caught(client().c.getUpdate('p1', 'u9'))).code).toBe('UPDATE_NOT_FOUND');
  });

  it('maps 403 to PERMISSION_DENIED saying what to grant', async () => {
    nock(HOST).put('/api/2.0/pipelines/p1').reply(403, { error_code: 'PERMISSION_DENIED', message: 'User does not have MANAGE' });
    nock(HOST).get('/api/2.0/pipelines/p1/events').query(true).reply(403, { error_code: 'PERMISSION_DENIED' });
    const { c } = client();
    const edit = await caught(c.editPipeline('p1', {}));
    expect(edit.code).toBe('PERMISSION_DENIED');
    expect(edit.hint).toContain('CAN_MANAGE on the pipeline');
    const events = await caught(c.listEvents('p1'));
    expect(events.hint).toContain('CAN_VIEW on the pipeline');
  });

  it('maps 409 on edit to CONFLICT and sends the flat spec with expected_last_modified', async () => {
    let sent: unknown;
    nock(HOST)
      .put('/api/2.0/pipelines/p1', (b) => {
        sent = b;
        return true;
      })
      .reply(409, { error_code: 'RESOURCE_CONFLICT', message: 'Pipeline was modified' });
    const err = await caught(client().c.editPipeline('p1', { name: 'n', photon: true, expected_last_modified: 42, pipeline_id: 'p1' }));
    expect(err.code).toBe('CONFLICT');
    // the id goes in the path only, as the SDK's PipelinesAPI.update sends it (src/databricks/pipeline-edit.ts)
    expect(sent).toEqual({ name: 'n', photon: true, expected_last_modified: 42 });
  });

  it('rejects garbage JSON with a clear error that does not dump the body', async () => {
    nock(HOST).get('/api/2.0/pipelines/p1').reply(200, { pipeline_id: 12345, spec: 'SECRET-LOOKING-BODY' });
    nock(HOST).get('/api/2.0/pipelines/p2').reply(200, '<html>proxy login SECRET-LOOKING-BODY</html>');
    const { c } = client();
    const e1 = await caught(c.getPipeline('p1'));
    expect(e1.code).toBe('SOURCE_UNAVAILABLE');
    expect(e1.message).toBe(`Databricks (${HOST}) returned an unexpected response for GET /api/2.0/pipelines/p1`);
    const e2 = await caught(c.getPipeline('p2'));
    expect(e2.message).toContain('not valid JSON');
    for (const e of [e1, e2]) expect(`${e.message} ${String(e.cause)}`).not.toContain('SECRET-LOOKING-BODY');
  });

  it('keeps unknown fields out of the way and returns the raw spec for a PUT round trip', async () => {
    nock(HOST).get('/api/2.0/pipelines/p1').reply(200, pipelineBody('p1'));
    const { c } = client();
    const p = await c.getPipeline('p1');
    expect(p.spec?.clusters?.[0]?.autoscale?.max_workers).toBe(4);
    expect(p.rawSpec).toMatchObject({ root_path: '/Workspace/x' });
    (p.rawSpec as any).clusters[0].autoscale.max_workers = 99; // editing the copy must not touch the cache
    const again = await c.getPipeline('p1');
    expect((again.rawSpec as any).clusters[0].autoscale.max_workers).toBe(4);
    expect(p.last_modified).toBe(1_700_000_000_000);
  });

  it('parses GET /api/2.1/clusters/get', async () => {
    nock(HOST)
      .get('/api/2.1/clusters/get')
      .query({ cluster_id: 'c-1' })
      .reply(200, { cluster_id: 'c-1', state: 'RUNNING', node_type_id: 'i3.xlarge', num_workers: 3, whatever: [] });
    const cl = await client().c.getCluster('c-1');
    expect(cl).toMatchObject({ cluster_id: 'c-1', state: 'RUNNING', num_workers: 3 });
  });

  it('parses GET /api/2.1/clusters/list-node-types (NodeType of the SDK), skipping a malformed entry', async () => {
    nock(HOST)
      .get('/api/2.1/clusters/list-node-types')
      .reply(200, {
        node_types: [
          {
            node_type_id: 'Standard_E16s_v5', memory_mb: 131072, num_cores: 16.0, description: 'Standard_E16s_v5', instance_type_id: 'Standard_E16s_v5',
            category: 'Memory Optimized', is_deprecated: false, is_hidden: false, is_io_cache_enabled: false, photon_worker_capable: true, photon_driver_capable: true,
            node_instance_type: { instance_type_id: 'Standard_E16s_v5', local_disks: 1, local_disk_size_gb: 256 }, support_ebs_volumes: false, display_order: 3,
          },
          { node_type_id: 'Standard_DS3_v2', memory_mb: 14336, num_cores: 4, category: 'General Purpose', is_deprecated: true, node_info: { status: ['NotAvailableInRegion'] } },
          { memory_mb: 1 }, // no node_type_id
        ],
      });
    const list = await client().c.listNodeTypes();
    expect(list.map((n) => n.node_type_id)).toEqual(['Standard_E16s_v5', 'Standard_DS3_v2']);
    expect(list[0]).toMatchObject({ memory_mb: 131072, num_cores: 16, category: 'Memory Optimized', is_io_cache_enabled: false });
    expect(list[1]).toMatchObject({ is_deprecated: true, node_info: { status: ['NotAvailableInRegion'] } });
  });

  it('list-node-types: a 403 is PERMISSION_DENIED, a body without node_types an empty list', async () => {
    nock(HOST).get('/api/2.1/clusters/list-node-types').reply(403, { error_code: 'PERMISSION_DENIED', message: 'no' });
    expect((await caught(client().c.listNodeTypes())).code).toBe('PERMISSION_DENIED');
    nock(HOST).get('/api/2.1/clusters/list-node-types').reply(200, {});
    expect(await client().c.listNodeTypes()).toEqual([]);
  });
});

describe('OAuth M2M', () => {
  const CLIENT_SECRET = 'dose-very-secret-client-secret';
  const oauth = { kind: 'oauth-m2m' as const, clientId: 'sp-app-id', clientSecret: CLIENT_SECRET };
  const basic = `Basic ${Buffer.from(`sp-app-id:${CLIENT_SECRET}`).toString('base64')}`;

  it('fetches a token with client credentials, caches it, and refreshes 60 s before expiry', async () => {
    let t = 1_000_000;
    const bodies: unknown[] = [];
    let issued = 0;
    nock(HOST)
      .post('/oidc/v1/token', (b) => {
        bodies.push(b);
        return true;
      })
      .matchHeader('authorization', basic)
      .times(2)
      .reply(() => [200, { access_token: `at-${++issued}`, token_type: 'Bearer', expires_in: 3600 }]);
    const auths: string[] = [];
    nock(HOST)
      .get(/\/api\/2\.0\/pipelines\/p\d/)
      .times(3)
      .reply(function () {
        auths.push(String(this.req.headers.authorization));
        return [200, pipelineBody('p1')];
      });
    const { c } = client({ auth: oauth, now: () => t, cacheTtlMs: 0 });
    await c.getPipeline('p1');
    t += 3_000_000; // 50 min: still valid
    await c.getPipeline('p2');
    t += 541_000; // 59 min 1 s: within the last minute → refresh
    await c.getPipeline('p3');
    expect(auths).toEqual(['Bearer at-1', 'Bearer at-1', 'Bearer at-2']);
    expect(bodies[0]).toEqual({ grant_type: 'client_credentials', scope: 'all-apis' });
    expect(c.stats().byPath['POST /oidc/v1/token']).toBe(2);
  });

  it('fetches one token for many concurrent calls', async () => {
    nock(HOST).post('/oidc/v1/token').delay(20).reply(200, { access_token: 'at-1', expires_in: 3600 });
    nock(HOST).get(/\/api\/2\.0\/pipelines\/p\d/).times(5).matchHeader('authorization', 'Bearer at-1').reply(200, pipelineBody('p1'));
    const { c } = client({ auth: oauth });
    await Promise.all([1, 2, 3, 4, 5].map((i) => c.getPipeline(`p${i}`)));
    expect(c.stats().byPath['POST /oidc/v1/token']).toBe(1);
    expect(c.stats().total).toBe(6);
  });

  it('refreshes the token once on a 401', async () => {
    let issued = 0;
    nock(HOST)
      .post('/oidc/v1/token')
      .times(2)
      .reply(() => [200, { access_token: `at-${++issued}`, expires_in: 3600 }]);
    nock(HOST)
      .get('/api/2.0/pipelines/p1')
      .matchHeader('authorization', 'Bearer at-1')
      .reply(401, { error_code: 'UNAUTHENTICATED' })
      .get('/api/2.0/pipelines/p1')
      .matchHeader('authorization', 'Bearer at-2')
      .reply(200, pipelineBody('p1'));
    const { c } = client({ auth: oauth });
    expect((await c.getPipeline('p1')).pipeline_id).toBe('p1');
  });

  it('never puts the client secret or token in error messages', async () => {
    nock(HOST).post('/oidc/v1/token').reply(401, { error: 'invalid_client', error_description: `bad secret ${CLIENT_SECRET}` });
    const { c } = client({ auth: oauth });
    const err = await caught(c.getPipeline('p1'));
    expect(err.code).toBe('PERMISSION_DENIED');
    const all = `${err.message} ${err.hint ?? ''} ${String(err.cause ?? '')} ${err.stack ?? ''}`;
    expect(all).not.toContain(CLIENT_SECRET);
    expect(all).not.toContain(Buffer.from(`sp-app-id:${CLIENT_SECRET}`).toString('base64'));

    nock(HOST).get('/api/2.0/pipelines/p1').reply(401, { message: `token ${TOKEN} expired` });
    const patErr = await caught(client().c.getPipeline('p1'));
    expect(patErr.code).toBe('PERMISSION_DENIED');
    expect(`${patErr.message} ${patErr.hint ?? ''}`).not.toContain(TOKEN);
  });
});

describe('single flight and cache', () => {
  it('twenty concurrent getPipeline calls cost one HTTP call, and the result is cached', async () => {
    let t = 0;
    nock(HOST).get('/api/2.0/pipelines/p1').delay(20).reply(200, pipelineBody('p1'));
    const { c } = client({ now: () => t });
    const results = await Promise.all(Array.from({ length: 20 }, () => c.getPipeline('p1')));
    expect(new Set(results.map((r) => r.name))).toEqual(new Set(['pipe-p1']));
    expect(c.stats().byPath['GET /api/2.0/pipelines/p1']).toBe(1);
    t += 5_000;
    await c.getPipeline('p1');
    expect(c.stats().total).toBe(1);
    t += 6_000; // past the 10 s TTL
    nock(HOST).get('/api/2.0/pipelines/p1').reply(200, pipelineBody('p1', { name: 'fresh' }));
    expect((await c.getPipeline('p1')).name).toBe('fresh');
    expect(c.stats().byPath['GET /api/2.0/pipelines/p1']).toBe(2);
  });

  it('an edit invalidates the cached pipeline', async () => {
    nock(HOST)
      .get('/api/2.0/pipelines/p1')
      .reply(200, pipelineBody('p1'))
      .put('/api/2.0/pipelines/p1')
      .reply(200, {})
      .get('/api/2.0/pipelines/p1')
      .reply(200, pipelineBody('p1', { name: 'edited' }));
    const { c } = client();
    await c.getPipeline('p1');
    await c.editPipeline('p1', { name: 'edited' });
    expect((await c.getPipeline('p1')).name).toBe('edited');
  });

  it('does not cache failures', async () => {
    nock(HOST).get('/api/2.0/pipelines/p1').reply(404, {}).get('/api/2.0/pipelines/p1').reply(200, pipelineBody('p1'));
    const { c } = client();
    await caught(c.getPipeline('p1'));
    expect((await c.getPipeline('p1')).pipeline_id).toBe('p1');
  });
});
