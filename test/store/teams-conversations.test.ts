import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.js';
import { createTeamsConversationStore } from '../../src/store/teams-conversations.js';

const ref = (conversationId: string, serviceUrl = 'https://smba.trafficmanager.net/teams/') => ({
  channelId: 'msteams',
  serviceUrl,
  activityId: 'act-1',
  conversation: { id: conversationId, conversationType: 'channel', tenantId: 't1', isGroup: true },
  agent: { id: '28:bot', name: 'dlt-doctor' },
  user: { id: '29:u', name: 'Ana', aadObjectId: 'aad-1' },
});

describe('Teams conversation references in SQLite', () => {
  it('stores the channel (not the thread), without the activity id, and survives a reopen of the table', () => {
    const db = openDb(':memory:');
    let t = 0;
    const store = createTeamsConversationStore(db, () => new Date(Date.UTC(2026, 10, 27, 9, 0, t++)));
    store.save(ref('19:abc@thread.tacv2;messageid=123'), '19:team@thread.tacv2');
    const got = store.get('19:abc@thread.tacv2');
    expect(got?.reference.conversation.id).toBe('19:abc@thread.tacv2');
    expect(got?.reference.activityId).toBeUndefined();
    expect(got?.teamId).toBe('19:team@thread.tacv2');
    expect(got?.tenantId).toBe('t1');
    // migrations are idempotent: a second store on the same db sees the same rows
    expect(createTeamsConversationStore(db).list()).toHaveLength(1);
    db.close();
  });

  it('a later message refreshes the service URL but keeps the install time and the team', () => {
    const db = openDb(':memory:');
    let t = 0;
    const store = createTeamsConversationStore(db, () => new Date(Date.UTC(2026, 10, 27, 9, 0, t++)));
    store.save(ref('a:personal'), null);
    store.save(ref('a:personal', 'https://smba.trafficmanager.net/emea/'), null);
    const got = store.get('a:personal')!;
    expect(got.reference.serviceUrl).toBe('https://smba.trafficmanager.net/emea/');
    expect(got.installedAt).toBe('2026-11-27T09:00:00.000Z');
    expect(got.updatedAt).toBe('2026-11-27T09:00:01.000Z');
    store.remove('a:personal');
    expect(store.get('a:personal')).toBeNull();
    db.close();
  });

  it('rejects a reference without a service URL or conversation id', () => {
    const store = createTeamsConversationStore(openDb(':memory:'));
    expect(() => store.save({ ...ref('x'), serviceUrl: 'not a url' })).toThrow();
    expect(() => store.save({ ...ref(''), conversation: { id: '' } })).toThrow();
    expect(store.list()).toEqual([]);
  });
});
