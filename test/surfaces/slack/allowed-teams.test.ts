/**
 * SLACK_ALLOWED_TEAM_IDS (docs/security.md): in OAuth mode only the listed Slack teams / Enterprise
 * Grid orgs may install the app or be served by it. An install from another team is refused and
 * stores nothing; a request from another team is not authorized (Bolt's authorize → fetchInstallation),
 * even when that team had installed before the list was set; an empty list logs a warning at start.
 */
import type { Installation, ReceiverEvent } from '@slack/bolt';
import { describe, expect, it, vi } from 'vitest';
import { openDb } from '../../../src/store/db.js';
import { createSlackInstallationStore, isSlackTeamAllowed } from '../../../src/store/slack-installations.js';
import { createSlackApp } from '../../../src/surfaces/slack/app.js';
import { fakeDiagnosisReply } from '../../support/fake-diagnosis.js';
import { fakeSlackApi, fakeSource, quietLogger, slashCommand } from './helpers.js';
import { teamInstall } from '../../support/slack-install.js';

const oauth = (allowedTeamIds?: string[]) => ({ clientId: 'cid', clientSecret: 'cs', stateSecret: 'st', ...(allowedTeamIds ? { allowedTeamIds } : {}) });

describe('SLACK_ALLOWED_TEAM_IDS', () => {
  it('an install from a team not on the list is refused and stores nothing; a listed team installs', async () => {
    const db = openDb(':memory:');
    const store = createSlackInstallationStore(db, undefined, { allowedTeamIds: ['T1', 'E7'] });
    await expect(store.storeInstallation(teamInstall('T_EVIL', 'xoxb-evil'))).rejects.toThrow(/T_EVIL is not in SLACK_ALLOWED_TEAM_IDS/);
    expect(await store.count()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) AS n FROM slack_installations').get()).toEqual({ n: 0 });
    await store.storeInstallation(teamInstall('T1', 'xoxb-1'));
    expect(await store.count()).toBe(1);
    // an org-wide install is allowed by its enterprise id, refused for an unlisted enterprise
    const org = (e: string) => ({ ...teamInstall('x', 'xoxb-org'), team: undefined, enterprise: { id: e, name: e }, isEnterpriseInstall: true }) as unknown as Installation<'v2', true>;
    await expect(store.storeInstallation(org('E_OTHER'))).rejects.toThrow(/enterprise E_OTHER/);
    await store.storeInstallation(org('E7'));
    expect(await store.count()).toBe(2);
  });

  it('a team installed before it was taken off the list is no longer served (fetchInstallation refuses)', async () => {
    const db = openDb(':memory:');
    await createSlackInstallationStore(db).storeInstallation(teamInstall('T_OLD', 'xoxb-old'));
    const open = createSlackInstallationStore(db);
    expect((await open.fetchInstallation({ teamId: 'T_OLD', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe('xoxb-old');
    const listed = createSlackInstallationStore(db, undefined, { allowedTeamIds: ['T1'] });
    await expect(listed.fetchInstallation({ teamId: 'T_OLD', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow(/not in SLACK_ALLOWED_TEAM_IDS/);
  });

  it('isSlackTeamAllowed: empty list allows all; else the team or its enterprise must be listed', () => {
    expect(isSlackTeamAllowed([], { teamId: 'T9' })).toBe(true);
    expect(isSlackTeamAllowed(['T1'], { teamId: 'T9' })).toBe(false);
    expect(isSlackTeamAllowed(['T1'], {})).toBe(false);
    expect(isSlackTeamAllowed(['E1'], { teamId: 'T9', enterpriseId: 'E1' })).toBe(true);
  });

  it('the Bolt app: a slash command from a listed team runs, one from another team is not authorized', async () => {
    const db = openDb(':memory:');
    const seed = createSlackInstallationStore(db);
    await seed.storeInstallation(teamInstall('T1', 'xoxb-1'));
    await seed.storeInstallation(teamInstall('T_OTHER', 'xoxb-other')); // installed before the list existed
    const run = vi.fn(async () => fakeDiagnosisReply());
    const logger = quietLogger();
    // the real HTTP receiver (OAuth with a custom receiver is not a Bolt configuration); events go straight to processEvent
    const { app } = createSlackApp({
      run,
      source: fakeSource,
      logger,
      store: db,
      tokenVerificationEnabled: false,
      clientOptions: { fetch: fakeSlackApi().fetch, retryConfig: { retries: 0 } },
      config: { signingSecret: 's', charts: false, postIntervalMs: 0, oauth: oauth(['T1']) },
    });
    const send = (body: Record<string, unknown>) => app.processEvent({ body, ack: async () => undefined } as unknown as ReceiverEvent);
    // Bolt's authorize fails (fetchInstallation refuses): the listeners never run, the reason is logged
    await send(slashCommand('why-slow orders_silver', { team_id: 'T_OTHER', response_url: 'https://hooks.slack.com/commands/T_OTHER/1/abc' })).catch(() => undefined);
    expect(run).not.toHaveBeenCalled();
    expect(logger.lines.join('\n')).toMatch(/Authorization of incoming event did not succeed[\s\S]*T_OTHER is not in SLACK_ALLOWED_TEAM_IDS/);
    await send(slashCommand('why-slow orders_silver'));
    expect(run).toHaveBeenCalledTimes(1);
    expect(logger.lines.join('\n')).not.toMatch(/SLACK_ALLOWED_TEAM_IDS is empty/);
  });

  it('OAuth with an empty list logs a clear warning at start; a bot-token install does not', () => {
    const logger = quietLogger();
    createSlackApp({ run: async () => fakeDiagnosisReply(), source: fakeSource, logger, store: openDb(':memory:'), tokenVerificationEnabled: false, config: { signingSecret: 's', oauth: oauth() } });
    expect(logger.lines.join('\n')).toMatch(/SLACK_ALLOWED_TEAM_IDS is empty: ANY Slack workspace/);
    const single = quietLogger();
    createSlackApp({ run: async () => fakeDiagnosisReply(), source: fakeSource, logger: single, tokenVerificationEnabled: false, config: { botToken: 'xoxb-1', signingSecret: 's' } });
    expect(single.lines.join('\n')).not.toMatch(/SLACK_ALLOWED_TEAM_IDS/);
  });
});
