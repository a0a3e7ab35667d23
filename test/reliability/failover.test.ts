/**
 * Failover of the scheduler between bot replicas on one PostgreSQL database (issue 19 item 5):
 * whole bot processes (`dlt-doctor start`, as `npm start` runs it) on a real PostgreSQL server,
 * posting to a stand-in for slack.com over HTTP (test/support/slack-capture.ts). Two replicas run;
 * the capture server accepts the leader's first alert post and never answers it, and the test
 * SIGKILLs the leader with that post in flight; a replacement replica starts (as a deployment
 * would restart it). Later the same with a digest post. Then:
 *   - another replica takes over the scheduler lease within its ttl plus a renew interval;
 *   - the interrupted alert is found in the channel by its metadata (dedupe key) and recorded, not
 *     posted again; every incident has exactly one parent message; its diagnosis is in its thread;
 *   - the interrupted digest period is found the same way: one message per digest period.
 * Each replica runs the demo workspace (the same generated history: it is seeded and ends at the
 * current hour), so all of them see the same pipelines, updates and incidents.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertStore, DEFAULT_THRESHOLDS } from '../../src/store/alerts.js';
import { openStore, type OpenedStore } from '../../src/store/open.js';
import { createSubscriptionStore } from '../../src/store/subscriptions.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres.js';
import { startSlackCapture, type CapturedPost, type SlackCapture } from '../support/slack-capture.js';

const LEASE_S = 4;
const ALERT_CHANNEL = 'C0ALERTS';
const DIGEST_CHANNEL = 'C0DIGEST';

describe.skipIf(!postgresAvailable)('two bot replicas on PostgreSQL: the leader SIGKILLed mid-post', () => {
  let pg: TestPostgres;
  let capture: SlackCapture;
  let store: OpenedStore;
  let env: Record<string, string>;
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    capture = await startSlackCapture();
    const url = await pg.database('failover');
    // the channel's watch and digest subscription, made before any replica starts (as `/dlt alerts on *` and `/dlt digest subscribe` would)
    store = await openStore({ databaseUrl: url, dbPath: ':memory:' });
    await createAlertStore(store.sql).watch({ channel: ALERT_CHANNEL, pipelineId: '*', pipelineName: '*', createdBy: 'U0ADMIN', createdAt: Date.now(), ...DEFAULT_THRESHOLDS });
    await createSubscriptionStore(store.sql).add({ channel: DIGEST_CHANNEL, surface: 'slack', cron: '* * * * *', tz: 'UTC', filter: null, createdBy: 'U0ADMIN' });
    env = {
      DATABASE_URL: url,
      // the demo keeps applied settings beside this file; the state itself is in PostgreSQL
      DLT_DOCTOR_DB: join(mkdtempSync(join(tmpdir(), 'dlt-failover-')), 'unused.sqlite'),
      SLACK_BOT_TOKEN: 'xoxb-failover-test',
      SLACK_SIGNING_SECRET: 'failover-test-signing-secret',
      SLACK_API_URL: `${capture.url}/api/`,
      DLT_DOCTOR_ALERT_POLL_SECONDS: '2',
      DLT_DOCTOR_SCHEDULER_LEASE_SECONDS: String(LEASE_S),
    };
  }, 120_000);

  afterAll(async () => {
    for (const b of bots) await b.kill('SIGKILL').catch(() => undefined);
    await store?.close();
    await capture?.close();
    await pg?.stop();
  });

  const start = async (name: string) => {
    const b = await startBotProcess(name, env);
    bots.push(b);
    return b;
  };
  const alive = () => bots.filter((b) => b.child.exitCode === null && b.child.signalCode === null);
  /** the replica /healthz calls leader, once exactly one does */
  async function leaderWithin(ms: number): Promise<BotProcess> {
    const until = Date.now() + ms;
    for (;;) {
      const roles = await Promise.all(alive().map(async (b) => ({ b, h: await b.health() })));
      const leaders = roles.filter((r) => r.h?.scheduler === 'leader');
      if (leaders.length === 1) return leaders[0]!.b;
      expect(leaders.length, 'two replicas called themselves leader at once').toBeLessThanOrEqual(1);
      if (Date.now() > until) throw new Error(`no leader within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const alertParents = () => capture.posts.filter((p) => p.threadTs === null && p.metadata?.event_type === 'dlt_doctor_alert');
  const keyOf = (p: CapturedPost) => String(p.metadata?.event_payload?.dedupe_key);

  it('an alert post in flight at the kill is recorded, not posted twice; every incident has one parent', async () => {
    const heldAlert = capture.holdNext((p) => p.metadata?.event_type === 'dlt_doctor_alert');
    const a = await start('A');
    await a.waitForRole('leader', 30_000);
    // the start line names the state database (host:port/db, never credentials)
    expect(a.lines.join('\n')).toMatch(/State: PostgreSQL 127\.0\.0\.1:\d+\/failover\. Health:/);
    const b = await start('B');
    expect((await b.health())?.scheduler).toBe('follower');
    expect(await b.health()).toMatchObject({ ok: true, database: 'reachable' });

    const held = await heldAlert;
    expect((await a.health())?.scheduler).toBe('leader');
    const killedAt = Date.now();
    await a.kill('SIGKILL');
    await start('C');
    const next = await leaderWithin(LEASE_S * 1000 * 2 + 10_000);
    const failoverMs = Date.now() - killedAt;
    expect(next.name).not.toBe('A');
    // the lease outlives a dead holder by at most its ttl; the next renew tick takes it
    expect(failoverMs).toBeLessThan(LEASE_S * 1000 * 1.25 + 5_000);

    // every incident posted: none left pending, and the count steady over a few polls
    const alerts = createAlertStore(store.sql);
    const until = Date.now() + 60_000;
    let steadySince = Date.now();
    let lastCount = -1;
    for (;;) {
      const pending = await alerts.pendingIncidents();
      const count = alertParents().length;
      if (count !== lastCount) {
        lastCount = count;
        steadySince = Date.now();
      }
      if (pending.length === 0 && Date.now() - steadySince > 6_000) break;
      if (Date.now() > until) throw new Error(`alerts still pending: ${pending.map((i) => i.dedupeKey).join(', ')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const incidents = (await alerts.incidents(ALERT_CHANNEL)).filter((i) => i.kind !== 'cost');
    expect(incidents.length).toBeGreaterThan(0);
    const parents = alertParents();
    const perKey = new Map<string, number>();
    for (const p of parents) perKey.set(keyOf(p), (perKey.get(keyOf(p)) ?? 0) + 1);
    expect([...perKey].filter(([, n]) => n > 1), 'alert parents posted twice').toEqual([]);
    // each incident's recorded parent is the one message with its key; the held one included
    for (const i of incidents) {
      const mine = parents.filter((p) => keyOf(p) === i.dedupeKey);
      expect(mine, i.dedupeKey).toHaveLength(1);
      expect(i.parentTs).toBe(mine[0]!.ts);
    }
    const interrupted = incidents.find((i) => i.dedupeKey === keyOf(held))!;
    expect(interrupted.parentTs).toBe(held.ts);
    // its diagnosis followed in its thread (the replica that recorded it posted it)
    expect(capture.posts.filter((p) => p.threadTs === held.ts).length).toBeGreaterThan(0);
    expect(next.lines.join('\n')).toContain('was already posted when a restart interrupted it');
    console.log(`failover test: alert leader SIGKILLed mid-post, ${next.name} leader after ${failoverMs} ms (lease ${LEASE_S} s); ${incidents.length} incidents, ${parents.length} parents, none twice`);
  }, 180_000);

  it('a digest post in flight at the kill is found in the channel: one message per period', async () => {
    const heldDigest = capture.holdNext((p) => p.metadata?.event_type === 'dlt_doctor_digest');
    // the next whole minute (the subscription's cron), at most 60 s away
    const held = await heldDigest;
    const leader = await leaderWithin(5_000);
    const killedAt = Date.now();
    await leader.kill('SIGKILL');
    const next = await leaderWithin(LEASE_S * 1000 * 2 + 10_000);
    const failoverMs = Date.now() - killedAt;
    const period = String(held.metadata?.event_payload?.period_key);
    const subs = createSubscriptionStore(store.sql);
    const [sub] = await subs.list();
    // the new leader's recovery finds the message and marks the run posted with its ts
    const until = Date.now() + 30_000;
    for (;;) {
      const run = await subs.getRun(sub!.id, period);
      if (run?.state === 'posted') {
        expect(run.messageTs).toBe(held.ts);
        break;
      }
      if (Date.now() > until) throw new Error(`the interrupted digest period ${period} was not recovered: ${JSON.stringify(run)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const digests = capture.posts.filter((p) => p.threadTs === null && p.metadata?.event_type === 'dlt_doctor_digest');
    const perPeriod = new Map<string, number>();
    for (const p of digests) perPeriod.set(String(p.metadata?.event_payload?.period_key), (perPeriod.get(String(p.metadata?.event_payload?.period_key)) ?? 0) + 1);
    expect([...perPeriod].filter(([, n]) => n > 1), 'digest periods posted twice').toEqual([]);
    expect(perPeriod.get(period)).toBe(1);
    console.log(`failover test: digest leader SIGKILLed mid-post, ${next.name} leader after ${failoverMs} ms; period ${period} recorded with the message posted before the kill`);
    for (const b of alive()) await b.kill('SIGTERM');
  }, 180_000);
});
