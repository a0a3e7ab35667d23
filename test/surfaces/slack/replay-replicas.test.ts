/**
 * The replay guard across replicas (issue 19 item 3): two Slack apps (two bot replicas behind a
 * load balancer) with real Bolt HTTP receivers on ephemeral ports share one store, on both
 * backends. A signed request admitted by one replica is refused (401) when the same bytes reach the
 * other; a fresh request is admitted by either. The answer is the real one: `help` runs no
 * Databricks call and is acknowledged in the HTTP response.
 */
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../../src/surfaces/slack/app.js';
import { createSeenKeyStore } from '../../../src/store/seen-keys.js';
import { STATE_MIGRATIONS } from '../../../src/store/open.js';
import type { SqlDb } from '../../../src/store/sql/types.js';
import { storeBackends } from '../../support/store-backends.js';
import { fakeSource, quietLogger, slashCommand } from './helpers.js';

const SECRET = 'replica-test-signing-secret';
const sign = (body: string, ts: number) => `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;

const backends = storeBackends(STATE_MIGRATIONS);
beforeAll(() => backends.setup(), 120_000);
afterAll(() => backends.teardown());
afterEach(() => backends.cleanup());

async function replica(store: SqlDb) {
  const { app } = createSlackApp({
    config: { botToken: 'xoxb-test', signingSecret: SECRET, charts: false, postIntervalMs: 0 },
    run: async () => ({ kind: 'text', text: 'help text' }),
    source: fakeSource,
    store,
    logger: quietLogger(),
    tokenVerificationEnabled: false,
    clientOptions: { retryConfig: { retries: 0 } },
  });
  const server = (await app.start(0)) as Server;
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, stop: () => app.stop() };
}

const post = (url: string, body: string, ts: number) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(body, ts) } });

for (const backend of backends.list) {
  describe.skipIf(backend.skip)(`Slack replay guard on two replicas (${backend.name})`, () => {
    it('a request one replica admitted is refused by the other; a new one is admitted by either', async () => {
      const { a, b } = await backend.two();
      const [ra, rb] = [await replica(a), await replica(b)];
      try {
        const ts = Math.floor(Date.now() / 1000);
        const body = new URLSearchParams(slashCommand('help') as Record<string, string>).toString();
        expect((await post(ra.url, body, ts)).status).toBe(200);
        expect((await post(rb.url, body, ts)).status).toBe(401);
        expect((await post(ra.url, body, ts)).status).toBe(401);
        const other = new URLSearchParams({ ...(slashCommand('help') as Record<string, string>), trigger_id: 'another-trigger' }).toString();
        expect((await post(rb.url, other, ts)).status).toBe(200);
      } finally {
        await ra.stop();
        await rb.stop();
      }
    });

    it('the shared set: a key is seen until its ttl has passed, then it is new again; scopes are apart', async () => {
      const { a, b } = await backend.two();
      const sa = createSeenKeyStore(a, { scope: 'teams-activity', ttlMs: 600_000 });
      const sb = createSeenKeyStore(b, { scope: 'teams-activity', ttlMs: 600_000 });
      const other = createSeenKeyStore(b, { scope: 'slack-signature', ttlMs: 600_000 });
      const t = Date.parse('2026-12-04T10:00:00Z');
      const raced = await Promise.all([sa.check('19:c|1', t), sb.check('19:c|1', t), sa.check('19:c|1', t)]);
      expect(raced.filter((seen) => !seen)).toHaveLength(1);
      expect(await sb.check('19:c|1', t + 599_999)).toBe(true);
      expect(await other.check('19:c|1', t)).toBe(false);
      expect(await sb.check('19:c|1', t + 600_000)).toBe(false);
      expect(await sa.check('19:c|1', t + 600_001)).toBe(true);
    });
  });
}
