/**
 * Digests interrupted by a crash are posted at most once on Slack and the console: the first message
 * carries metadata (subscription, period), and at start a run left 'recorded' is looked up in the
 * channel's history (conversations.history) before being posted again. Everything runs on a fake
 * clock, the real scheduler and the console's fake Slack Web API (through the real WebClient).
 */
import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../commands/types.js';
import { createDigestScheduler, RECOVERED_NOTE } from '../../src/schedule/digest-scheduler.js';
import { DIGEST_EVENT_TYPE, digestMetadata, findSlackDigest, postSlackDigest } from '../../src/schedule/digest-post.js';
import { openDb, type Db } from '../../src/store/db.js';
import { sqliteSql } from '../../src/store/sql/sqlite.js';
import { createSubscriptionStore, type Subscription } from '../../src/store/subscriptions.js';
import { createFakeSlackApi, type FakeSlackApi } from '../../src/surfaces/console/fake-slack-api.js';
import { PostQueue } from '../../src/surfaces/slack/post-queue.js';
import { toBlocks } from '../../templates/blocks/index.js';
import { FakeClock, FakeCron } from './fake-cron.js';

const WEEKLY = { cron: '0 9 * * 1', tz: 'Europe/Berlin' };
const PERIOD = '2026-11-02T08:00:00.000Z';
const CHANNEL = 'C_DATA_ENG';

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

/** a WebClient over the fake Slack; `failHistory` answers conversations.history with that Slack error */
function clientFor(api: FakeSlackApi, failHistory?: string) {
  const calls: string[] = [];
  const fetch: typeof api.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = url.split('/api/')[1] ?? url;
    calls.push(method);
    if (failHistory && method === 'conversations.history') return new Response(JSON.stringify({ ok: false, error: failHistory }), { status: 200, headers: { 'content-type': 'application/json' } });
    return api.fetch(input, init);
  };
  return { client: new webApi.WebClient('xoxb-test', { fetch, retryConfig: { retries: 0 } }), calls };
}

/** one "process" of the bot: the real scheduler posting through postSlackDigest, looking up through findSlackDigest */
function boot(db: Db, clock: FakeClock, api: FakeSlackApi, opts: { dieAfterPost?: boolean; dieBeforePost?: boolean; failHistory?: string } = {}) {
  const store = createSubscriptionStore(sqliteSql(db), () => clock.now());
  const { client, calls } = clientFor(api, opts.failHistory);
  const queue = new PostQueue({ intervalMs: 0 });
  const logs: { message: string; meta?: Record<string, unknown> }[] = [];
  const scheduler = createDigestScheduler({
    store,
    cron: new FakeCron(clock),
    clock,
    build: async (sub, period): Promise<Reply> => ({ kind: 'text', text: `digest sub=${sub.id} period=${period.end.toISOString()}` }),
    async post(sub, reply, meta) {
      if (opts.dieBeforePost) throw new Error('killed before posting');
      const text = meta.note ? `${(reply as { text: string }).text} (${meta.note})` : (reply as { text: string }).text;
      const ts = await postSlackDigest(client, queue, sub.channel, toBlocks({ kind: 'text', text }), digestMetadata(sub.id, meta.periodKey));
      // the process dies after Slack accepted the message, before 'posted' is saved
      if (opts.dieAfterPost) throw new Error('killed after posting');
      return { ts };
    },
    async findPosted(sub, periodKey, since) {
      const ts = await findSlackDigest(client, sub.channel, digestMetadata(sub.id, periodKey), since);
      return ts ? { ts } : null;
    },
    log: (message, meta) => logs.push({ message, ...(meta ? { meta } : {}) }),
  });
  return { store, scheduler, calls, logs };
}

function subscribe(db: Db, clock: FakeClock, channel = CHANNEL): Promise<Subscription> {
  return createSubscriptionStore(sqliteSql(db), () => clock.now()).add({ channel, surface: 'console', cron: WEEKLY.cron, tz: WEEKLY.tz, filter: null, createdBy: 'U1' });
}

const digestMessages = (api: FakeSlackApi, channel = CHANNEL) => api.history(channel).filter((m) => m.text.startsWith('digest '));

describe('a digest interrupted by a crash (Slack, console)', () => {
  it('already in the channel (metadata found): marked posted with its ts, NOT posted again', async () => {
    db = openDb(':memory:');
    const clock = new FakeClock(Date.parse('2026-11-01T10:00:00Z'));
    const api = createFakeSlackApi({ now: () => clock.t });
    const sub = await subscribe(db, clock);
    clock.t = Date.parse(PERIOD) + 5_000;
    const crashed = boot(db, clock, api, { dieAfterPost: true });
    expect(await crashed.scheduler.tick(sub.id)).toBe('failed');
    expect((await crashed.store.getRun(sub.id, PERIOD))?.state).toBe('recorded');
    const [posted] = digestMessages(api);
    expect(posted?.metadata).toEqual({ event_type: DIGEST_EVENT_TYPE, event_payload: { subscription_id: sub.id, period_key: PERIOD } });

    clock.t += 90_000;
    const restarted = boot(db, clock, api);
    await restarted.scheduler.start();
    await restarted.scheduler.idle();
    expect(digestMessages(api)).toHaveLength(1);
    expect(await restarted.store.getRun(sub.id, PERIOD)).toMatchObject({ state: 'posted', messageTs: posted!.ts });
    expect(restarted.calls.filter((c) => c === 'chat.postMessage')).toEqual([]);
    expect(restarted.calls).toContain('conversations.history');
    expect(restarted.logs.map((l) => l.message).join('\n')).toMatch(/already in the channel/);
  });

  it('absent from the channel: posted once, with the recovered note, and its metadata', async () => {
    db = openDb(':memory:');
    const clock = new FakeClock(Date.parse('2026-11-01T10:00:00Z'));
    const api = createFakeSlackApi({ now: () => clock.t });
    const sub = await subscribe(db, clock);
    // another subscription's digest of the same period is in the channel: not a match
    const other = await subscribe(db, clock);
    clock.t = Date.parse(PERIOD) + 5_000;
    const crashed = boot(db, clock, api, { dieBeforePost: true });
    expect(await crashed.scheduler.tick(sub.id)).toBe('failed');
    expect(await boot(db, clock, api).scheduler.tick(other.id)).toBe('posted');
    expect(digestMessages(api)).toHaveLength(1);

    clock.t += 90_000;
    const restarted = boot(db, clock, api);
    await restarted.scheduler.start();
    await restarted.scheduler.idle();
    const mine = digestMessages(api).filter((m) => m.text.startsWith(`digest sub=${sub.id} `));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.text).toContain(RECOVERED_NOTE);
    expect(mine[0]!.metadata?.event_payload).toEqual({ subscription_id: sub.id, period_key: PERIOD });
    expect(await restarted.store.getRun(sub.id, PERIOD)).toMatchObject({ state: 'posted', messageTs: mine[0]!.ts });

    // a third start reads nothing and posts nothing
    const third = boot(db, clock, api);
    await third.scheduler.start();
    await third.scheduler.idle();
    expect(third.calls).toEqual([]);
    expect(digestMessages(api)).toHaveLength(2);
  });

  it('history cannot be read (missing_scope on an old install): posted again once (at-least-once), said once in the log', async () => {
    db = openDb(':memory:');
    const clock = new FakeClock(Date.parse('2026-11-01T10:00:00Z'));
    const api = createFakeSlackApi({ now: () => clock.t });
    const a = await subscribe(db, clock);
    const b = await subscribe(db, clock, 'C_PIPELINE_ALERTS');
    clock.t = Date.parse(PERIOD) + 5_000;
    const crashed = boot(db, clock, api, { dieAfterPost: true });
    expect(await crashed.scheduler.tick(a.id)).toBe('failed');
    expect(await crashed.scheduler.tick(b.id)).toBe('failed');

    clock.t += 90_000;
    const restarted = boot(db, clock, api, { failHistory: 'missing_scope' });
    await restarted.scheduler.start();
    await restarted.scheduler.idle();
    // the duplicate this fallback accepts: the message Slack had accepted, and the one posted now
    expect(digestMessages(api, CHANNEL)).toHaveLength(2);
    expect(digestMessages(api, 'C_PIPELINE_ALERTS')).toHaveLength(2);
    expect((await restarted.store.getRun(a.id, PERIOD))?.state).toBe('posted');
    expect((await restarted.store.getRun(b.id, PERIOD))?.state).toBe('posted');
    const warnings = restarted.logs.filter((l) => /could not read the channel/.test(l.message));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/at-least-once/);
    expect(String(warnings[0]!.meta?.error)).toContain('missing_scope');
  });

  it('only recovered runs read the history: a normal tick posts directly', async () => {
    db = openDb(':memory:');
    const clock = new FakeClock(Date.parse('2026-11-01T10:00:00Z'));
    const api = createFakeSlackApi({ now: () => clock.t });
    const sub = await subscribe(db, clock);
    const bot = boot(db, clock, api);
    await bot.scheduler.start();
    clock.t = Date.parse(PERIOD) + 1_000;
    expect(await bot.scheduler.tick(sub.id)).toBe('posted');
    expect(bot.calls).toEqual(['chat.postMessage']);
  });
});

describe('findSlackDigest over conversations.history', () => {
  it('pages through a busy channel and finds the message; ignores thread replies and other metadata', async () => {
    let t = Date.parse(PERIOD);
    const api = createFakeSlackApi({ now: () => (t += 1000) });
    const { client, calls } = clientFor(api);
    const queue = new PostQueue({ intervalMs: 0 });
    const meta = digestMetadata(7, PERIOD);
    const ts = await postSlackDigest(client, queue, CHANNEL, toBlocks({ kind: 'text', text: 'digest' }), meta);
    // a same-looking payload in a thread reply is not the digest (history lists top-level messages)
    api.post(CHANNEL, { text: 'reply', thread_ts: ts });
    for (let i = 0; i < 230; i++) api.post(CHANNEL, { text: `chatter ${i}` });
    calls.length = 0;
    expect(await findSlackDigest(client, CHANNEL, meta, new Date(Date.parse(PERIOD) - 60_000))).toBe(ts);
    expect(calls.filter((c) => c === 'conversations.history')).toHaveLength(3);
    expect(await findSlackDigest(client, CHANNEL, digestMetadata(7, '2026-11-09T08:00:00.000Z'), new Date(Date.parse(PERIOD) - 60_000))).toBeNull();
    expect(await findSlackDigest(client, CHANNEL, digestMetadata(8, PERIOD), new Date(Date.parse(PERIOD) - 60_000))).toBeNull();
    // a message older than `since` is not looked at
    expect(await findSlackDigest(client, CHANNEL, meta, new Date(Number(ts) * 1000 + 1))).toBeNull();
  });

  it('the fake Slack returns metadata only with include_all_metadata, newest first, top-level only', async () => {
    let t = Date.parse(PERIOD);
    const api = createFakeSlackApi({ now: () => (t += 1000) });
    const { client } = clientFor(api);
    const first = await client.chat.postMessage({ channel: CHANNEL, text: 'one', metadata: digestMetadata(1, PERIOD) });
    await client.chat.postMessage({ channel: CHANNEL, text: 'in thread', thread_ts: first.ts! });
    await client.chat.postMessage({ channel: CHANNEL, text: 'two' });
    const without = await client.conversations.history({ channel: CHANNEL });
    expect(without.messages?.map((m) => m.text)).toEqual(['two', 'one']);
    expect(without.messages?.some((m) => 'metadata' in m)).toBe(false);
    const withMeta = await client.conversations.history({ channel: CHANNEL, include_all_metadata: true, limit: 1 });
    expect(withMeta.messages?.map((m) => m.text)).toEqual(['two']);
    expect(withMeta.has_more).toBe(true);
    const next = await client.conversations.history({ channel: CHANNEL, include_all_metadata: true, limit: 1, cursor: withMeta.response_metadata!.next_cursor! });
    expect(next.messages?.[0]?.metadata).toEqual({ event_type: DIGEST_EVENT_TYPE, event_payload: { subscription_id: 1, period_key: PERIOD } });
    expect(next.has_more).toBe(false);
    await expect(client.conversations.history({ channel: 'C_NOPE' })).rejects.toThrow(/channel_not_found/);
  });
});
