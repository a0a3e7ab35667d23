/** Digests and alerts posted proactively to a stored conversation (continueConversation), alert follow-ups in the thread. */
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../../src/store/db.js';
import { threadReference } from '../../../src/surfaces/teams/proactive.js';
import { createTeamsSurface } from '../../../src/surfaces/teams/index.js';
import { alertCard, toAdaptiveCard } from '../../../templates/cards/index.js';
import { fakeDiagnosisReply } from '../../support/fake-diagnosis.js';
import { fakeSource } from '../slack/helpers.js';
import { fakeDigest } from './fake-digest.js';
import { CHANNEL_CONVERSATION, cardErrors, cardText, connector, conversationUpdate, post, quietLogger, startHandler } from './helpers.js';

let api: ReturnType<typeof connector> | undefined;
afterEach(() => {
  api?.done();
  api = undefined;
});

async function installedSurface() {
  api = connector();
  const db = openDb(':memory:');
  const teams = createTeamsSurface({ config: null, db, source: fakeSource, logger: quietLogger() });
  const server = await startHandler(teams.handler);
  // the bot is added to the team: Teams sends conversationUpdate, the reference is stored
  expect((await post(server.url, conversationUpdate())).status).toBe(200);
  await server.close();
  return { teams, db };
}

describe('proactive messages', () => {
  it('delivers a digest to the stored channel conversation as a new post', async () => {
    const { teams, db } = await installedSurface();
    const card = toAdaptiveCard({ kind: 'digest', digest: fakeDigest(), note: null, subscription: { id: 1, schedule: '0 9 * * 1', tz: 'UTC' } });
    const result = await teams.sendProactive(CHANNEL_CONVERSATION, card);
    expect(result).toEqual({ activityId: 'posted-1', conversationId: CHANNEL_CONVERSATION });
    expect(api!.calls).toHaveLength(1);
    expect(api!.calls[0]?.method).toBe('POST');
    expect(api!.calls[0]?.path).toBe(`/teams/v3/conversations/${CHANNEL_CONVERSATION}/activities`);
    expect(api!.calls[0]?.body.replyToId).toBeUndefined();
    const [sent] = api!.cards();
    expect(cardErrors(sent)).toEqual([]);
    expect(cardText(sent)).toContain('Pipeline cost digest');
    expect(cardText(sent)).toContain('orders_silver');
    db.close();
  });

  it('posts an alert, then a follow-up into the alert\'s thread (;messageid=<root>)', async () => {
    const { teams, db } = await installedSurface();
    const root = await teams.sendProactive(CHANNEL_CONVERSATION, alertCard({ kind: 'regression', pipeline: { id: 'pl-orders-silver', name: 'orders_silver' }, updateId: 'upd-42', summary: 'Took 2.03× its median of 15m.', diagnosis: fakeDiagnosisReply() }));
    expect(root.activityId).toBe('posted-1');
    const follow = await teams.sendProactive(CHANNEL_CONVERSATION, toAdaptiveCard({ kind: 'text', text: 'Recovered: upd-43 took 14m.' }), { threadRootId: root.activityId });
    expect(follow.conversationId).toBe(`${CHANNEL_CONVERSATION};messageid=posted-1`);
    expect(api!.calls.map((c) => c.path)).toEqual([
      `/teams/v3/conversations/${CHANNEL_CONVERSATION}/activities`,
      `/teams/v3/conversations/${CHANNEL_CONVERSATION};messageid=posted-1/activities`,
    ]);
    for (const card of api!.cards()) expect(cardErrors(card)).toEqual([]);
    expect(cardText(api!.cards()[0])).toContain('orders_silver: slower than its baseline');
    db.close();
  });

  it('refuses an unknown conversation instead of guessing', async () => {
    const { teams, db } = await installedSurface();
    await expect(teams.sendProactive('19:never-installed@thread.tacv2', toAdaptiveCard({ kind: 'text', text: 'x' }))).rejects.toThrow(/add the bot/);
    expect(api!.calls).toHaveLength(0);
    db.close();
  });

  it('threadReference keeps the channel id and drops any previous thread', () => {
    const ref = { channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/teams/', conversation: { id: `${CHANNEL_CONVERSATION};messageid=old` }, activityId: 'a1' };
    expect(threadReference(ref).conversation.id).toBe(CHANNEL_CONVERSATION);
    expect(threadReference(ref, 'root-9').conversation.id).toBe(`${CHANNEL_CONVERSATION};messageid=root-9`);
    expect(threadReference(ref, 'root-9').activityId).toBeUndefined();
  });
});
