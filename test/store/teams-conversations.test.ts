import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.js';
import { TEAMS_MIGRATIONS } from '../../src/store/migrations/teams.js';
import { storeBackends } from '../support/store-backends.js';
import { createTeamsConversationStore } from '../../src/store/teams-conversations.js';

const ref = (conversationId: string, serviceUrl = 'https://smba.trafficmanager.net/teams/') => ({
  channelId: 'msteams',
  serviceUrl,
  activityId: 'act-1',
  conversation: { id: conversationId, conversationType: 'channel', tenantId: 't1', isGroup: true },
  agent: { id: '28:bot', name: 'dlt-doctor' },
  user: { id: '29:u', name: 'Ana', aadObjectId: 'aad-1' },
});

const backends = storeBackends(TEAMS_MIGRATIONS);
beforeAll(() => backends.setup(), 120_000);
afterAll(() => backends.teardown());
afterEach(() => backends.cleanup());

describe('Teams conversation references on a better-sqlite3 connection', () => {
  it('the store applies its own migrations there; a second store on the same connection sees the same rows', async () => {
    const db = openDb(':memory:');
    await createTeamsConversationStore(db).save(ref('19:abc@thread.tacv2'), null);
    expect(await createTeamsConversationStore(db).list()).toHaveLength(1);
    db.close();
  });
});

for (const backend of backends.list) {
  describe.skipIf(backend.skip)(`Teams conversation references (${backend.name})`, () => {
    it('stores the channel (not the thread), without the activity id; another replica reads it', async () => {
      const { a, b } = await backend.two();
      let t = 0;
      const store = createTeamsConversationStore(a, () => new Date(Date.UTC(2026, 10, 27, 9, 0, t++)));
      await store.save(ref('19:abc@thread.tacv2;messageid=123'), '19:team@thread.tacv2');
      const got = await createTeamsConversationStore(b).get('19:abc@thread.tacv2');
      expect(got?.reference.conversation.id).toBe('19:abc@thread.tacv2');
      expect(got?.reference.activityId).toBeUndefined();
      expect(got?.teamId).toBe('19:team@thread.tacv2');
      expect(got?.tenantId).toBe('t1');
      expect(await createTeamsConversationStore(b).list()).toHaveLength(1);
    });

    it('a later message refreshes the service URL but keeps the install time and the team', async () => {
      const { a, b } = await backend.two();
      let t = 0;
      const clock = () => new Date(Date.UTC(2026, 10, 27, 9, 0, t++));
      const sa = createTeamsConversationStore(a, clock);
      const sb = createTeamsConversationStore(b, clock);
      await sa.save(ref('a:personal'), '19:team');
      await sb.save(ref('a:personal', 'https://smba.trafficmanager.net/emea/'), null);
      const got = (await sa.get('a:personal'))!;
      expect(got.reference.serviceUrl).toBe('https://smba.trafficmanager.net/emea/');
      expect(got.teamId).toBe('19:team');
      expect(got.installedAt).toBe('2026-11-27T09:00:00.000Z');
      expect(got.updatedAt).toBe('2026-11-27T09:00:01.000Z');
      await sb.remove('a:personal');
      expect(await sa.get('a:personal')).toBeNull();
    });

    it('rejects a reference without a service URL or conversation id', async () => {
      const { a } = await backend.two();
      const store = createTeamsConversationStore(a);
      await expect(store.save({ ...ref('x'), serviceUrl: 'not a url' })).rejects.toThrow();
      await expect(store.save({ ...ref(''), conversation: { id: '' } })).rejects.toThrow();
      expect(await store.list()).toEqual([]);
    });

    it('posted cards kept for their applied mark, replaced by a newer copy, unreadable ones null', async () => {
      const { a, b } = await backend.two();
      const sa = createTeamsConversationStore(a);
      const sb = createTeamsConversationStore(b);
      await sa.rememberCard('act-1', { type: 'AdaptiveCard', body: [1] });
      await sb.rememberCard('act-1', { type: 'AdaptiveCard', body: [2] });
      expect(await sa.card('act-1')).toEqual({ type: 'AdaptiveCard', body: [2] });
      expect(await sb.card('nope')).toBeNull();
    });
  });
}
