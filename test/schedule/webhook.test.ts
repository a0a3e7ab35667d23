/** POST /hooks/databricks over a real node:http server: secret checks, unwatched pipelines, bad JSON, and the incident path. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_NOW } from '../../src/demo/generate.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { createWebhookHandler, secretMatches, WebhookPayload } from '../../src/schedule/webhook.js';
import { slashCommand } from '../surfaces/slack/helpers.js';
import { harness, posts, SECRET, tempDbPath, type Harness } from './alert-support.js';

describe('webhook /hooks/databricks', () => {
  let ws: DemoWorkspace;
  let h: Harness;
  let server: Server;
  let url: string;
  let billingId: string;
  let ordersId: string;

  beforeAll(async () => {
    ws = await startDemoWorkspace();
    h = harness(ws, tempDbPath(), { ms: DEMO_NOW });
    await h.receiver.send(slashCommand('alerts on billing_failed --cost-spike 1000%'));
    server = createServer((req, res) => void h.alerts.webhook(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/databricks`;
    billingId = (await ws.source.resolvePipeline('billing_failed')).id;
    ordersId = (await ws.source.resolvePipeline('orders_silver')).id;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    h?.close();
    await ws?.close();
  });

  const post = (body: string, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it('no secret or a wrong one → 401 and nothing posted', async () => {
    const body = JSON.stringify({ pipeline_id: billingId, state: 'FAILED' });
    expect((await post(body)).status).toBe(401);
    expect((await post(body, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post(body, { 'x-dlt-doctor-secret': `${SECRET}x` })).status).toBe(401);
    expect((await post(body, { authorization: SECRET })).status).toBe(401); // not "Bearer"
    await h.alerts.webhookIdle();
    expect(h.api.of('chat.postMessage')).toHaveLength(0);
  });

  it('garbage JSON → 400 with a message; a JSON shape without a pipeline → 400', async () => {
    const bad = await post('{"pipeline_id": ', { authorization: `Bearer ${SECRET}` });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('not JSON');
    const shape = await post(JSON.stringify({ hello: 'world' }), { authorization: `Bearer ${SECRET}` });
    expect(shape.status).toBe(400);
    expect(((await shape.json()) as { error: string }).error).toContain('pipeline_id');
  });

  it('a valid call for an unwatched pipeline is acknowledged and ignored', async () => {
    const res = await post(JSON.stringify({ pipeline_id: ordersId, update_id: 'u1', event_type: 'update_failed' }), { authorization: `Bearer ${SECRET}` });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ignored: true, reason: 'no channel watches this pipeline' });
    await h.alerts.webhookIdle();
    expect(h.api.of('chat.postMessage')).toHaveLength(0);
  });

  it('a valid call for a watched pipeline opens the incident (same path as the poller), once', async () => {
    const body = JSON.stringify({ event_type: 'on-update-failure', pipeline: { pipeline_id: billingId }, update: { update_id: 'x', state: 'FAILED' } });
    const res = await post(body, { 'x-dlt-doctor-secret': SECRET });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true });
    await h.alerts.webhookIdle();
    expect(posts(h.api).parents).toHaveLength(1);
    expect(String(posts(h.api).parents[0]!.params.text)).toContain('billing_failed: update failed');
    expect(posts(h.api).replies.length).toBeGreaterThan(0);
    // a second notification and a poll: no duplicate
    await post(body, { 'x-dlt-doctor-secret': SECRET });
    await h.alerts.webhookIdle();
    await h.alerts.poller.pollOnce();
    expect(posts(h.api).parents).toHaveLength(1);
  });

  it('no secret configured → 503 (the hook is off)', async () => {
    const off = createWebhookHandler({ secret: null, isWatched: async () => true, trigger: async () => undefined });
    const s = createServer((req, res) => void off.handler(req, res));
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/hooks/databricks`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(503);
    await new Promise((r) => s.close(r));
  });

  it('payload shapes and the constant-time comparison', () => {
    expect(WebhookPayload.parse({ pipeline_id: 'p', update_id: 'u', state: 'FAILED' })).toEqual({ pipelineId: 'p', updateId: 'u', eventType: null, state: 'FAILED' });
    expect(WebhookPayload.parse({ pipeline: { id: 'p' }, update: { id: 'u' }, event_type: 'e' })).toEqual({ pipelineId: 'p', updateId: 'u', eventType: 'e', state: null });
    expect(WebhookPayload.safeParse({ pipeline_id: '' }).success).toBe(false);
    expect(secretMatches('abc', 'abc')).toBe(true);
    expect(secretMatches('abcd', 'abc')).toBe(false);
    expect(secretMatches(null, 'abc')).toBe(false);
  });
});

describe('webhook with a `*` watch: unknown pipeline ids', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await startDemoWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });
  it('looks an unknown id up in Databricks once per ten minutes, not once per call; a known id is still accepted', async () => {
    const clock = { ms: DEMO_NOW };
    const h = harness(ws, tempDbPath(), clock);
    try {
      await h.receiver.send(slashCommand('alerts on *'));
      const lookups = vi.spyOn(ws.source, 'resolvePipeline');
      const unknown = '0f0f0f0f-1111-2222-3333-444455556666';
      for (let i = 0; i < 5; i++) expect(await h.alerts.poller.isWatched(unknown)).toBe(false);
      expect(lookups.mock.calls.filter(([id]) => id === unknown)).toHaveLength(1);
      clock.ms += 11 * 60_000; // the cache is short: a pipeline created meanwhile is found
      expect(await h.alerts.poller.isWatched(unknown)).toBe(false);
      expect(lookups.mock.calls.filter(([id]) => id === unknown)).toHaveLength(2);
      const orders = (await ws.source.resolvePipeline('orders_silver')).id;
      expect(await h.alerts.poller.isWatched(orders)).toBe(true);
    } finally {
      h.close();
      vi.restoreAllMocks();
    }
  });

  it('a lookup that failed (Databricks 5xx / timeout) is not cached as unknown', async () => {
    const h = harness(ws, tempDbPath(), { ms: DEMO_NOW });
    try {
      await h.receiver.send(slashCommand('alerts on *'));
      const orders = (await ws.source.resolvePipeline('orders_silver')).id;
      const lookups = vi.spyOn(ws.source, 'resolvePipeline').mockRejectedValueOnce(new Error('HTTP 503'));
      expect(await h.alerts.poller.isWatched(orders)).toBe(false);
      expect(await h.alerts.poller.isWatched(orders)).toBe(true);
      expect(lookups).toHaveBeenCalledTimes(2);
    } finally {
      h.close();
      vi.restoreAllMocks();
    }
  });
});
