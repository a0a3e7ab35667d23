/**
 * Digest subscriptions and their runs (migration 002-digest-subscriptions).
 * `digest_runs` has one row per (subscription, period): the scheduler records the period BEFORE
 * posting (`recordRun` → true only for the first caller), then marks it posted with the message ts.
 * A run left 'recorded' (crash between the two) is posted once at the next start.
 */
import type { Db } from './db.js';
import { slackRefColumns, slackRefOfRow, type SlackInstallationRef } from './slack-installations.js';

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
  add(s: NewSubscription): Subscription;
  list(filter?: { surface?: SubscriptionSurface; channel?: string }): Subscription[];
  remove(id: number, where?: { surface?: SubscriptionSurface; channel?: string }): boolean;
  get(id: number): Subscription | null;
  /** true when this call recorded the period; false when it was already recorded (or posted) */
  recordRun(subscriptionId: number, periodKey: string): boolean;
  markPosted(subscriptionId: number, periodKey: string, messageTs: string | null): void;
  getRun(subscriptionId: number, periodKey: string): DigestRun | null;
  /** runs recorded but not posted (a crash between the two), oldest first */
  pendingRuns(): DigestRun[];
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
  id: r.id,
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
  subscriptionId: r.subscription_id,
  periodKey: r.period_key,
  state: r.state,
  messageTs: r.message_ts,
  recordedAt: r.recorded_at,
  postedAt: r.posted_at,
});

export function createSubscriptionStore(db: Db, now: () => Date = () => new Date()): SubscriptionStore {
  const insert = db.prepare(
    `INSERT INTO digest_subscriptions (channel, surface, cron, tz, filter, created_by, created_at, slack_team_id, slack_enterprise_id, slack_enterprise_install)
     VALUES (@channel, @surface, @cron, @tz, @filter, @createdBy, @createdAt, @slackTeamId, @slackEnterpriseId, @slackEnterpriseInstall)`,
  );
  const byId = db.prepare('SELECT * FROM digest_subscriptions WHERE id = ?');
  const all = db.prepare(
    `SELECT * FROM digest_subscriptions
     WHERE (@surface IS NULL OR surface = @surface) AND (@channel IS NULL OR channel = @channel) ORDER BY id`,
  );
  const del = db.prepare(
    `DELETE FROM digest_subscriptions WHERE id = @id AND (@surface IS NULL OR surface = @surface) AND (@channel IS NULL OR channel = @channel)`,
  );
  const record = db.prepare(
    `INSERT INTO digest_runs (subscription_id, period_key, state, recorded_at) VALUES (?, ?, 'recorded', ?)
     ON CONFLICT (subscription_id, period_key) DO NOTHING`,
  );
  const posted = db.prepare(
    `UPDATE digest_runs SET state = 'posted', message_ts = ?, posted_at = ? WHERE subscription_id = ? AND period_key = ?`,
  );
  const run = db.prepare('SELECT * FROM digest_runs WHERE subscription_id = ? AND period_key = ?');
  const pending = db.prepare(`SELECT * FROM digest_runs WHERE state = 'recorded' ORDER BY recorded_at, subscription_id`);

  return {
    add(s) {
      const createdAt = now().toISOString();
      const info = insert.run({ channel: s.channel, surface: s.surface, cron: s.cron, tz: s.tz, filter: s.filter, createdBy: s.createdBy, createdAt, ...slackRefColumns(s.slack) });
      return toSub(byId.get(Number(info.lastInsertRowid)) as SubRow);
    },
    list(f = {}) {
      return (all.all({ surface: f.surface ?? null, channel: f.channel ?? null }) as SubRow[]).map(toSub);
    },
    remove(id, where = {}) {
      return del.run({ id, surface: where.surface ?? null, channel: where.channel ?? null }).changes > 0;
    },
    get(id) {
      const r = byId.get(id) as SubRow | undefined;
      return r ? toSub(r) : null;
    },
    recordRun(subscriptionId, periodKey) {
      return record.run(subscriptionId, periodKey, now().toISOString()).changes > 0;
    },
    markPosted(subscriptionId, periodKey, messageTs) {
      posted.run(messageTs, now().toISOString(), subscriptionId, periodKey);
    },
    getRun(subscriptionId, periodKey) {
      const r = run.get(subscriptionId, periodKey) as RunRow | undefined;
      return r ? toRun(r) : null;
    },
    pendingRuns() {
      return (pending.all() as RunRow[]).map(toRun);
    },
  };
}
