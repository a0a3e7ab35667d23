/**
 * Credentials a server echoes never reach chat (issue 15 item 4). The Databricks workspace (nock)
 * answers 403 with a body quoting the request's `Authorization: Bearer <OAuth access token>`, the
 * token request's `Basic base64(client_id:client_secret)` and a PAT a proxy added. The error reaches
 * every surface — Slack messages (fake Slack API), the Teams card (fake Bot Connector), the console
 * page and its SSE, CLI stdout/stderr and --json, logs — and none of them carries a credential,
 * while the message still names what failed. A Reply carrying the secrets directly (not through an
 * error) is redacted at each surface's edge too, and so is an exported bundle.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandText } from '../../commands/index.js';
import type { CommandContext, Reply } from '../../commands/types.js';
import { writeBundle } from '../../src/bundle/write.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { redactionSecretsOf, registerSecrets } from '../../src/redact.js';
import { openSource, type OpenedSource } from '../../src/sources.js';
import { runCli } from '../../src/surfaces/cli/main.js';
import { startConsole, type RunningConsole } from '../../src/surfaces/console/server.js';
import { createTeamsSurface } from '../../src/surfaces/teams/index.js';
import { slashCommand, testApp, textOf } from '../surfaces/slack/helpers.js';
import { cardText, connector, messageActivity, post, quietLogger, startHandler } from '../surfaces/teams/helpers.js';

const HOST = 'adb-9876543210987654.3.azuredatabricks.net';
const CLIENT_ID = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const CLIENT_SECRET = 'doseZ9y8X7w6V5u4T3s2R1q0Secret';
/** the OAuth access token the workspace hands out: never registered anywhere, caught by its JWT shape */
const ACCESS_TOKEN = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzcC0xIiwiYXVkIjoiZGF0YWJyaWNrcyJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
/** a PAT a proxy in between added (not this bot's credential: caught by its dapi shape) */
const PAT = 'dapi5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
const BASIC = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
const ECHO = `Request rejected. Authorization: Bearer ${ACCESS_TOKEN}; token request Authorization: Basic ${BASIC}; via proxy Authorization: Bearer ${PAT}`;
const ENV = { DATABRICKS_HOST: HOST, DATABRICKS_CLIENT_ID: CLIENT_ID, DATABRICKS_CLIENT_SECRET: CLIENT_SECRET };

/** every credential, and the recognisable parts of them */
const FORBIDDEN = [CLIENT_SECRET, ACCESS_TOKEN, ACCESS_TOKEN.split('.')[1]!, PAT, BASIC.replace(/=+$/, ''), BASIC.slice(0, 24), Buffer.from(CLIENT_SECRET).toString('base64').replace(/=+$/, '')];
function expectClean(text: string): void {
  expect(text.length).toBeGreaterThan(0);
  for (const f of FORBIDDEN) expect(text, `leaked ${f.slice(0, 12)}…`).not.toContain(f);
}
/** the error still says what failed */
const WHAT_FAILED = /Databricks .*denied .*\(403\): Request rejected\. Authorization: Bearer \[REDACTED\]/;

/** a reply carrying the secrets itself (a template rendering an echoed value), not through an error */
const SECRET_REPLY: Reply = { kind: 'text', text: `upstream said: ${ECHO} (client secret ${CLIENT_SECRET})` };

let config: Config;
let opened: OpenedSource;
let dir: string;
const run = (text: string, ctx: CommandContext) => runCommandText(text, { ...ctx, source: opened.source });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dlt-outward-'));
  const loaded = loadConfig(ENV);
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  config = loaded.config;
  // what main.ts does at start (the CLI does it itself)
  registerSecrets(redactionSecretsOf(config));
  opened = await openSource(config);
});
afterAll(async () => {
  await opened?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  rmSync(dir, { recursive: true, force: true });
});

/** the workspace: the token endpoint answers, every API call is refused with the echo */
function workspace(): void {
  nock(`https://${HOST}`).persist().post('/oidc/v1/token').reply(200, { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600 });
  nock(`https://${HOST}`).persist().get(/\/api\/.*/).reply(403, { error_code: 'PERMISSION_DENIED', message: ECHO });
}

describe('an echoed Authorization header never leaves the process', () => {
  it('CLI: stderr, stdout and --json', async () => {
    nock.disableNetConnect();
    workspace();
    for (const argv of [['pipelines'], ['pipelines', '--json']]) {
      let out = '';
      let err = '';
      const code = await runCli(argv, { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, columns: 100, env: {} }, ENV);
      expect(code).toBe(4);
      expect(err).toMatch(WHAT_FAILED);
      expectClean(err);
      if (argv.includes('--json')) {
        expect((JSON.parse(out) as { message: string }).message).toMatch(WHAT_FAILED);
        expectClean(out);
      }
    }
  });

  it('Slack: the response_url answer and chat messages', async () => {
    nock.disableNetConnect();
    workspace();
    const t = testApp(run);
    await t.receiver.send(slashCommand('pipelines'));
    const sent = t.api.calls.filter((c) => c.method !== 'auth.test').map(textOf).join('\n');
    expect(sent).toMatch(/Databricks .*denied .*\(403\)/);
    expect(sent).toContain('Bearer [REDACTED]');
    expectClean(sent);

    // the edge itself: a Reply with the secrets in it, posted and answered
    const direct = testApp(async () => SECRET_REPLY);
    await direct.receiver.send(slashCommand('why-slow orders_silver'));
    await direct.receiver.send(slashCommand('help'));
    const all = direct.api.calls.map(textOf).join('\n');
    expect(all).toContain('upstream said: Request rejected.');
    expectClean(all);
  });

  it('Teams: the card sent to the Bot Connector', async () => {
    const api = connector();
    workspace();
    const teams = createTeamsSurface({ config: null, db: null, source: opened.source, logger: quietLogger(), run, progressAfterMs: 60_000 });
    const server = await startHandler(teams.handler);
    try {
      expect((await post(server.url, messageActivity('pipelines', { conversationId: 'a:1personal', conversationType: 'personal' }))).status).toBe(200);
      await teams.bot.idle();
      const card = cardText(api.cards());
      expect(card).toMatch(/Databricks .*denied .*\(403\)/);
      expectClean(card);
      expectClean(JSON.stringify(api.calls));
    } finally {
      await server.close();
    }
    const direct = createTeamsSurface({ config: null, db: null, source: opened.source, logger: quietLogger(), run: async () => SECRET_REPLY, progressAfterMs: 60_000 });
    const server2 = await startHandler(direct.handler);
    try {
      const before = api.calls.length;
      await post(server2.url, messageActivity('why-slow x', { conversationId: 'a:2personal', conversationType: 'personal' }));
      await direct.bot.idle();
      const sent = JSON.stringify(api.calls.slice(before));
      expect(sent).toContain('upstream said');
      expectClean(sent);
    } finally {
      await server2.close();
    }
  });

  it('console: /console/state and the SSE stream', async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    workspace();
    let c: RunningConsole | undefined;
    const abort = new AbortController();
    try {
      const replies = [null, SECRET_REPLY];
      let n = 0;
      c = await startConsole({ port: 0, source: opened.source, run: async (text, ctx) => (n++ === 0 ? run(text, ctx) : replies[1]!), charts: false, postIntervalMs: 0, logger: quietLogger() });
      const url = c.url;
      let sse = '';
      const stream = await fetch(`${url}/console/events`, { signal: abort.signal });
      const reading = (async () => {
        const reader = stream.body!.getReader();
        for (;;) {
          const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
          if (done) return;
          sse += new TextDecoder().decode(value);
        }
      })();
      const token = ((await (await fetch(`${url}/console/state`)).json()) as { token: string }).token;
      const send = (text: string) => fetch(`${url}/console/command`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-console-token': token }, body: JSON.stringify({ channel: 'C_DATA_ENG', text }) });
      await send('pipelines');
      await send('why-slow x');
      const state = async () => await (await fetch(`${url}/console/state`)).text();
      for (const end = Date.now() + 8000; Date.now() < end && !((await state()).includes('upstream said') && /\(403\)/.test(await state())); ) await new Promise((r) => setTimeout(r, 50));
      const page = await state();
      expect(page).toMatch(/Databricks .*denied .*\(403\)/);
      expect(page).toContain('upstream said');
      expectClean(page);
      await new Promise((r) => setTimeout(r, 100));
      abort.abort();
      await reading;
      expect(sse).toContain('upstream said');
      expectClean(sse);
    } finally {
      abort.abort();
      await c?.close();
    }
  });

  it('logs: a line carrying the error and the echo', () => {
    const lines: string[] = [];
    const log = createLogger({ secrets: redactionSecretsOf(config), write: (l) => void lines.push(l) });
    log.error('databricks call failed', { body: ECHO, basic: BASIC, err: new Error(ECHO) });
    expect(lines.join('\n')).toContain('databricks call failed');
    expectClean(lines.join('\n'));
  });

  it('an exported bundle: every file written', async () => {
    const out = join(dir, 'bundle');
    await writeBundle(out, {
      pipeline: { pipeline_id: 'p-1', name: 'orders_silver', spec: { configuration: { note: ECHO } } },
      updates: [{ update_id: '3f2c1a7e-1b2c-4d5e-8f90-1234567890ab', state: 'FAILED' }],
      events: [{ event_type: 'update_progress', timestamp: '2026-11-27T09:00:00Z', message: ECHO, error: { exceptions: [{ message: `HTTP 403: ${ECHO}` }] } }],
    });
    const text = readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    expect(text).toContain('orders_silver');
    expect(text).toContain('3f2c1a7e-1b2c-4d5e-8f90-1234567890ab');
    expect(text).toContain('Authorization: Bearer [REDACTED]');
    expectClean(text);
    // still valid JSON / JSON lines
    expect(() => JSON.parse(readFileSync(join(out, 'pipeline.json'), 'utf8'))).not.toThrow();
    expect(() => JSON.parse(readFileSync(join(out, 'events.jsonl'), 'utf8').trim())).not.toThrow();
  });
});
