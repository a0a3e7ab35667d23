/**
 * Teams apply identity end to end (issue 15 item 6): a Confirm card action through /api/messages
 * (the Teams surface in test mode, so the HTTP tenant gate is off and the apply check alone is
 * tested) reaches the real apply service over the demo workspace. The allow-list holds a Slack
 * admin as a bare (legacy) entry and a Teams user as teams:<Entra object id>; the allowed tenant is
 * TENANT. Before, `from.aadObjectId ?? from.id` was looked up in one shared list from any tenant.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCommandText } from '../../../commands/index.js';
import { createRestClient } from '../../../src/databricks/rest.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../../src/demo/workspace.js';
import { startAlerts, type Alerts } from '../../../src/schedule/alerts.js';
import { teamsAlertThreads } from '../../../src/schedule/teams-alert-poster.js';
import { openDb } from '../../../src/store/db.js';
import { createTeamsSurface } from '../../../src/surfaces/teams/index.js';
import { DEMO_NOW } from '../../../src/demo/generate.js';
import { DEMO_TOKEN, tempDbPath } from '../../schedule/alert-support.js';
import { CHANNEL_CONVERSATION, cardText, connector, conversationUpdate, messageActivity, post, quietLogger, startHandler } from './helpers.js';

type Json = Record<string, unknown>;
const TENANT = '0b3f5c2e-1111-4a4a-9c9c-123456789abc';
const OTHER_TENANT = '5d6e7f80-2222-4b4b-8d8d-abcdefabcdef';
const AAD = '7f0c2b1e-3333-4c4c-8e8e-0123456789ab';
const SLACK_ADMIN = 'UADMIN1';

describe('Teams apply identity', () => {
  let ws: DemoWorkspace;
  let pid: string;
  let api: ReturnType<typeof connector> | undefined;
  beforeAll(async () => {
    ws = await startDemoWorkspace({ updateDurationMs: 20 });
    pid = (await ws.source.resolvePipeline('orders_silver')).id;
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
    const rest = createRestClient({ host: ws.rest.url, auth: { kind: 'pat', token: DEMO_TOKEN }, cacheTtlMs: 0 });
    let alerts: Alerts | undefined;
    const run = (text: string, ctx: Parameters<typeof runCommandText>[1]) => alerts!.withAlerts(runCommandText)(text, ctx);
    const teams = createTeamsSurface({ config: null, db, source: ws.source, run, logger: quietLogger(), now: () => new Date(DEMO_NOW), apply: { confirm: (...a) => alerts!.apply.confirm(...a), auditInvalid: (...a) => alerts!.apply.auditInvalid(...a) } });
    const logs: string[] = [];
    alerts = startAlerts({
      db,
      source: ws.source,
      rest,
      posters: { teams: teamsAlertThreads(teams) },
      config: { webhookSecret: null, applyAllowedUsers: [SLACK_ADMIN, `teams:${AAD}`], teamsTenants: [TENANT] },
      clock: () => new Date(DEMO_NOW),
      start: false,
      logger: { info: () => undefined, warn: (...m: unknown[]) => void logs.push(m.join(' ')) },
    });
    const server = await startHandler(teams.handler);
    expect((await post(server.url, conversationUpdate())).status).toBe(200);
    return { alerts, server, logs, connector: api };
  }

  async function photon(): Promise<unknown> {
    const res = await fetch(`${ws.rest.url}/api/2.0/pipelines/${pid}`, { headers: { authorization: `Bearer ${DEMO_TOKEN}` } });
    return ((await res.json()) as { spec: Json }).spec.photon;
  }

  /** A Confirm (dlt_apply_confirm) from `from`, in `tenant`, on Bot Framework channel `channelId`. */
  function confirmActivity(from: { id: string; aadObjectId?: string }, tenant: string, channelId = 'msteams') {
    const a = messageActivity('', { value: { action: 'dlt_apply_confirm', pipeline_id: pid, update_id: null, recommendation_id: 'enable-photon', last_modified: null } });
    return { ...a, channelId, from: { ...from, name: 'Someone' }, conversation: { ...a.conversation, tenantId: tenant }, channelData: { ...a.channelData, tenant: { id: tenant } } };
  }

  it('an activity from another tenant carrying the Slack admin\'s id is refused and audited; nothing changes', async () => {
    const b = await bot();
    expect(await photon()).toBe(false);
    expect((await post(b.server.url, confirmActivity({ id: SLACK_ADMIN, aadObjectId: SLACK_ADMIN }, OTHER_TENANT))).status).toBe(200);
    expect(await photon()).toBe(false);
    const audit = (await b.alerts.store.audits()).at(-1)!;
    expect(audit).toMatchObject({ result: 'refused', surface: 'teams', userId: SLACK_ADMIN, recommendationId: 'enable-photon' });
    expect(audit.message).toContain('tenant');
    expect(cardText(b.connector.cards().at(-1))).toContain('Only the people listed in DLT_DOCTOR_APPLY_ALLOWED_USERS');
    // the same id from the allowed tenant is still not a Teams entry: refused too
    await post(b.server.url, confirmActivity({ id: SLACK_ADMIN, aadObjectId: SLACK_ADMIN }, TENANT));
    expect(await photon()).toBe(false);
    expect((await b.alerts.store.audits()).map((a) => a.result)).toEqual(['refused', 'refused']);
    // the bare entry was warned about once, at start
    expect(b.logs.filter((l) => l.includes('no prefix'))).toHaveLength(1);
    await b.server.close();
  });

  it('the teams: user from another tenant, or not from msteams, is refused; from the allowed tenant in msteams it applies', async () => {
    const b = await bot();
    await post(b.server.url, confirmActivity({ id: '29:user-x', aadObjectId: AAD }, OTHER_TENANT));
    await post(b.server.url, confirmActivity({ id: '29:user-x', aadObjectId: AAD }, TENANT, 'webchat'));
    // from.id is never the identity: a Teams entry needs aadObjectId
    await post(b.server.url, confirmActivity({ id: AAD }, TENANT));
    expect(await photon()).toBe(false);
    expect((await b.alerts.store.audits()).map((a) => a.result)).toEqual(['refused', 'refused', 'refused']);

    await post(b.server.url, confirmActivity({ id: '29:user-x', aadObjectId: AAD }, TENANT));
    expect(await photon()).toBe(true);
    expect((await b.alerts.store.audits()).at(-1)).toMatchObject({ result: 'applied', surface: 'teams', userId: AAD });
    expect(cardText(b.connector.cards().at(-1))).toContain('Applied to orders_silver');

    // the same Confirm again: answered from the journal, not "no recommendation"; audited
    await post(b.server.url, confirmActivity({ id: '29:user-x', aadObjectId: AAD }, TENANT));
    expect(cardText(b.connector.cards().at(-1))).toContain(`already applied by ${AAD}`);
    expect((await b.alerts.store.audits()).at(-1)).toMatchObject({ result: 'replayed' });

    // a Confirm card payload without a fix: audited as invalid, nothing changes
    const broken = confirmActivity({ id: '29:user-x', aadObjectId: AAD }, TENANT);
    await post(b.server.url, { ...broken, value: { action: 'dlt_apply_confirm', pipeline_id: pid } });
    expect((await b.alerts.store.audits()).at(-1)).toMatchObject({ result: 'invalid', surface: 'teams', userId: AAD, message: 'unreadable Confirm card payload' });
    await b.server.close();
  });

  it('an intent a crash left open in a Teams thread is reconciled as applied and "Applied by" is posted in that reply chain once', async () => {
    const b = await bot();
    // the pipeline has the change (the PUT landed before the crash)
    const rest = createRestClient({ host: ws.rest.url, auth: { kind: 'pat', token: DEMO_TOKEN }, cacheTtlMs: 0 });
    const current = await rest.getPipeline(pid);
    if (current.rawSpec!.photon !== true) await rest.editPipeline(pid, { ...current.rawSpec!, photon: true });
    const id = await b.alerts.store.audit({
      at: DEMO_NOW - 600_000, userId: AAD, surface: 'teams', channel: CHANNEL_CONVERSATION, threadTs: 'root-1', pipelineId: pid, updateId: 'u1', recommendationId: 'enable-photon',
      change: { target: 'pipeline', key: 'photon', value: 'true' }, diff: [{ key: 'photon', before: 'false', after: 'true' }], before: null, after: null,
      result: 'pending', message: null, latestUpdateTime: null, expectedLastModified: 1, pipelineName: 'orders_silver', title: 'Enable Photon',
    });
    const before = b.connector.calls.length;
    expect((await b.alerts.reconcile()).map((r) => r.result)).toEqual(['applied']);
    const sent = b.connector.calls.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toBe(`/teams/v3/conversations/${CHANNEL_CONVERSATION};messageid=root-1/activities`);
    expect(cardText(sent[0]!.body.attachments?.[0]?.content)).toContain(`Applied by ${AAD} to orders_silver: Enable Photon`);
    expect(await b.alerts.store.auditRow(id)).toMatchObject({ result: 'applied', reconciled: true });
    expect(await b.alerts.reconcile()).toEqual([]);
    expect(b.connector.calls).toHaveLength(before + 1);
    await b.server.close();
  });
});
