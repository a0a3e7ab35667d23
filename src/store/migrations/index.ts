/**
 * Schema migrations, applied in order by `migrate` (db.ts). Append new entries with the next
 * number; never edit one that has shipped. Each runs once, inside a transaction, and is recorded
 * in the `migrations` table.
 */
import { ALERT_MIGRATIONS } from './alerts.js';
import { LEASE_MIGRATIONS } from './leases.js';
import { EXPERIMENT_MIGRATIONS } from './experiments.js';

export interface Migration {
  id: string; // "NNN-name"
  /** SQLite; also PostgreSQL's when `postgres` is absent (SQL both accept) */
  sql: string;
  /** PostgreSQL's text where the dialects differ (src/store/sql/migrate.ts) */
  postgres?: string;
}

export const MIGRATIONS: Migration[] = [
  {
    id: '001-slack-installations',
    sql: `
      CREATE TABLE IF NOT EXISTS slack_installations (
        install_key   TEXT PRIMARY KEY,           -- enterprise id for org-wide installs, else team id
        enterprise_id TEXT,
        team_id       TEXT,
        is_enterprise INTEGER NOT NULL DEFAULT 0,
        bot_user_id   TEXT,
        installation  TEXT NOT NULL,               -- the Installation object as JSON
        installed_at  TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      );
    `,
  },
  {
    id: '002-digest-subscriptions',
    sql: `
      CREATE TABLE IF NOT EXISTS digest_subscriptions (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        channel     TEXT NOT NULL,               -- chat channel / conversation id
        surface     TEXT NOT NULL,               -- slack | teams | console
        cron        TEXT NOT NULL,               -- node-cron expression, in tz
        tz          TEXT NOT NULL,               -- IANA time zone, e.g. Europe/Berlin
        filter      TEXT,                        -- name glob or tag:k=v; NULL = every pipeline
        created_by  TEXT,
        created_at  TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS digest_subscriptions_channel ON digest_subscriptions (surface, channel);
      -- one row per subscription and period: recorded BEFORE posting, so a period is never sent twice
      CREATE TABLE IF NOT EXISTS digest_runs (
        subscription_id INTEGER NOT NULL REFERENCES digest_subscriptions (id) ON DELETE CASCADE,
        period_key      TEXT NOT NULL,           -- ISO instant of the scheduled fire that opens the period
        state           TEXT NOT NULL CHECK (state IN ('recorded', 'posted')),
        message_ts      TEXT,
        recorded_at     TEXT NOT NULL,
        posted_at       TEXT,
        UNIQUE (subscription_id, period_key)
      );
    `,
  },
  {
    // Which Slack installation a subscription posts with (OAuth, several workspaces): Bolt's
    // fetchInstallation({ teamId, enterpriseId, isEnterpriseInstall }). NULL: made before this was
    // recorded (the 300 backfill, or the sole installation at post time; else the post is refused
    // with a log line saying to subscribe again). Single-token mode ignores it.
    id: '003-digest-subscriptions-slack-installation',
    sql: `
      ALTER TABLE digest_subscriptions ADD COLUMN slack_team_id TEXT;
      ALTER TABLE digest_subscriptions ADD COLUMN slack_enterprise_id TEXT;
      ALTER TABLE digest_subscriptions ADD COLUMN slack_enterprise_install INTEGER NOT NULL DEFAULT 0;
    `,
  },
  // alert threads and apply audit (ids 1xx, own file)
  ...ALERT_MIGRATIONS,
  {
    // Existing Slack rows (from before 003/103) when exactly one workspace is installed: they can
    // only belong to it. With none (single-token mode) or several, they stay NULL (see 003).
    id: '300-slack-installation-backfill',
    sql: ['digest_subscriptions', 'alert_watches', 'alert_incidents', 'apply_audit']
      .map(
        (t) => `
      UPDATE ${t} SET
        slack_team_id = (SELECT team_id FROM slack_installations),
        slack_enterprise_id = (SELECT enterprise_id FROM slack_installations),
        slack_enterprise_install = (SELECT is_enterprise FROM slack_installations)
      WHERE surface = 'slack' AND slack_team_id IS NULL AND slack_enterprise_id IS NULL
        AND (SELECT COUNT(*) FROM slack_installations) = 1;`,
      )
      .join('\n'),
  },
  // the scheduler lease (ids 4xx, own file)
  ...LEASE_MIGRATIONS,
  // benchmarks and A/B tests (ids 5xx, own file)
  ...EXPERIMENT_MIGRATIONS,
];
