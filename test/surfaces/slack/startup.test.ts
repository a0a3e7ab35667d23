/**
 * Slack credentials at start (issue 14 item 7e): a token Slack refuses (auth.test →
 * invalid_auth / token_revoked / account_inactive, https://docs.slack.dev/reference/methods/auth.test/)
 * or a Slack that cannot be reached is one line on stderr and a distinct exit code, before
 * "running" is printed, never a stack trace. Slack's HTTP edge is nock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { runCli, type CliIo } from '../../../src/surfaces/cli/main.js';
import { checkBotToken, STARTUP_EXIT, StartupError } from '../../../src/surfaces/slack/startup-check.js';

const BOT_TOKEN = 'xoxb-1111-2222-StartupSecretToken';
const APP_TOKEN = 'xapp-1-A111-222-StartupSecretAppToken';
/** what the native fetch rejects with when the connection fails */
const fetchFailed = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(`connect ${code}`), { code }) });

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), isTTY: false, columns: 100, env: {} };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('Slack start-up check', () => {
  let dir: string;
  beforeAll(() => {
    nock.disableNetConnect();
    dir = mkdtempSync(join(tmpdir(), 'dlt-startup-'));
  });
  afterEach(() => nock.cleanAll());
  afterAll(() => {
    nock.enableNetConnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string> = {}) => ({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: 'startup-signing-secret',
    DLT_DOCTOR_DB: join(dir, `${Math.random().toString(36).slice(2)}.sqlite`),
    PORT: '0',
    LOG_LEVEL: 'error',
    ...extra,
  });

  for (const code of ['invalid_auth', 'token_revoked', 'account_inactive']) {
    it(`auth.test → ${code}: one line naming the setting and the error, exit ${STARTUP_EXIT.tokenRejected}, nothing "running"`, async () => {
      const scope = nock('https://slack.com').post('/api/auth.test').reply(200, { ok: false, error: code });
      const { io, out, err } = captureIo();
      const exit = await runCli(['start'], io, env());
      expect(scope.isDone()).toBe(true);
      expect(exit).toBe(STARTUP_EXIT.tokenRejected);
      expect(out()).not.toMatch(/running/);
      const lines = err().trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`Slack rejected SLACK_BOT_TOKEN (${code})`);
      expect(err()).not.toMatch(/\n\s+at |Error:/);
      expect(err()).not.toContain(BOT_TOKEN);
    });
  }

  it(`Slack unreachable: one line, exit ${STARTUP_EXIT.unreachable}, one attempt only`, async () => {
    const scope = nock('https://slack.com').post('/api/auth.test').replyWithError(fetchFailed('ECONNREFUSED'));
    const { io, out, err } = captureIo();
    const exit = await runCli(['start'], io, env());
    expect(scope.isDone()).toBe(true);
    expect(exit).toBe(STARTUP_EXIT.unreachable);
    expect(out()).not.toMatch(/running/);
    expect(err().trimEnd().split('\n')).toHaveLength(1);
    expect(err()).toMatch(/^Slack could not be reached at https:\/\/slack\.com\/api\/ \(ECONNREFUSED\) while checking SLACK_BOT_TOKEN/);
    expect(err()).not.toMatch(/\n\s+at /);
  });

  it('Slack answering HTTP 503 is "unreachable" too', async () => {
    nock('https://slack.com').post('/api/auth.test').reply(503, 'upstream down');
    const { io, err } = captureIo();
    expect(await runCli(['start'], io, env())).toBe(STARTUP_EXIT.unreachable);
    expect(err()).toMatch(/^Slack answered HTTP 503/);
  });

  it('SLACK_API_URL (GovSlack, a proxy) is where the check goes', async () => {
    const scope = nock('https://slack-gov.example').post('/api/auth.test').reply(200, { ok: true, user_id: 'UBOT', bot_id: 'B1', team_id: 'T1' });
    const identity = await checkBotToken(BOT_TOKEN, { apiUrl: 'https://slack-gov.example/api/' });
    expect(scope.isDone()).toBe(true);
    expect(identity).toEqual({ botId: 'B1', botUserId: 'UBOT', teamId: 'T1' });
  });

  it('SLACK_API_URL: a URL is taken into the Slack config, anything else is a configuration problem', () => {
    const ok = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'https://slack-gov.com/api/' });
    expect(ok.ok && ok.config.slack?.apiUrl).toBe('https://slack-gov.com/api/');
    const unset = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: '' });
    expect(unset.ok && unset.config.slack?.apiUrl).toBeNull();
    const bad = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'slack.com api' });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.errors.join('\n')).toContain('SLACK_API_URL');
  });

  it('a user token (auth.test without bot_id) is refused with a hint', async () => {
    nock('https://slack.com').post('/api/auth.test').reply(200, { ok: true, user_id: 'U1', team_id: 'T1' });
    const e = await checkBotToken(BOT_TOKEN).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StartupError);
    expect((e as StartupError).exitCode).toBe(STARTUP_EXIT.tokenRejected);
    expect((e as StartupError).message).toContain('xoxb-');
  });

  it('Socket Mode: apps.connections.open refusing the app token is one line and exit 5, after a good bot token', async () => {
    const scope = nock('https://slack.com')
      .post('/api/auth.test').reply(200, { ok: true, user_id: 'UBOT', bot_id: 'B1', team_id: 'T1' })
      .post('/api/apps.connections.open').reply(200, { ok: false, error: 'invalid_auth' });
    const { io, out, err } = captureIo();
    // the process's own stderr (the JSON log): no second report of the same refusal beside the line
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => Boolean(written.push(String(chunk))));
    let exit: number;
    try {
      exit = await runCli(['start'], io, env({ SLACK_SOCKET_MODE: 'true', SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '' }));
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).not.toContain('Failed to retrieve a new WSS URL');
    expect(scope.isDone()).toBe(true);
    expect(exit).toBe(STARTUP_EXIT.tokenRejected);
    expect(out()).not.toMatch(/running/);
    expect(err().trimEnd().split('\n')).toEqual(['Slack rejected SLACK_APP_TOKEN (invalid_auth): reinstall the app or fix the token.']);
  }, 30_000);

  it(`Socket Mode: Slack unreachable for apps.connections.open is one line and exit ${STARTUP_EXIT.unreachable}`, async () => {
    nock('https://slack.com')
      .post('/api/auth.test').reply(200, { ok: true, user_id: 'UBOT', bot_id: 'B1', team_id: 'T1' })
      .post('/api/apps.connections.open').times(3).replyWithError(fetchFailed('ECONNRESET'));
    const { io, out, err } = captureIo();
    const exit = await runCli(['start'], io, env({ SLACK_SOCKET_MODE: 'true', SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '' }));
    expect(exit).toBe(STARTUP_EXIT.unreachable);
    expect(out()).not.toMatch(/running/);
    expect(err().trimEnd().split('\n')).toHaveLength(1);
    expect(err()).toMatch(/^Slack could not be reached at https:\/\/slack\.com\/api\/ \(ECONNRESET\) while checking SLACK_APP_TOKEN/);
    expect(err()).not.toContain(APP_TOKEN);
  }, 30_000);
});
