/**
 * Slack with OAuth and two installed workspaces, end to end through `npm start`'s wiring (startBot
 * over the demo workspace): a plain workspace (T_ACME) and an Enterprise Grid org-wide install
 * (E_GLOBEX, requests from its workspace T_GLOBEX_1) are in the installation store, in Bolt's
 * Installation shape. Each watches billing_failed and subscribes to a digest with a signed slash
 * command; then an alert poll, a digest tick and (from the org) Apply run. The Web API is
 * intercepted with nock at https://slack.com/api/: every proactive call (chat.postMessage,
 * chat.update, files.*) carries its own workspace's bot token and goes to its own channel only.
 *
 * Before issue 14 item 4 these posts went through the App's client, which has no token in OAuth
 * mode: no Authorization header, Slack answers not_authed.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Installation } from '@slack/bolt';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../../src/main.js';
import { openDb } from '../../../src/store/db.js';
import { createSlackInstallationStore } from '../../../src/store/slack-installations.js';
import { teamInstall } from '../../support/slack-install.js';

const SIGNING = 'multi-ws-signing-secret';
const ACME = { token: 'xoxb-acme-1111', channel: 'C_ACME', team: 'T_ACME', user: 'U_ACME' };
const GLOBEX = { token: 'xoxb-globex-2222', channel: 'C_GLOBEX', team: 'T_GLOBEX_1', enterprise: 'E_GLOBEX', user: 'U_GLOBEX' };

/** An Enterprise Grid org-wide installation (Bolt's Installation<'v2', true>: no team, isEnterpriseInstall). */
function orgInstall(enterprise: string, token: string): Installation<'v2', true> {
  return {
    team: undefined,
    enterprise: { id: enterprise, name: `org ${enterprise}` },
    user: { id: 'U_ADMIN', token: undefined, scopes: undefined },
    bot: { token, scopes: ['commands', 'chat:write'], id: 'B2', userId: 'UBOT2' },
    tokenType: 'bot',
    isEnterpriseInstall: true,
    appId: 'A1',
    authVersion: 'v2',
  };
}

interface SlackCall {
  method: string;
  auth: string | undefined;
  params: Record<string, string>;
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

const sign = (body: string, ts: number) => `v0=${createHmac('sha256', SIGNING).update(`v0:${ts}:${body}`).digest('hex')}`;

describe('Slack OAuth with two workspaces: each gets its own alerts, digests and apply with its own token', () => {
  let dir: string;
  let bot: RunningBot;
  let port: number;
  const calls: SlackCall[] = [];
  const responses: { url: string; body: string }[] = [];
  let ts = 5000;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dlt-multi-ws-'));
    const dbPath = join(dir, 'doctor.sqlite');
    // both installed (as /slack/oauth_redirect would store them) before the bot starts
    const db = openDb(dbPath);
    const store = createSlackInstallationStore(db);
    await store.storeInstallation(teamInstall(ACME.team, ACME.token));
    await store.storeInstallation(orgInstall(GLOBEX.enterprise, GLOBEX.token));
    db.close();

    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    nock('https://slack.com')
      .persist()
      .post(/^\/api\/.*/)
      .reply(function (uri, body) {
        const method = uri.replace(/^\/api\//, '');
        const params = Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : ''));
        const headers = this.req.headers as Record<string, string | string[] | undefined>;
        const auth = headers.authorization;
        calls.push({ method, auth: Array.isArray(auth) ? auth[0] : auth, params });
        if (!auth) return [200, { ok: false, error: 'not_authed' }];
        switch (method) {
          case 'chat.postMessage':
            return [200, { ok: true, channel: params.channel, ts: `${++ts}.000100` }];
          case 'chat.update':
            return [200, { ok: true, channel: params.channel, ts: params.ts }];
          case 'views.open':
          case 'views.update':
            // as Slack answers (https://docs.slack.dev/reference/methods/views.open): the view with its id and hash
            return [200, { ok: true, view: { id: 'V1', hash: `h${++ts}` } }];
          case 'files.getUploadURLExternal':
            return [200, { ok: true, upload_url: 'https://files.slack.com/upload/v1/abc', file_id: 'F1' }];
          case 'files.completeUploadExternal':
            return [200, { ok: true, files: [{ id: 'F1' }] }];
          default:
            return [200, { ok: true }];
        }
      });
    nock('https://files.slack.com').persist().post(/.*/).reply(200, 'OK');
    nock('https://hooks.slack.com')
      .persist()
      .post(/.*/)
      .reply(function (uri, body) {
        responses.push({ url: uri, body: typeof body === 'string' ? body : JSON.stringify(body) });
        return [200, 'ok'];
      });

    port = await freePort();
    bot = await startBot({
      env: {
        DLT_DOCTOR_DB: dbPath,
        LOG_LEVEL: 'error',
        SLACK_CLIENT_ID: '111.222',
        SLACK_CLIENT_SECRET: 'client-secret',
        SLACK_STATE_SECRET: 'state-secret',
        SLACK_SIGNING_SECRET: SIGNING,
        SLACK_ALLOWED_TEAM_IDS: `${ACME.team},${GLOBEX.enterprise}`,
        DLT_DOCTOR_APPLY_ALLOWED_USERS: GLOBEX.user,
      },
      port,
      log: () => undefined,
    });
    expect(bot.slack?.mode.auth).toBe('oauth');
    bot.alerts.stop(); // the test polls by itself
  }, 60_000);

  afterAll(async () => {
    await bot?.close();
    nock.cleanAll();
    nock.enableNetConnect();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const post = async (form: Record<string, string>) => {
    const body = new URLSearchParams(form).toString();
    const t = Math.floor(Date.now() / 1000);
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(t), 'x-slack-signature': sign(body, t) },
    });
    expect(res.status).toBe(200);
  };
  const slash = (ws: typeof ACME | typeof GLOBEX, text: string) =>
    post({
      command: '/dlt',
      text,
      channel_id: ws.channel,
      channel_name: 'alerts',
      user_id: ws.user,
      user_name: 'someone',
      team_id: ws.team,
      team_domain: ws.team.toLowerCase(),
      ...('enterprise' in ws ? { enterprise_id: ws.enterprise, enterprise_name: 'Globex', is_enterprise_install: 'true' } : {}),
      api_app_id: 'A1',
      response_url: `https://hooks.slack.com/commands/${ws.team}/1/${ws.channel}`,
      trigger_id: 'trig',
      token: 'legacy',
    });
  const until = async (cond: () => boolean, ms = 10_000) => {
    for (const end = Date.now() + ms; Date.now() < end && !cond(); ) await new Promise((r) => setTimeout(r, 50));
    expect(cond()).toBe(true);
  };
  /** the proactive calls that name a channel: each must carry that channel's workspace token */
  const tokenOf = (channel: string | undefined) => (channel === ACME.channel ? `Bearer ${ACME.token}` : channel === GLOBEX.channel ? `Bearer ${GLOBEX.token}` : 'unknown channel');
  const channelOf = (c: SlackCall) => c.params.channel ?? c.params.channel_id;

  it('subscriptions and watches made in each workspace record that installation', async () => {
    for (const ws of [ACME, GLOBEX]) {
      await slash(ws, 'alerts on billing_failed --cost-spike 1000%');
      await slash(ws, 'digest subscribe daily --tz UTC');
    }
    await until(() => responses.length >= 4);
    const watches = await bot.alerts.store.watches();
    expect(watches.map((w) => [w.channel, w.slack])).toEqual([
      [ACME.channel, { teamId: ACME.team, enterpriseId: null, isEnterpriseInstall: false }],
      [GLOBEX.channel, { teamId: GLOBEX.team, enterpriseId: GLOBEX.enterprise, isEnterpriseInstall: true }],
    ]);
    const subs = await bot.digests.list({ surface: 'slack' });
    expect(subs.map((s) => [s.channel, s.slack?.teamId, s.slack?.enterpriseId, s.slack?.isEnterpriseInstall]).sort()).toEqual([
      [ACME.channel, ACME.team, null, false],
      [GLOBEX.channel, GLOBEX.team, GLOBEX.enterprise, true],
    ]);
  });

  it('an alert poll posts each workspace its alert and diagnosis thread with its own token, nowhere else', async () => {
    const before = calls.length;
    const report = await bot.alerts.poller.pollOnce();
    expect(report.posted).toBeGreaterThanOrEqual(2);
    const mine = calls.slice(before).filter((c) => c.method === 'chat.postMessage');
    for (const ws of [ACME, GLOBEX]) {
      const parents = mine.filter((c) => c.params.channel === ws.channel && !c.params.thread_ts && c.params.text?.includes('billing_failed'));
      expect(parents, ws.channel).toHaveLength(1);
      // the diagnosis in the alert's thread, with the same token
      expect(mine.some((c) => c.params.channel === ws.channel && c.params.thread_ts)).toBe(true);
    }
    for (const c of mine) expect(c.auth, `${c.method} to ${channelOf(c)}`).toBe(tokenOf(channelOf(c)));
    const incidents = await bot.alerts.store.incidents(GLOBEX.channel);
    expect(incidents[0]?.slack).toEqual({ teamId: GLOBEX.team, enterpriseId: GLOBEX.enterprise, isEnterpriseInstall: true });
  }, 60_000);

  it('a digest tick posts each subscription (message + chart upload) with its own workspace token', async () => {
    for (const sub of await bot.digests.list({ surface: 'slack' })) {
      const before = calls.length;
      expect(await bot.digests.tick(sub.id)).toBe('posted');
      const mine = calls.slice(before);
      const message = mine.find((c) => c.method === 'chat.postMessage');
      expect(message?.params.channel).toBe(sub.channel);
      const expected = tokenOf(sub.channel);
      for (const c of mine) expect(c.auth, `${c.method} for ${sub.channel}`).toBe(expected);
      // the chart: getUploadURLExternal + completeUploadExternal into that channel, same token
      const complete = mine.find((c) => c.method === 'files.completeUploadExternal');
      expect(complete?.params.channel_id).toBe(sub.channel);
      expect(mine.some((c) => c.method === 'files.getUploadURLExternal')).toBe(true);
    }
  }, 60_000);

  /** the alert's incident in this workspace's channel and the value of the Apply button in its thread */
  async function applyButton(channel: string) {
    const incident = (await bot.alerts.store.incidents(channel)).find((i) => i.pipelineName === 'billing_failed')!;
    const withApply = calls.find((c) => c.method === 'chat.postMessage' && c.params.channel === channel && c.params.thread_ts === incident.threadTs && (c.params.blocks ?? '').includes('"action_id":"dlt_apply"'))!;
    expect(withApply).toBeDefined();
    type Btn = { action_id?: string; value?: string };
    const buttons: Btn[] = [];
    JSON.parse(withApply.params.blocks!, (_k, v: unknown) => {
      if (v && typeof v === 'object' && (v as Btn).action_id === 'dlt_apply') buttons.push(v as Btn);
      return v;
    });
    return { incident, value: buttons[0]!.value! };
  }

  it('Apply refused in the plain workspace: the ephemeral refusal goes to its channel with its token; audited with its installation', async () => {
    const { incident, value } = await applyButton(ACME.channel);
    const before = calls.length;
    await post({
      payload: JSON.stringify({
        type: 'block_actions',
        team: { id: ACME.team, domain: 'acme' },
        is_enterprise_install: false,
        api_app_id: 'A1',
        token: 'legacy',
        user: { id: ACME.user, username: 'a', name: 'a', team_id: ACME.team },
        trigger_id: 'trig-refused',
        container: { type: 'message', channel_id: ACME.channel, message_ts: '1.1', is_ephemeral: false },
        channel: { id: ACME.channel, name: 'alerts' },
        message: { type: 'message', ts: '9.1', thread_ts: incident.threadTs, text: 'diagnosis' },
        response_url: `https://hooks.slack.com/actions/${ACME.team}/1/x`,
        actions: [{ type: 'button', action_id: 'dlt_apply', block_id: 'b', text: { type: 'plain_text', text: 'Apply' }, value, action_ts: '9.2' }],
      }),
    });
    await until(() => calls.slice(before).some((c) => c.method === 'chat.postEphemeral'));
    const refusal = calls.slice(before).find((c) => c.method === 'chat.postEphemeral')!;
    expect(refusal).toMatchObject({ auth: `Bearer ${ACME.token}`, params: { channel: ACME.channel, user: ACME.user } });
    expect((await bot.alerts.store.audits()).at(-1)).toMatchObject({ result: 'refused', slack: { teamId: ACME.team, enterpriseId: null, isEnterpriseInstall: false } });
  });

  it('Apply from the org-wide install: "Applied by" and the parent edit go to its channel with its token', async () => {
    const { incident, value } = await applyButton(GLOBEX.channel);
    const team = { id: GLOBEX.team, domain: 'globex', enterprise_id: GLOBEX.enterprise };
    const org = { team, enterprise: { id: GLOBEX.enterprise, name: 'Globex' }, is_enterprise_install: true, api_app_id: 'A1', token: 'legacy' };

    const before = calls.length;
    await post({
      payload: JSON.stringify({
        type: 'block_actions',
        ...org,
        user: { id: GLOBEX.user, username: 'g', name: 'g', team_id: GLOBEX.team },
        trigger_id: 'trig-apply',
        container: { type: 'message', channel_id: GLOBEX.channel, message_ts: '1.1', is_ephemeral: false },
        channel: { id: GLOBEX.channel, name: 'alerts' },
        message: { type: 'message', ts: '9.1', thread_ts: incident.threadTs, text: 'diagnosis' },
        response_url: `https://hooks.slack.com/actions/${GLOBEX.team}/1/x`,
        actions: [{ type: 'button', action_id: 'dlt_apply', block_id: 'b', text: { type: 'plain_text', text: 'Apply' }, value, action_ts: '9.2' }],
      }),
    });
    // the modal (views.open, and views.update when the modal opens as a loading view first) carries the metadata
    let metadata: string | undefined;
    await until(() => {
      for (const c of calls.slice(before)) {
        if ((c.method === 'views.open' || c.method === 'views.update') && c.params.view) {
          const m = (JSON.parse(c.params.view) as { private_metadata?: string }).private_metadata;
          if (m) metadata = m;
        }
      }
      return metadata !== undefined;
    });
    const beforeSubmit = calls.length;
    await post({
      payload: JSON.stringify({
        type: 'view_submission',
        ...org,
        user: { id: GLOBEX.user, username: 'g', name: 'g', team_id: GLOBEX.team },
        trigger_id: 'trig-submit',
        view: { id: 'V1', type: 'modal', callback_id: 'dlt_apply_modal', private_metadata: metadata, state: { values: {} }, team_id: GLOBEX.team, app_id: 'A1', bot_id: 'B2', hash: 'h' },
      }),
    });
    await until(() => calls.slice(beforeSubmit).some((c) => c.method === 'chat.update' && c.params.ts === incident.parentTs));
    const after = calls.slice(beforeSubmit);
    const applied = after.find((c) => c.method === 'chat.postMessage' && (c.params.text ?? '').includes(`Applied by <@${GLOBEX.user}>`));
    expect(applied?.params.channel).toBe(GLOBEX.channel);
    expect(applied?.params.thread_ts).toBe(incident.threadTs);
    expect(applied?.auth).toBe(`Bearer ${GLOBEX.token}`);
    const edit = after.find((c) => c.method === 'chat.update')!;
    expect(edit.params.channel).toBe(GLOBEX.channel);
    expect(edit.params.text).toContain('fix applied');
    expect(edit.auth).toBe(`Bearer ${GLOBEX.token}`);
    expect((await bot.alerts.store.audits()).at(-1)).toMatchObject({ result: 'applied', slack: { enterpriseId: GLOBEX.enterprise, isEnterpriseInstall: true } });
  }, 60_000);

  it('no call to Slack went out without a token, nor to a channel with the other workspace\'s token', () => {
    expect(calls.length).toBeGreaterThan(6);
    expect(calls.filter((c) => !c.auth)).toEqual([]);
    for (const c of calls) {
      const ch = channelOf(c);
      if (ch === ACME.channel) expect(c.auth).not.toContain(GLOBEX.token);
      if (ch === GLOBEX.channel) expect(c.auth).not.toContain(ACME.token);
    }
  });
});
