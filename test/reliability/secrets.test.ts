/**
 * Secrets never leave the process in a log line or a chat message. A full scenario runs the bot
 * (startBot) with known secrets in its environment, at LOG_LEVEL=debug: signed and forged Slack
 * requests, a Databricks workspace answering 401 (nock), the OAuth M2M token endpoint refusing,
 * an error logged with a secret inside it. Every line written to stdout/stderr or the console and
 * every request sent to Slack is captured and searched for every secret.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBot, type RunningBot } from '../../src/main.js';
import { createLogger, createRedactor, REDACTED, secretsOf } from '../../src/log.js';
import { loadConfig } from '../../src/config.js';

const HOST = 'adb-1234567890123456.7.azuredatabricks.net';
const S = {
  DATABRICKS_TOKEN: 'dapi0123456789abcdef0123456789abcd',
  DATABRICKS_CLIENT_SECRET: 'doseA1b2C3d4E5f6G7h8I9j0-oauth',
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-SeCrEtBoTtOkEn',
  SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
  SLACK_APP_TOKEN: 'xapp-1-A111-222-SeCrEtApPtOkEn',
  SLACK_CLIENT_SECRET: 'slack-client-secret-3f2e1d',
  SLACK_STATE_SECRET: 'slack-state-secret-9a8b7c',
  TEAMS_APP_PASSWORD: 'teams~App.Password_55511',
  DLT_DOCTOR_WEBHOOK_SECRET: 'whsec-webhook-secret-77a',
} as const;
const SECRETS = Object.values(S);

/** every form a secret could take in a captured line */
const forms = (s: string) => [s, encodeURIComponent(s), Buffer.from(s).toString('base64').replace(/=+$/, '')];

function leaks(texts: readonly string[]): { secret: string; text: string }[] {
  const out: { secret: string; text: string }[] = [];
  for (const text of texts)
    for (const secret of SECRETS) if (forms(secret).some((f) => text.includes(f))) out.push({ secret, text: text.slice(0, 300) });
  return out;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const sign = (body: string, ts: number, secret: string) => `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;

function slashBody(text: string) {
  return new URLSearchParams({
    command: '/dlt', text, channel_id: 'C1', channel_name: 'data-eng', user_id: 'U1', user_name: 'ana', team_id: 'T1', team_domain: 'acme',
    api_app_id: 'A1', response_url: 'https://hooks.slack.com/commands/T1/1/abc', trigger_id: 'trig', token: 'legacy',
  }).toString();
}

describe('no secret in any log line or chat message', () => {
  const captured: string[] = [];
  const slackRequests: string[] = [];
  let dir: string;
  const restore: (() => void)[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dlt-secrets-'));
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      const spy = vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
        captured.push(String(chunk));
        return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write);
      restore.push(() => spy.mockRestore());
    }
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[level];
      const spy = vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        captured.push(format(...args));
        original(...args);
      });
      restore.push(() => spy.mockRestore());
    }
    const record = (uri: string, body: unknown) => {
      let text = typeof body === 'string' ? body : JSON.stringify(body);
      if (typeof body === 'string' && !body.startsWith('{')) {
        // a form body: drop `token`, the credential @slack/web-api sends to Slack itself (auth.test); the rest is content
        const form = new URLSearchParams(body);
        form.delete('token');
        text = form.toString();
      }
      slackRequests.push(`${uri}\n${decodeURIComponent(text.replace(/\+/g, ' '))}`);
    };
    nock('https://slack.com').persist().post(/\/api\/.*/).reply(function (uri, body) {
      record(uri, body);
      // every request to Slack carries the bot token in its Authorization header: that is where it belongs
      const method = uri.replace('/api/', '');
      if (method === 'auth.test') return [200, { ok: true, user_id: 'UBOT', bot_id: 'B1', team_id: 'T1' }];
      return [200, { ok: true, channel: 'C1', ts: `${Date.now() / 1000}` }];
    });
    nock('https://hooks.slack.com').persist().post(/.*/).reply(function (uri, body) {
      record(uri, body);
      return [200, 'ok'];
    });
    // the workspace refuses every credential
    nock(`https://${HOST}`).persist().get(/.*/).reply(401, { error_code: 'UNAUTHENTICATED', message: 'Invalid access token.' });
    nock(`https://${HOST}`).persist().post('/oidc/v1/token').reply(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
  });
  afterAll(() => {
    for (const r of restore.reverse()) r();
    nock.cleanAll();
    nock.enableNetConnect();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => undefined);

  async function scenario(env: Record<string, string>, steps: (bot: RunningBot, port: number) => Promise<void>) {
    const port = await freePort();
    const logLines: string[] = [];
    const bot = await startBot({ env: { LOG_LEVEL: 'debug', DLT_DOCTOR_DB: join(dir, `${port}.sqlite`), ...env }, port, log: (l) => void logLines.push(l) });
    try {
      await steps(bot, port);
    } finally {
      await bot.close();
      captured.push(...logLines);
    }
  }

  const post = (port: number, body: string, headers: Record<string, string>) =>
    fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

  async function until(cond: () => boolean, ms = 8000) {
    for (const end = Date.now() + ms; Date.now() < end && !cond(); ) await new Promise((r) => setTimeout(r, 50));
  }

  it('PAT + Slack bot token: signed and forged commands, a Databricks 401, an error carrying a secret', async () => {
    await scenario(
      {
        DATABRICKS_HOST: HOST,
        DATABRICKS_TOKEN: S.DATABRICKS_TOKEN,
        SLACK_BOT_TOKEN: S.SLACK_BOT_TOKEN,
        SLACK_SIGNING_SECRET: S.SLACK_SIGNING_SECRET,
        SLACK_APP_TOKEN: S.SLACK_APP_TOKEN,
        TEAMS_APP_ID: 'teams-app-id',
        TEAMS_TENANT_ID: '00000000-0000-0000-0000-000000000001',
        TEAMS_APP_PASSWORD: S.TEAMS_APP_PASSWORD,
        DLT_DOCTOR_WEBHOOK_SECRET: S.DLT_DOCTOR_WEBHOOK_SECRET,
      },
      async (bot, port) => {
        const before = slackRequests.length;
        const body = slashBody('why-slow orders_silver');
        const ts = Math.floor(Date.now() / 1000);
        const ok = await post(port, body, { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(body, ts, S.SLACK_SIGNING_SECRET) });
        expect(ok.status).toBe(200);
        // the 401 reaches the channel as a message naming what failed
        await until(() => slackRequests.slice(before).some((r) => r.includes('rejected the credentials')));
        const answer = slackRequests.slice(before).find((r) => r.includes('rejected the credentials'));
        expect(answer, slackRequests.slice(before).join('\n---\n').slice(0, 2000)).toBeDefined();
        expect(answer).toMatch(/GET \/api\/2\.0\/pipelines \(401\)/);

        const forged = await post(port, body, { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(body, ts, 'guess') });
        expect(forged.status).toBe(401);

        // Teams without a Bot Framework token, and the webhook with a wrong secret
        const teams = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'dlt why-slow orders_silver' }) });
        expect(teams.status).toBe(401);
        const hook = await fetch(`http://127.0.0.1:${port}/hooks/databricks`, { method: 'POST', headers: { authorization: 'Bearer wrong-secret' }, body: '{}' });
        expect(hook.status).toBe(401);

        // a library that puts a secret in an error: the log still shows none of it
        bot.logger.error('driver failed', { err: new Error(`connect to ${HOST} with Bearer ${S.DATABRICKS_TOKEN} failed; app ${S.SLACK_APP_TOKEN}`), config: bot.config });
        bot.logger.warn(`webhook signature mismatch for secret ${S.DLT_DOCTOR_WEBHOOK_SECRET} / ${S.TEAMS_APP_PASSWORD}`);
      },
    );
  });

  it('OAuth M2M + Slack OAuth install: token endpoint refusing, install page, unauthorised team', async () => {
    await scenario(
      {
        DATABRICKS_HOST: HOST,
        DATABRICKS_CLIENT_ID: 'sp-client-id',
        DATABRICKS_CLIENT_SECRET: S.DATABRICKS_CLIENT_SECRET,
        SLACK_CLIENT_ID: '111.222',
        SLACK_CLIENT_SECRET: S.SLACK_CLIENT_SECRET,
        SLACK_STATE_SECRET: S.SLACK_STATE_SECRET,
        SLACK_SIGNING_SECRET: S.SLACK_SIGNING_SECRET,
      },
      async (bot, port) => {
        const install = await fetch(`http://127.0.0.1:${port}/slack/install`, { redirect: 'manual' });
        expect(install.status).toBeLessThan(500);
        const body = slashBody('pipelines');
        const ts = Math.floor(Date.now() / 1000);
        const res = await post(port, body, { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(body, ts, S.SLACK_SIGNING_SECRET) });
        expect([200, 401, 500]).toContain(res.status); // no installation for T1: Bolt refuses to authorize
        // the source itself, with the OAuth secret refused
        const reply = await bot.opened.source.listPipelines().then(() => null, (e: unknown) => e as Error);
        expect(reply?.message).toMatch(/401|rejected/);
        bot.logger.error('token exchange failed', { err: reply, basic: `Basic ${Buffer.from(`sp-client-id:${S.DATABRICKS_CLIENT_SECRET}`).toString('base64')}` });
        bot.logger.info(`state secret ${S.SLACK_STATE_SECRET} client secret ${S.SLACK_CLIENT_SECRET}`);
      },
    );
  });

  it('nothing captured contains a secret (and the scenario did produce logs and Slack traffic)', () => {
    expect(captured.length).toBeGreaterThan(5);
    expect(slackRequests.length).toBeGreaterThan(1);
    // the JSON lines are there, redacted where a secret was
    expect(captured.some((l) => l.includes(REDACTED))).toBe(true);
    expect(leaks(captured)).toEqual([]);
    expect(leaks(slackRequests)).toEqual([]);
  });
});

describe('redaction', () => {
  it('secretsOf lists every secret variable of the configuration', () => {
    const pat = loadConfig({ DATABRICKS_HOST: HOST, DATABRICKS_TOKEN: S.DATABRICKS_TOKEN, SLACK_BOT_TOKEN: S.SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET: S.SLACK_SIGNING_SECRET, SLACK_APP_TOKEN: S.SLACK_APP_TOKEN, TEAMS_APP_ID: 'x', TEAMS_TENANT_ID: '00000000-0000-0000-0000-000000000001', TEAMS_APP_PASSWORD: S.TEAMS_APP_PASSWORD, DLT_DOCTOR_WEBHOOK_SECRET: S.DLT_DOCTOR_WEBHOOK_SECRET });
    const oauth = loadConfig({ DATABRICKS_HOST: HOST, DATABRICKS_CLIENT_ID: 'id', DATABRICKS_CLIENT_SECRET: S.DATABRICKS_CLIENT_SECRET, SLACK_CLIENT_ID: 'c', SLACK_CLIENT_SECRET: S.SLACK_CLIENT_SECRET, SLACK_STATE_SECRET: S.SLACK_STATE_SECRET, SLACK_SIGNING_SECRET: S.SLACK_SIGNING_SECRET });
    if (!pat.ok || !oauth.ok) throw new Error('config');
    expect(new Set([...secretsOf(pat.config), ...secretsOf(oauth.config)])).toEqual(new Set(SECRETS));
  });

  it.each([
    ['a Databricks PAT nobody registered', 'token dapi9f8e7d6c5b4a39281706f5e4d3c2b1a0 rejected', 'dapi9f8e7d6c5b4a'],
    ['a Slack bot token', 'posting with xoxb-9-9-abcdefABCDEF failed', 'xoxb-9-9'],
    ['a Slack app token', 'socket xapp-1-A9-9-abcdef', 'xapp-1-A9'],
    ['a Bearer header', 'Authorization: Bearer eyJhbGciOi.payload.sig', 'eyJhbGciOi'],
    ['a token field', '{"access_token":"abcdef123456","expires_in":3600}', 'abcdef123456'],
    ['a PEM private key (as JSON-escaped in a line)', JSON.stringify({ msg: 'bad key', key: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n' }), 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'],
    ['an RSA private key cut short', 'read -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAtruncatedKeyBody', 'MIIEpAIBAAKCAQEAtruncated'],
  ])('redacts %s', (_name, text, secret) => {
    const out = createRedactor().redact(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it('redacts registered values in fields, nested errors and JSON-escaped forms; keeps the rest', () => {
    const lines: string[] = [];
    const secret = 'p"a\\ss-w0rd!';
    const log = createLogger({ secrets: [secret], write: (l) => void lines.push(l) });
    log.error('login failed', { err: new Error(`bad ${secret}`, { cause: { detail: secret } }), user: 'ana' });
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: 'error', msg: 'login failed', user: 'ana' });
    expect(lines[0]).not.toContain('w0rd');
    expect(typeof parsed.time).toBe('string');
  });

  it('levels: below the threshold nothing is written; a throwing sink never throws to the caller', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', write: (l) => void lines.push(l) });
    log.info('quiet');
    log.warn('loud');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['loud']);
    const broken = createLogger({ write: () => { throw new Error('EPIPE'); } });
    expect(() => broken.error('x')).not.toThrow();
  });
});
