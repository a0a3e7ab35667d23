/**
 * Digest subscriptions and their runs (migration 002-digest-subscriptions).
 * `digest_runs` has one row per (subscription, period): the scheduler records the period BEFORE
 * posting (`recordRun` → true only for the first caller), then marks it posted with the message ts.
 * A run left 'recorded' (crash between the two) is posted once at the next start. On either store
 * backend (src/store/sql/): with replicas on PostgreSQL the primary key on (subscription, period)
 * makes `recordRun` true for exactly one of them.
 */
import type { SqlDb } from './sql/types.js';
import type { Db } from './db.js';
import { asSqlDb } from './sql/sqlite.js';
import { SLACK_REF_COLUMNS, slackRefOfRow, slackRefParams, type SlackInstallationRef } from './slack-installations.js';

export type SubscriptionSurface = 'slack' | 'teams' | 'console' | 'cli';

export interface Subscription {
  id: number;
  channel: string;
  surface: SubscriptionSurface;
  cron: string;
  tz: string;
  filter: string | null;
  createdBy: string | null;
  createdAt: string;
  /**
   * the Slack installation it posts with (OAuth, several workspaces; migration 003); null when it
   * was made outside Slack or before this was recorded
   */
  slack?: SlackInstallationRef | null;
}

/** A subscription before the store gives it an id and a creation time. */
export type NewSubscription = Omit<Subscription, 'id' | 'createdAt'>;

export interface DigestRun {
  subscriptionId: number;
  periodKey: string;
  state: 'recorded' | 'posted';
  messageTs: string | null;
  recordedAt: string;
  postedAt: string | null;
}

/** What the `digest` command needs; the scheduler wraps it to reschedule on change. */
export interface SubscriptionRegistry {
  add(s: NewSubscription): Subscription | Promise<Subscription>;
  list(filter?: { surface?: SubscriptionSurface; channel?: string }): Subscription[] | Promise<Subscription[]>;
  /** removes one subscription of that channel; false when there is none with that id */
  remove(id: number, where?: { surface?: SubscriptionSurface; channel?: string }): boolean | Promise<boolean>;
}

export interface SubscriptionStore extends SubscriptionRegistry {
  add(s: NewSubscription): Promise<Subscription>;
  list(filter?: { surface?: SubscriptionSurface; channel?: string }): Promise<Subscription[]>;
  remove(id: number, where?: { surface?: SubscriptionSurface; channel?: string }): Promise<boolean>;
  get(id: number): Promise<Subscription | null>;
  /** true when this call recorded the period; false when it was already recorded (or posted) */
  recordRun(subscriptionId: number, periodKey: string): Promise<boolean>;
  markPosted(subscriptionId: number, periodKey: string, messageTs: string | null): Promise<void>;
  getRun(subscriptionId: number, periodKey: string): Promise<DigestRun | null>;
  /** runs recorded but not posted (a crash between the two), oldest first */
  pendingRuns(): Promise<DigestRun[]>;
}

interface SubRow {
  id: number;
  channel: string;
  surface: SubscriptionSurface;
  cron: string;
  tz: string;
  filter: string | null;
  created_by: string | null;
  created_at: string;
  slack_team_id: string | null;
  slack_enterprise_id: string | null;
  slack_enterprise_install: number;
}
interface RunRow {
  subscription_id: number;
  period_key: string;
  state: 'recorded' | 'posted';
  message_ts: string | null;
  recorded_at: string;
  posted_at: string | null;
}

const toSub = (r: SubRow): Subscription => ({
  id: Number(r.id),
  channel: r.channel,
  surface: r.surface,
  cron: r.cron,
  tz: r.tz,
  filter: r.filter,
  createdBy: r.created_by,
  createdAt: r.created_at,
  slack: slackRefOfRow(r as unknown as Record<string, unknown>),
});
const toRun = (r: RunRow): DigestRun => ({
  subscriptionId: Number(r.subscription_id),
  periodKey: r.period_key,
  state: r.state,
  messageTs: r.message_ts,
  recordedAt: r.recorded_at,
  postedAt: r.posted_at,
});

export function createSubscriptionStore(conn: SqlDb | Db, now: () => Date = () => new Date()): SubscriptionStore {
  const db = asSqlDb(conn);
  const where = (f: { surface?: SubscriptionSurface; channel?: string }) => ({
    // CAST: PostgreSQL cannot tell the type of a bare `? IS NULL` parameter
    sql: `(CAST(? AS TEXT) IS NULL OR surface = ?) AND (CAST(? AS TEXT) IS NULL OR channel = ?)`,
    params: [f.surface ?? null, f.surface ?? null, f.channel ?? null, f.channel ?? null],
  });
  return {
    async add(s) {
      const createdAt = now().toISOString();
      // RETURNING: SQLite ≥ 3.35 and PostgreSQL alike (no lastInsertRowid on PostgreSQL)
      const row = await db.get<SubRow>(
        `INSERT INTO digest_subscriptions (channel, surface, cron, tz, filter, created_by, created_at, ${SLACK_REF_COLUMNS})
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        [s.channel, s.surface, s.cron, s.tz, s.filter, s.createdBy, createdAt, ...slackRefParams(s.slack)],
      );
      return toSub(row!);
    },
    async list(f = {}) {
      const w = where(f);
      return (await db.all<SubRow>(`SELECT * FROM digest_subscriptions WHERE ${w.sql} ORDER BY id`, w.params)).map(toSub);
    },
    async remove(id, f = {}) {
      const w = where(f);
      return (await db.run(`DELETE FROM digest_subscriptions WHERE id = ? AND ${w.sql}`, [id, ...w.params])).changes > 0;
    },
    async get(id) {
      const r = await db.get<SubRow>('SELECT * FROM digest_subscriptions WHERE id = ?', [id]);
      return r ? toSub(r) : null;
    },
    async recordRun(subscriptionId, periodKey) {
      const r = await db.run(
        `INSERT INTO digest_runs (subscription_id, period_key, state, recorded_at) VALUES (?, ?, 'recorded', ?)
         ON CONFLICT (subscription_id, period_key) DO NOTHING`,
        [subscriptionId, periodKey, now().toISOString()],
      );
      return r.changes > 0;
    },
    async markPosted(subscriptionId, periodKey, messageTs) {
      await db.run(`UPDATE digest_runs SET state = 'posted', message_ts = ?, posted_at = ? WHERE subscription_id = ? AND period_key = ?`, [messageTs, now().toISOString(), subscriptionId, periodKey]);
    },
    async getRun(subscriptionId, periodKey) {
      const r = await db.get<RunRow>('SELECT * FROM digest_runs WHERE subscription_id = ? AND period_key = ?', [subscriptionId, periodKey]);
      return r ? toRun(r) : null;
    },
    async pendingRuns() {
      return (await db.all<RunRow>(`SELECT * FROM digest_runs WHERE state = 'recorded' ORDER BY recorded_at, subscription_id`)).map(toRun);
    },
  };
}
