/**
 * The HTTP edge: a real Bolt HTTP receiver on an ephemeral port, signed requests as Slack sends
 * them (https://docs.slack.dev/authentication/verifying-requests-from-slack), and the Web API
 * intercepted with nock 14 (which intercepts the native fetch @slack/web-api 8 uses).
 */
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSlackApp } from '../../../src/surfaces/slack/app.js';
import { fakeDiagnosisReply } from '../../support/fake-diagnosis.js';
import { fakeSource, quietLogger, slashCommand } from './helpers.js';

const SECRET = 'test-signing-secret';

function sign(body: string, ts: number, secret = SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
}

describe('Slack HTTP receiver', () => {
  const run = vi.fn(async () => {
    await new Promise((r) => setTimeout(r, 3200)); // longer than Slack's 3 s
    return fakeDiagnosisReply();
  });
  let server: Server;
  let url: string;
  let stop: () => Promise<unknown>;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1/);
    const { app } = createSlackApp({
      config: { botToken: 'xoxb-test', signingSecret: SECRET, charts: false, postIntervalMs: 0 },
      run,
      source: fakeSource,
      logger: quietLogger(),
      tokenVerificationEnabled: false,
      clientOptions: { retryConfig: { retries: 0 } },
    });
    server = (await app.start(0)) as Server;
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    stop = () => app.stop();
  });
  afterEach(() => {
    nock.cleanAll();
    run.mockClear();
  });
  afterAll(async () => {
    await stop();
    nock.enableNetConnect();
  });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

  it('answers a signed /dlt within 3 s, then posts the placeholder and replaces it with the diagnosis', async () => {
    const api = nock('https://slack.com')
      .post('/api/auth.test').optionally().reply(200, { ok: true, user_id: 'UBOT', bot_id: 'B1', team_id: 'T1' })
      .post('/api/chat.postMessage', (b: Record<string, string>) => b.channel === 'C1' && String(b.text).includes('Diagnosing `orders_silver`'))
      .reply(200, { ok: true, channel: 'C1', ts: '2000.000100' })
      .post('/api/chat.update', (b: Record<string, string>) => {
        if (b.ts !== '2000.000100') return false;
        const blocks = JSON.parse(b.blocks ?? '[]') as { type: string; text?: { text: string } }[];
        return blocks[0]?.type === 'header' && Boolean(blocks[0].text?.text.includes('orders_silver: CPU-bound')) && b.blocks!.includes('dlt_rediagnose');
      })
      .reply(200, { ok: true, channel: 'C1', ts: '2000.000100' });

    const body = new URLSearchParams(slashCommand('why-slow orders_silver') as Record<string, string>).toString();
    const ts = Math.floor(Date.now() / 1000);
    const started = Date.now();
    const res = await post(body, { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(body, ts) });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);

    for (let i = 0; i < 100 && !api.isDone(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(api.pendingMocks()).toEqual([]);
    expect(run).toHaveBeenCalledWith('why-slow orders_silver', expect.objectContaining({ surface: 'slack', channelId: 'C1' }));
  });

  it.each([
    ['a bad signature', (body: string, ts: number) => sign(body, ts, 'wrong-secret'), 0],
    ['a timestamp older than five minutes', (body: string, ts: number) => sign(body, ts), -6 * 60],
  ])('rejects %s with 401 and posts nothing', async (_name, signer, skew) => {
    const api = nock('https://slack.com').post(/\/api\/.*/).reply(200, { ok: true, ts: '1.1' });
    const body = new URLSearchParams(slashCommand('why-slow orders_silver') as Record<string, string>).toString();
    const ts = Math.floor(Date.now() / 1000) + skew;
    const res = await post(body, { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signer(body, ts) });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.isDone()).toBe(false);
    expect(run).not.toHaveBeenCalled();
  });

  it('refuses a replay of a signed request inside the five-minute window (401, nothing run or posted)', async () => {
    const api = nock('https://slack.com').post(/\/api\/.*/).times(10).reply(200, { ok: true, channel: 'C1', ts: '3000.000100' });
    const body = new URLSearchParams(slashCommand('pipelines') as Record<string, string>).toString();
    const ts = Math.floor(Date.now() / 1000) - 30;
    const headers = { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(body, ts) };
    const first = await post(body, headers);
    expect(first.status).toBe(200);
    for (let i = 0; i < 50 && run.mock.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(run).toHaveBeenCalledTimes(1);
    const replays = await Promise.all([post(body, headers), post(body, headers), post(body, headers)]);
    expect(replays.map((r) => r.status)).toEqual([401, 401, 401]);
    await new Promise((r) => setTimeout(r, 300));
    expect(run).toHaveBeenCalledTimes(1);
    // the same command signed again (a new timestamp: a new request, as Slack sends it) is served
    const ts2 = ts + 1;
    const again = await post(body, { 'x-slack-request-timestamp': String(ts2), 'x-slack-signature': sign(body, ts2) });
    expect(again.status).toBe(200);
    for (let i = 0; i < 50 && run.mock.calls.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(run).toHaveBeenCalledTimes(2);
    nock.abortPendingRequests();
    void api;
  });

  it('refuses a correctly signed request whose timestamp is more than five minutes in the future', async () => {
    const api = nock('https://slack.com').post(/\/api\/.*/).reply(200, { ok: true, ts: '1.1' });
    const body = new URLSearchParams(slashCommand('pipelines') as Record<string, string>).toString();
    const ts = Math.floor(Date.now() / 1000) + 6 * 60;
    const res = await post(body, { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(body, ts) });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.isDone()).toBe(false);
    expect(run).not.toHaveBeenCalled();
  });
});
