/**
 * OAuth, several workspaces, one of which removed the app: its installation is gone from the store
 * (app_uninstalled) or Slack refuses its token (token_revoked). Its alert is kept pending (open, no
 * parent) with a clear logged error naming the workspace and what to do, nothing crashes, the
 * other workspace keeps getting its alerts with its own token, and once the workspace is installed
 * again the pending alert is posted there. Digests: the post and the recovery lookup use the
 * subscription's installation; a removed one is an actionable error, so the run stays 'recorded'.
 * The Web API is intercepted with nock at https://slack.com/api/.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../commands/types.js';
import { createRestClient } from '../../src/databricks/rest.js';
import { DEMO_NOW } from '../../src/demo/generate.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { startAlerts } from '../../src/schedule/alerts.js';
import { slackDigestDelivery } from '../../src/schedule/digest-post.js';
import { openDb } from '../../src/store/db.js';
import { createSlackInstallationStore } from '../../src/store/slack-installations.js';
import type { Subscription } from '../../src/store/subscriptions.js';
import { installationClients, SlackInstallationUnavailable } from '../../src/surfaces/slack/installation-clients.js';
import { PostQueue } from '../../src/surfaces/slack/post-queue.js';
import { fakeDiagnosisReply } from '../support/fake-diagnosis.js';
import { teamInstall } from '../support/slack-install.js';
import { DEMO_TOKEN, tempDbPath } from './alert-support.js';

const A = { team: 'T_AAA', token: 'xoxb-aaa', channel: 'C_AAA' };
const B = { team: 'T_BBB', token: 'xoxb-bbb', channel: 'C_BBB' };
const R = { team: 'T_REVOKED', token: 'xoxb-revoked', channel: 'C_REVOKED' };
const ref = (team: string) => ({ teamId: team, enterpriseId: null, isEnterpriseInstall: false });

interface Call {
  method: string;
  auth: string | undefined;
  params: Record<string, string>;
}
const calls: Call[] = [];
let ts = 100;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
afterEach(() => {
  calls.length = 0;
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

function interceptSlack(history: (params: Record<string, string>) => unknown = () => ({ ok: true, messages: [] })) {
  nock.cleanAll();
  nock('https://slack.com')
    .persist()
    .post(/^\/api\/.*/)
    .reply(function (uri, body) {
      const method = uri.replace(/^\/api\//, '');
      const params = Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : ''));
      const auth = (this.req.headers as Record<string, string | undefined>).authorization;
      calls.push({ method, auth, params });
      if (!auth) return [200, { ok: false, error: 'not_authed' }];
      if (auth === `Bearer ${R.token}`) return [200, { ok: false, error: 'token_revoked' }];
      if (method === 'conversations.history') return [200, history(params)];
      return [200, { ok: true, channel: params.channel, ts: `${++ts}.000100` }];
    });
}

describe('a workspace that removed the app (OAuth, several workspaces)', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await startDemoWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('its alert is kept pending with a clear error, the others still post with their own token, and it is posted once reinstalled', async () => {
    interceptSlack();
    const db = openDb(tempDbPath());
    const installs = createSlackInstallationStore(db);
    for (const w of [A, B, R]) await installs.storeInstallation(teamInstall(w.team, w.token));
    const logs: { level: string; line: string }[] = [];
    const logger = {
      info: (...m: unknown[]) => void logs.push({ level: 'info', line: m.map(String).join(' ') }),
      warn: (...m: unknown[]) => void logs.push({ level: 'warn', line: m.map(String).join(' ') }),
      error: (...m: unknown[]) => void logs.push({ level: 'error', line: m.map(String).join(' ') }),
    };
    const alerts = startAlerts({
      db,
      source: ws.source,
      rest: createRestClient({ host: ws.rest.url, auth: { kind: 'pat', token: DEMO_TOKEN }, cacheTtlMs: 0 }),
      slack: { client: installationClients({ store: installs, clientOptions: { retryConfig: { retries: 0 } } }), queue: new PostQueue({ intervalMs: 0 }) },
      config: { webhookSecret: null, applyAllowedUsers: [] },
      clock: () => new Date(DEMO_NOW),
      start: false,
      logger,
    });
    const pid = (await ws.source.resolvePipeline('billing_failed')).id;
    for (const w of [A, B, R]) {
      await alerts.store.watch({ channel: w.channel, pipelineId: pid, pipelineName: 'billing_failed', regression: 1.5, backlogMin: 15, costSpikePct: 1000, createdBy: 'U1', createdAt: DEMO_NOW, surface: 'slack', slack: ref(w.team) });
    }
    // workspace A uninstalls the app: Bolt's deleteInstallation removes it from the store
    await installs.deleteInstallation!({ teamId: A.team, enterpriseId: undefined, isEnterpriseInstall: false });

    const first = await alerts.poller.pollOnce();
    expect(first.posted).toBe(1);
    const posts = calls.filter((c) => c.method === 'chat.postMessage');
    // B's alert and diagnosis, all with B's token; nothing reached Slack for A (no token to send)
    expect(posts.length).toBeGreaterThan(1);
    expect(posts.filter((c) => c.params.channel === B.channel).every((c) => c.auth === `Bearer ${B.token}`)).toBe(true);
    expect(posts.some((c) => c.params.channel === A.channel)).toBe(false);
    // R's token was refused by Slack (token_revoked): one attempt, then nothing more
    expect(posts.filter((c) => c.params.channel === R.channel).map((c) => c.auth)).toEqual([`Bearer ${R.token}`]);
    expect(calls.some((c) => !c.auth)).toBe(false);

    for (const w of [A, R]) {
      const [inc] = await alerts.store.incidents(w.channel);
      expect(inc, w.channel).toMatchObject({ state: 'open', parentTs: null, slack: ref(w.team) });
    }
    expect((await alerts.store.pendingIncidents()).map((i) => i.channel).sort()).toEqual([A.channel, R.channel]);
    const errors = logs.filter((l) => l.level === 'error').map((l) => l.line);
    expect(errors.find((l) => l.includes(A.channel))).toMatch(/pending, not posted \(retried at later polls.*\): No Slack installation for workspace T_AAA .*reinstall dlt-doctor there/);
    expect(errors.find((l) => l.includes(R.channel))).toMatch(/Slack refused dlt-doctor's token for workspace T_REVOKED \(token_revoked\)/);
    // no token in any log line
    expect(logs.some((l) => /xoxb-/.test(l.line))).toBe(false);

    // A installs again: the next poll posts its pending alert (parent, then the diagnosis in its thread) with A's token
    calls.length = 0;
    await installs.storeInstallation(teamInstall(A.team, 'xoxb-aaa-new'));
    const second = await alerts.poller.pollOnce();
    expect(second.posted).toBe(1);
    const again = calls.filter((c) => c.method === 'chat.postMessage' && c.params.channel === A.channel);
    expect(again.length).toBeGreaterThan(1);
    expect(again.every((c) => c.auth === 'Bearer xoxb-aaa-new')).toBe(true);
    expect(again[0]!.params.text).toContain('billing_failed: update failed');
    const posted = (await alerts.store.incidents(A.channel))[0]!;
    expect(posted.parentTs).not.toBeNull();
    expect(again.slice(1).every((c) => c.params.thread_ts === posted.parentTs)).toBe(true);
    // still pending for R; B got nothing twice
    expect((await alerts.store.pendingIncidents()).map((i) => i.channel)).toEqual([R.channel]);
    expect(calls.some((c) => c.method === 'chat.postMessage' && c.params.channel === B.channel)).toBe(false);

    // R's channel stops watching: its pending alert is dropped, not posted later
    await alerts.store.unwatch(R.channel, 'all');
    await alerts.poller.pollOnce();
    expect(await alerts.store.pendingIncidents()).toEqual([]);
    alerts.stop();
    db.close();
  }, 60_000);
});

describe('Slack digests per installation', () => {
  const sub = (id: number, team: string, channel: string): Subscription => ({
    id,
    channel,
    surface: 'slack',
    cron: '0 8 * * *',
    tz: 'UTC',
    filter: null,
    createdBy: null,
    createdAt: new Date(DEMO_NOW).toISOString(),
    slack: ref(team),
  });
  const reply: Reply = fakeDiagnosisReply();

  it('posts and looks up the recovered run with the subscription\'s own token; a removed installation is an actionable error', async () => {
    interceptSlack((p) => ({ ok: true, messages: p.channel === B.channel ? [{ ts: '77.000100', metadata: { event_type: 'dlt_doctor_digest', event_payload: { subscription_id: 2, period_key: 'P1' } } }] : [] }));
    const installs = createSlackInstallationStore(openDb(':memory:'));
    await installs.storeInstallation(teamInstall(A.team, A.token));
    await installs.storeInstallation(teamInstall(B.team, B.token));
    const delivery = slackDigestDelivery({ clients: installationClients({ store: installs, clientOptions: { retryConfig: { retries: 0 } } }), queue: new PostQueue({ intervalMs: 0 }), logger: { warn: () => undefined } });

    await delivery.post(sub(1, A.team, A.channel), reply, { periodKey: 'P1' });
    expect(await delivery.findPosted(sub(2, B.team, B.channel), 'P1', new Date(0))).toEqual({ ts: '77.000100' });
    expect(calls.map((c) => [c.method, c.params.channel, c.auth])).toEqual([
      ['chat.postMessage', A.channel, `Bearer ${A.token}`],
      ['conversations.history', B.channel, `Bearer ${B.token}`],
    ]);

    await installs.deleteInstallation!({ teamId: A.team, enterpriseId: undefined, isEnterpriseInstall: false });
    calls.length = 0;
    const err = await delivery.post(sub(1, A.team, A.channel), reply, { periodKey: 'P2' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlackInstallationUnavailable);
    expect((err as Error).message).toMatch(/No Slack installation for workspace T_AAA.*reinstall dlt-doctor there/);
    expect(calls).toEqual([]);
  });

  it('a subscription from before installations were recorded uses the sole installation; with several it is refused with what to do', async () => {
    interceptSlack();
    const installs = createSlackInstallationStore(openDb(':memory:'));
    await installs.storeInstallation(teamInstall(A.team, A.token));
    const delivery = slackDigestDelivery({ clients: installationClients({ store: installs, clientOptions: { retryConfig: { retries: 0 } } }), queue: new PostQueue({ intervalMs: 0 }), logger: { warn: () => undefined } });
    const old = { ...sub(3, A.team, A.channel), slack: null };
    await delivery.post(old, reply, { periodKey: 'P1' });
    expect(calls.map((c) => c.auth)).toEqual([`Bearer ${A.token}`]);
    await installs.storeInstallation(teamInstall(B.team, B.token));
    await expect(delivery.post(old, reply, { periodKey: 'P2' })).rejects.toThrow(/made before dlt-doctor recorded Slack workspaces and several are installed: run the command/);
  });
});
