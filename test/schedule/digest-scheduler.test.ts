import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../commands/types.js';
import { nodeCronEngine, previousFire } from '../../src/schedule/cron-engine.js';
import { createDigestScheduler, MISSED_NOTE, periodFor, RECOVERED_NOTE, type DigestPeriodWindow } from '../../src/schedule/digest-scheduler.js';
import { openDb, type Db } from '../../src/store/db.js';
import { sqliteSql } from '../../src/store/sql/sqlite.js';
import { createSubscriptionStore, type Subscription, type SubscriptionStore } from '../../src/store/subscriptions.js';
import { FakeClock, FakeCron } from './fake-cron.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEKLY_BERLIN = { cron: '0 9 * * 1', tz: 'Europe/Berlin' };

interface Posted {
  sub: number;
  periodKey: string;
  note: string | null;
  period: DigestPeriodWindow;
  at: number;
}

/** One "process" of the bot over a shared database file (an in-memory db survives as long as `db` does). */
function boot(db: Db, clock: FakeClock, opts: { failPost?: boolean } = {}) {
  const store = createSubscriptionStore(sqliteSql(db), () => clock.now());
  const cron = new FakeCron(clock);
  const posted: Posted[] = [];
  const periods = new Map<string, DigestPeriodWindow>();
  const scheduler = createDigestScheduler({
    store,
    cron,
    clock,
    async build(sub, period) {
      periods.set(`${sub.id}`, period);
      return { kind: 'text', text: `digest ${period.start.toISOString()}..${period.end.toISOString()}` } satisfies Reply;
    },
    async post(sub, _reply, meta) {
      if (opts.failPost) throw new Error('process died before posting');
      posted.push({ sub: sub.id, periodKey: meta.periodKey, note: meta.note, period: periods.get(`${sub.id}`)!, at: clock.t });
      return { ts: `ts-${posted.length}` };
    },
  });
  return { store, cron, scheduler, posted };
}

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

function subscribe(store: SubscriptionStore, s: Partial<Subscription> = {}): Promise<Subscription> {
  return store.add({ channel: 'C1', surface: 'slack', cron: s.cron ?? WEEKLY_BERLIN.cron, tz: s.tz ?? WEEKLY_BERLIN.tz, filter: null, createdBy: 'U1' });
}

describe('cron engine (node-cron, time-zone aware)', () => {
  it('Mondays 09:00 Europe/Berlin: 07:00Z in summer time, 08:00Z after the change on 2026-10-25', () => {
    const a = nodeCronEngine.next(WEEKLY_BERLIN.cron, WEEKLY_BERLIN.tz, new Date('2026-10-15T00:00:00Z'))!;
    const b = nodeCronEngine.next(WEEKLY_BERLIN.cron, WEEKLY_BERLIN.tz, a)!;
    expect(a.toISOString()).toBe('2026-10-19T07:00:00.000Z');
    expect(b.toISOString()).toBe('2026-10-26T08:00:00.000Z');
    expect(b.getTime() - a.getTime()).toBe(7 * DAY + HOUR);
    // and back: spring-forward 2027-03-28 shortens the week by one hour
    const c = nodeCronEngine.next(WEEKLY_BERLIN.cron, WEEKLY_BERLIN.tz, new Date('2027-03-20T00:00:00Z'))!;
    const d = nodeCronEngine.next(WEEKLY_BERLIN.cron, WEEKLY_BERLIN.tz, c)!;
    expect(d.getTime() - c.getTime()).toBe(7 * DAY - HOUR);
  });

  it('previousFire is the last instant at or before the given time', () => {
    const at = new Date('2026-10-28T12:00:00Z');
    expect(previousFire(nodeCronEngine, WEEKLY_BERLIN.cron, WEEKLY_BERLIN.tz, at)?.toISOString()).toBe('2026-10-26T08:00:00.000Z');
    expect(previousFire(nodeCronEngine, WEEKLY_BERLIN.cron, WEEKLY_BERLIN.tz, new Date('2026-10-26T08:00:00Z'))?.toISOString()).toBe('2026-10-26T08:00:00.000Z');
  });

  it('a digest period runs from the previous fire to this one, and the period before is as long', () => {
    const p = periodFor(nodeCronEngine, WEEKLY_BERLIN.cron, WEEKLY_BERLIN.tz, new Date('2026-10-26T08:00:00Z'))!;
    expect(p.start.toISOString()).toBe('2026-10-19T07:00:00.000Z');
    expect(p.end.getTime() - p.start.getTime()).toBe(7 * DAY + HOUR);
    expect(p.start.getTime() - p.previousStart.getTime()).toBe(7 * DAY + HOUR);
  });
});

describe('digest scheduler with a fake clock', () => {
  it('fires the weekly Berlin digest at the right UTC instants across the DST change', async () => {
    db = openDb(':memory:');
    const clock = new FakeClock(Date.parse('2026-10-14T10:00:00Z'));
    const { store, cron, scheduler, posted } = boot(db, clock);
    const sub = await subscribe(store);
    await scheduler.start();
    expect(scheduler.scheduled()).toEqual([sub.id]);
    cron.advanceTo(Date.parse('2026-10-30T00:00:00Z'));
    await scheduler.idle();
    expect(posted.map((p) => p.periodKey)).toEqual(['2026-10-19T07:00:00.000Z', '2026-10-26T08:00:00.000Z']);
    expect(Date.parse(posted[1]!.periodKey) - Date.parse(posted[0]!.periodKey)).toBe(7 * DAY + HOUR);
    expect(posted.every((p) => p.note === null)).toBe(true);
    expect(await store.getRun(sub.id, '2026-10-26T08:00:00.000Z')).toMatchObject({ state: 'posted', messageTs: 'ts-2' });
  });

  it('a restart in the middle of a period sends no second digest', async () => {
    db = openDb(':memory:');
    const clock = new FakeClock(Date.parse('2026-11-01T10:00:00Z'));
    const first = boot(db, clock);
    await subscribe(first.store);
    await first.scheduler.start();
    first.cron.advanceTo(Date.parse('2026-11-02T08:00:00Z')); // Monday 09:00 Berlin
    await first.scheduler.idle();
    expect(first.posted).toHaveLength(1);
    first.scheduler.stop();

    clock.t = Date.parse('2026-11-04T15:00:00Z'); // Wednesday: same period
    const second = boot(db, clock);
    await second.scheduler.start();
    second.cron.advanceTo(Date.parse('2026-11-08T12:00:00Z'));
    await second.scheduler.idle();
    expect(second.posted).toEqual([]);
    // and a late tick for the same fire is still the same period, recorded once
    expect(await second.scheduler.tick(1)).toBe('already-done');
    expect(second.posted).toEqual([]);
  });

  it('a crash between "recorded" and "posted" sends the digest once, at the next start', async () => {
    db = openDb(':memory:');
    const clock = new FakeClock(Date.parse('2026-11-01T10:00:00Z'));
    const crashed = boot(db, clock, { failPost: true });
    const sub = await subscribe(crashed.store);
    await crashed.scheduler.start();
    crashed.cron.advanceTo(Date.parse('2026-11-02T08:30:00Z'));
    await crashed.scheduler.idle();
    expect(crashed.posted).toEqual([]);
    expect((await crashed.store.getRun(sub.id, '2026-11-02T08:00:00.000Z'))?.state).toBe('recorded');
    crashed.scheduler.stop();

    clock.t = Date.parse('2026-11-02T09:00:00Z');
    const restarted = boot(db, clock);
    await restarted.scheduler.start();
    await restarted.scheduler.idle();
    expect(restarted.posted.map((p) => [p.periodKey, p.note])).toEqual([['2026-11-02T08:00:00.000Z', RECOVERED_NOTE]]);
    expect((await restarted.store.getRun(sub.id, '2026-11-02T08:00:00.000Z'))?.state).toBe('posted');

    // a third start posts nothing
    const third = boot(db, clock);
    await third.scheduler.start();
    await third.scheduler.idle();
    expect(third.posted).toEqual([]);
  });

  it('a digest missed while the bot was down is sent once on start, with a note, while its period is open', async () => {
    db = openDb(':memory:');
    const clock = new FakeClock(Date.parse('2026-11-01T10:00:00Z'));
    const before = boot(db, clock);
    const sub = await subscribe(before.store);
    // the bot is down on Monday 2026-11-02 at 09:00 Berlin; it starts on Tuesday
    clock.t = Date.parse('2026-11-03T07:00:00Z');
    const after = boot(db, clock);
    await after.scheduler.start();
    await after.scheduler.idle();
    expect(after.posted.map((p) => [p.periodKey, p.note])).toEqual([['2026-11-02T08:00:00.000Z', MISSED_NOTE]]);
    expect(after.posted[0]!.period.start.toISOString()).toBe('2026-10-26T08:00:00.000Z');
    // a second restart in the same period does not send it again
    const again = boot(db, clock);
    await again.scheduler.start();
    await again.scheduler.idle();
    expect(again.posted).toEqual([]);
    expect(sub.id).toBe(1);
  });

  it('does not send a "missed" digest for a fire before the subscription existed', async () => {
    db = openDb(':memory:');
    const clock = new FakeClock(Date.parse('2026-11-03T10:00:00Z')); // Tuesday, after Monday's fire
    const { store, scheduler, posted } = boot(db, clock);
    await subscribe(store);
    await scheduler.start();
    await scheduler.idle();
    expect(posted).toEqual([]);
  });

  it('unsubscribing stops the schedule; subscribing after start schedules it', async () => {
    db = openDb(':memory:');
    const clock = new FakeClock(Date.parse('2026-11-03T10:00:00Z'));
    const { cron, scheduler, posted } = boot(db, clock);
    await scheduler.start();
    const sub = await scheduler.add({ channel: 'C1', surface: 'slack', cron: '0 8 * * *', tz: 'UTC', filter: null, createdBy: null });
    expect(cron.active()).toBe(1);
    cron.advanceTo(Date.parse('2026-11-04T09:00:00Z'));
    await scheduler.idle();
    expect(posted).toHaveLength(1);
    expect(await scheduler.remove(sub.id, { surface: 'slack', channel: 'C1' })).toBe(true);
    expect(cron.active()).toBe(0);
    cron.advanceTo(Date.parse('2026-11-06T09:00:00Z'));
    await scheduler.idle();
    expect(posted).toHaveLength(1);
  });
});

describe('digestBuilder', () => {
  it('builds the subscription’s digest over its period and filter; a late note reaches the reply', async () => {
    const { generateDemoWorkspace } = await import('../../src/demo/generate.js');
    const { createDuckDbWarehouse } = await import('../../src/demo/warehouse.js');
    const { costBackendFromRaw } = await import('../../src/digest/backend.js');
    const { digestBuilder } = await import('../../src/schedule/digest-scheduler.js');
    const data = generateDemoWorkspace({ seed: 3 });
    const wh = await createDuckDbWarehouse(data);
    db = openDb(':memory:');
    try {
      const clock = new FakeClock(Date.parse('2026-11-22T00:00:00Z'));
      const store = createSubscriptionStore(sqliteSql(db), () => clock.now());
      const replies: Reply[] = [];
      const scheduler = createDigestScheduler({
        store,
        cron: new FakeCron(clock),
        clock,
        build: digestBuilder(async () => costBackendFromRaw(wh, data.pipelines.map((p) => p.pipeline))),
        async post(_sub, reply) {
          replies.push(reply);
          return { ts: '1' };
        },
      });
      await store.add({ channel: 'C1', surface: 'slack', cron: '0 6 * * *', tz: 'UTC', filter: 'orders_*', createdBy: null });
      clock.t = Date.parse('2026-11-23T07:00:00Z'); // missed 06:00
      await scheduler.start();
      await scheduler.idle();
      expect(replies).toHaveLength(1);
      const r = replies[0]!;
      expect(r.kind).toBe('digest');
      if (r.kind !== 'digest') return;
      expect(r.note).toBe(MISSED_NOTE);
      expect(r.digest.period).toMatchObject({ start: '2026-11-22T06:00:00.000Z', end: '2026-11-23T06:00:00.000Z', previousStart: '2026-11-21T06:00:00.000Z' });
      expect(r.digest.filter).toBe('orders_*');
      expect(r.digest.pipelines.map((p) => p.name)).toEqual(['orders_silver']);
    } finally {
      await wh.close();
    }
  }, 60_000);
});
