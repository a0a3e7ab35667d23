/**
 * Alert threads in Teams over the demo workspace: a watch made in a Teams channel (`dlt alerts on …`
 * through /api/messages) opens its incident as an alert card in that channel with the diagnosis in
 * the card's reply chain (;messageid=<root>), posts nothing again on the next poll, and a mute
 * replaces the card in place (PUT …/activities/<root>). A Slack watch of the same pipeline in the same
 * bot still posts to Slack. The Bot Connector is nock on the serviceUrl (test/surfaces/teams/helpers.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCommandText } from '../../commands/index.js';
import { createRestClient } from '../../src/databricks/rest.js';
import { DEMO_NOW } from '../../src/demo/generate.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { startAlerts, type Alerts } from '../../src/schedule/alerts.js';
import { teamsAlertThreads } from '../../src/schedule/teams-alert-poster.js';
import { openDb } from '../../src/store/db.js';
import { createSlackApp } from '../../src/surfaces/slack/app.js';
import { PostQueue } from '../../src/surfaces/slack/post-queue.js';
import { createTeamsSurface } from '../../src/surfaces/teams/index.js';
import { fakeSlackApi, quietLogger as slackLogger, slashCommand, TestReceiver, textOf } from '../surfaces/slack/helpers.js';
import { CHANNEL_CONVERSATION, cardErrors, cardText, connector, conversationUpdate, messageActivity, post, quietLogger, startHandler } from '../surfaces/teams/helpers.js';
import { DEMO_TOKEN, posts, tempDbPath } from './alert-support.js';

const ROOT_PATH = `/teams/v3/conversations/${CHANNEL_CONVERSATION}/activities`;

describe('alert threads in Teams', () => {
  let ws: DemoWorkspace;
  let api: ReturnType<typeof connector> | undefined;
  beforeAll(async () => {
    ws = await startDemoWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });
  afterEach(() => {
    api?.done();
    api = undefined;
  });

  async function bot() {
    api = connector();
    const db = openDb(tempDbPath());
    const clock = { ms: DEMO_NOW };
    const rest = createRestClient({ host: ws.rest.url, auth: { kind: 'pat', token: DEMO_TOKEN }, cacheTtlMs: 0 });
    let alerts: Alerts | undefined;
    const run = (text: string, ctx: Parameters<typeof runCommandText>[1]) => alerts!.withAlerts(runCommandText)(text, ctx);
    const teams = createTeamsSurface({ config: null, db, source: ws.source, run, logger: quietLogger(), now: () => new Date(clock.ms) });
    const slackApi = fakeSlackApi();
    const receiver = new TestReceiver();
    const slack = createSlackApp({
      config: { botToken: 'xoxb-test', charts: false, postIntervalMs: 0 },
      run,
      source: ws.source,
      logger: slackLogger(),
      receiver,
      tokenVerificationEnabled: false,
      clientOptions: { fetch: slackApi.fetch, retryConfig: { retries: 0 } },
      now: () => new Date(clock.ms),
    });
    const logs: string[] = [];
    alerts = startAlerts({
      db,
      source: ws.source,
      rest,
      slack: { client: slack.app.client, queue: new PostQueue({ intervalMs: 0 }) },
      posters: { teams: teamsAlertThreads(teams) },
      config: { webhookSecret: null, applyAllowedUsers: [] },
      clock: () => new Date(clock.ms),
      start: false,
      logger: { info: (...m: unknown[]) => void logs.push(m.join(' ')), warn: (...m: unknown[]) => void logs.push(m.join(' ')) },
    });
    alerts.registerSlack(slack.app);
    const server = await startHandler(teams.handler);
    expect((await post(server.url, conversationUpdate())).status).toBe(200);
    return { alerts, teams, server, slackApi, receiver, db, logs, connector: api };
  }

  it('a Teams watch: one alert card in the channel, the diagnosis in its thread, nothing twice; a mute edits the card', async () => {
    const b = await bot();
    const say = async (text: string) => expect((await post(b.server.url, messageActivity(text, { mention: true }))).status).toBe(200);
    await say('dlt alerts on billing_failed --cost-spike 1000%');
    expect(cardText(b.connector.cards().at(-1))).toContain('Alerts on for billing_failed');
    expect((await b.alerts.store.watches(CHANNEL_CONVERSATION)).map((w) => [w.pipelineName, w.surface])).toEqual([['billing_failed', 'teams']]);
    const before = b.connector.calls.length;

    const report = await b.alerts.poller.pollOnce();
    expect(report.posted).toBe(1);
    const sent = b.connector.calls.slice(before);
    // the parent: a new post in the channel (not a reply), an alert card
    const roots = sent.filter((c) => c.path === ROOT_PATH);
    expect(roots).toHaveLength(1);
    expect(roots[0]!.method).toBe('POST');
    const rootCard = roots[0]!.body.attachments?.[0]?.content;
    expect(cardErrors(rootCard)).toEqual([]);
    expect(cardText(rootCard)).toContain('billing_failed: update failed');
    // the diagnosis: in the reply chain of that post
    const rootIndex = b.connector.calls.indexOf(roots[0]!);
    const rootId = `posted-${rootIndex + 1}`;
    const incident = (await b.alerts.store.incidents(CHANNEL_CONVERSATION))[0]!;
    expect([incident.kind, incident.surface, incident.parentTs]).toEqual(['failed', 'teams', rootId]);
    const thread = sent.filter((c) => c.path === `/teams/v3/conversations/${CHANNEL_CONVERSATION};messageid=${rootId}/activities`);
    expect(thread.length).toBeGreaterThan(0);
    expect(sent).toHaveLength(roots.length + thread.length);
    const diagnosisCard = thread[0]!.body.attachments?.[0]?.content;
    expect(cardErrors(diagnosisCard)).toEqual([]);
    expect(cardText(diagnosisCard)).toContain('billing_failed: memory pressure');

    // a second poll posts nothing
    const afterFirst = b.connector.calls.length;
    expect((await b.alerts.poller.pollOnce()).posted).toBe(0);
    expect(b.connector.calls).toHaveLength(afterFirst);

    // a mute from Teams replaces the alert card in place (updateActivity), it does not post a new one
    await say('dlt alerts mute billing_failed 2h');
    const edits = b.connector.calls.filter((c) => c.method === 'PUT');
    expect(edits.map((c) => c.path)).toEqual([`${ROOT_PATH}/${rootId}`]);
    const edited = edits[0]!.body.attachments?.[0]?.content;
    expect(cardErrors(edited)).toEqual([]);
    expect(cardText(edited)).toContain('muted');
    expect(cardText(edited)).toContain('billing_failed: update failed');
    expect((await b.alerts.store.incidents(CHANNEL_CONVERSATION))[0]!.state).toBe('muted');
    expect(b.slackApi.of('chat.postMessage')).toHaveLength(0);

    // an apply recorded from this thread (as the Teams Confirm button records it): "did it help" follows in the thread
    await b.alerts.store.audit({ at: DEMO_NOW, userId: 'aad-user-1', surface: 'teams', channel: CHANNEL_CONVERSATION, threadTs: rootId, pipelineId: incident.pipelineId, updateId: null, recommendationId: 'r', change: null, diff: [], before: null, after: null, result: 'applied', message: null, latestUpdateTime: 0 });
    const beforeFollowup = b.connector.calls.length;
    expect((await b.alerts.poller.pollOnce()).followups).toBe(1);
    const followup = b.connector.calls.slice(beforeFollowup);
    expect(followup.map((c) => c.path)).toEqual([`/teams/v3/conversations/${CHANNEL_CONVERSATION};messageid=${rootId}/activities`]);
    expect(cardText(followup[0]!.body.attachments?.[0]?.content)).toContain('Did it help?');
    await b.server.close();
    b.db.close();
  });

  it('a Slack watch of the same pipeline in the same bot still posts to Slack, and only there', async () => {
    const b = await bot();
    await b.receiver.send(slashCommand('alerts on billing_failed --cost-spike 1000%'));
    expect(textOf(b.slackApi.of('respond').at(-1))).toContain('Alerts on for billing_failed');
    const before = b.connector.calls.length;
    expect((await b.alerts.poller.pollOnce()).posted).toBe(1);
    const slack = posts(b.slackApi);
    expect(slack.parents).toHaveLength(1);
    expect(textOf(slack.parents[0])).toContain('billing_failed: update failed');
    expect(slack.replies.length).toBeGreaterThan(0);
    expect(b.connector.calls).toHaveLength(before); // nothing to Teams
    expect((await b.alerts.store.incidents('C1')).map((i) => i.surface)).toEqual(['slack']);
    await b.server.close();
    b.db.close();
  });
});
