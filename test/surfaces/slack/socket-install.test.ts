/**
 * Socket Mode with OAuth (issue 14 item 7a): the install pages are served by the bot's own HTTP
 * server on PORT, beside /healthz — Bolt's SocketModeReceiver would otherwise open a second server
 * on a hard-wired 3000. The whole start runs (startBot): apps.connections.open is nock, the
 * WebSocket is a local server that says "hello" as Slack does; the OAuth exchange (oauth.v2.access)
 * is nock; the installation lands in the SQLite store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Server as NetServer, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBot, type RunningBot } from '../../../src/main.js';

interface WsServer {
  address(): { port: number };
  on(event: 'connection', cb: (socket: { send(data: string): void }) => void): void;
  close(cb?: () => void): void;
}
// the ws package @slack/socket-mode uses (untyped here)
const { Server: WebSocketServer } = createRequire(import.meta.url)('ws') as { Server: new (o: { port: number; host: string }) => WsServer };

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('Socket Mode + OAuth: install pages on PORT, no second server', () => {
  let dir: string;
  let wss: WsServer;
  let bot: RunningBot;
  let port: number;
  const listened: unknown[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dlt-socket-'));
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => setTimeout(r, 50));
    // Slack's first frame on a Socket Mode connection (https://docs.slack.dev/apis/events-api/using-socket-mode)
    wss.on('connection', (socket) => socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' }, debug_info: { host: 'test' } })));
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1/);
    nock('https://slack.com').post('/api/apps.connections.open').reply(200, { ok: true, url: `ws://127.0.0.1:${wss.address().port}/link` });
    const spy = vi.spyOn(NetServer.prototype, 'listen');
    port = await freePort();
    bot = await startBot({
      env: {
        SLACK_SOCKET_MODE: 'true',
        SLACK_APP_TOKEN: 'xapp-1-A1-111-socketinstalltoken',
        SLACK_CLIENT_ID: '111.222',
        SLACK_CLIENT_SECRET: 'client-secret-for-test',
        SLACK_STATE_SECRET: 'state-secret-for-test',
        SLACK_ALLOWED_TEAM_IDS: 'T1',
        DLT_DOCTOR_DB: join(dir, 'bot.sqlite'),
        LOG_LEVEL: 'error',
      },
      port,
      log: () => undefined,
    });
    listened.push(...spy.mock.calls.map((c) => c[0]));
    spy.mockRestore();
  }, 60_000);

  afterAll(async () => {
    await bot?.close();
    await new Promise<void>((r) => wss.close(() => r()));
    nock.cleanAll();
    nock.enableNetConnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('nothing listens on 3000; the surface line names the install page', () => {
    const ports = listened.map((a) => (typeof a === 'object' && a !== null ? (a as { port?: unknown }).port : a));
    expect(ports).not.toContain(3000);
    expect(ports).toContain(port);
    expect(bot.surfaces).toContain('Slack (Socket Mode; install pages on /slack/install)');
  });

  it('/slack/install on PORT redirects to Slack with every scope; /slack/oauth_redirect stores the installation', async () => {
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);

    const install = await fetch(`http://127.0.0.1:${port}/slack/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const location = new URL(install.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(location.searchParams.get('client_id')).toBe('111.222');
    expect(location.searchParams.get('scope')!.split(',')).toContain('channels:join');
    const state = location.searchParams.get('state')!;
    const cookie = install.headers.get('set-cookie')!.split(';')[0]!;

    const exchange = nock('https://slack.com')
      .post('/api/oauth.v2.access', (b: Record<string, string>) => b.code === 'the-code' && b.client_id === '111.222')
      .reply(200, { ok: true, app_id: 'A1', authed_user: { id: 'U1' }, scope: 'commands,chat:write', token_type: 'bot', access_token: 'xoxb-installed-token', bot_user_id: 'UBOT', team: { id: 'T1', name: 'Acme' }, enterprise: null, is_enterprise_install: false })
      .post('/api/auth.test').reply(200, { ok: true, user_id: 'UBOT', bot_id: 'B1', team_id: 'T1' });
    const callback = await fetch(`http://127.0.0.1:${port}/slack/oauth_redirect?code=the-code&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: 'manual' });
    expect(callback.status).toBe(200);
    expect(exchange.isDone()).toBe(true);
    const row = (await bot.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM slack_installations'))!;
    expect(row.n).toBe(1);
  });
});
