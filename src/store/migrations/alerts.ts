/**
 * Tables of alert threads and one-click apply (src/store/alerts.ts). Kept in their own list with
 * their own ids ("1xx-alerts-…") so they never collide with other migrations; `createAlertStore`
 * applies them (migrate() is idempotent), and MIGRATIONS may include them too.
 */
import type { Migration } from './index.js';

export const ALERT_MIGRATIONS: Migration[] = [
  {
    id: '101-alerts',
    sql: `
      CREATE TABLE IF NOT EXISTS alert_watches (
        channel        TEXT NOT NULL,
        pipeline_id    TEXT NOT NULL,            -- '*' watches every pipeline
        pipeline_name  TEXT NOT NULL,
        regression     REAL NOT NULL,            -- duration ≥ regression × baseline median
        backlog_min    REAL NOT NULL,            -- backlog growing for at least this many minutes
        cost_spike_pct REAL NOT NULL,            -- daily cost ≥ (1 + pct/100) × previous five-day average
        created_by     TEXT,
        created_at     INTEGER NOT NULL,
        PRIMARY KEY (channel, pipeline_id)
      );
      CREATE TABLE IF NOT EXISTS alert_incidents (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        dedupe_key    TEXT NOT NULL,             -- pipeline:update:kind
        channel       TEXT NOT NULL,
        pipeline_id   TEXT NOT NULL,
        pipeline_name TEXT NOT NULL,
        update_id     TEXT NOT NULL,
        kind          TEXT NOT NULL,             -- failed | regression | backlog | cost
        state         TEXT NOT NULL,             -- open | recovered | muted | fixed
        summary       TEXT NOT NULL,
        parent_ts     TEXT,
        thread_ts     TEXT,
        opened_at     INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL,
        UNIQUE (channel, dedupe_key)
      );
      CREATE INDEX IF NOT EXISTS alert_incidents_pipeline ON alert_incidents (pipeline_id, state);
      CREATE TABLE IF NOT EXISTS alert_mutes (
        channel     TEXT NOT NULL,
        pipeline_id TEXT NOT NULL,
        until_ms    INTEGER NOT NULL,
        muted_by    TEXT,
        PRIMARY KEY (channel, pipeline_id)
      );
      CREATE TABLE IF NOT EXISTS alert_checks (
        channel     TEXT NOT NULL,
        pipeline_id TEXT NOT NULL,
        update_id   TEXT NOT NULL,
        checked_at  INTEGER NOT NULL,
        PRIMARY KEY (channel, pipeline_id, update_id)
      );
      CREATE TABLE IF NOT EXISTS apply_audit (
        id                 INTEGER PRIMARY KEY AUTOINCREMENT,
        at                 INTEGER NOT NULL,
        user_id            TEXT NOT NULL,
        surface            TEXT NOT NULL,
        channel            TEXT,
        thread_ts          TEXT,
        pipeline_id        TEXT NOT NULL,
        update_id          TEXT,
        recommendation_id  TEXT NOT NULL,
        change_json        TEXT NOT NULL,
        diff_json          TEXT NOT NULL,
        before_json        TEXT,             -- the whole spec before (null when nothing was written)
        after_json         TEXT,
        result             TEXT NOT NULL,    -- applied | conflict | refused | failed
        message            TEXT,
        latest_update_time INTEGER,          -- creation_time of the newest update when applied
        followup_update_id TEXT,
        followup_at        INTEGER
      );
    `,
  },
  {
    // Teams alert threads: which chat a watch (and so each of its incidents) posts to. Existing
    // rows were all made in Slack or the console (which speaks the Slack API): 'slack'.
    id: '102-alerts-surface',
    sql: `
      ALTER TABLE alert_watches ADD COLUMN surface TEXT NOT NULL DEFAULT 'slack';     -- slack | teams
      ALTER TABLE alert_incidents ADD COLUMN surface TEXT NOT NULL DEFAULT 'slack';
    `,
  },
  {
    // The Slack installation each watch, incident and apply posts with (OAuth, several
    // workspaces: Bolt's fetchInstallation({ teamId, enterpriseId, isEnterpriseInstall })). NULL
    // for rows from before: migration 300 fills them when one workspace is installed.
    id: '103-alerts-slack-installation',
    sql: ['alert_watches', 'alert_incidents', 'apply_audit']
      .map(
        (t) => `
      ALTER TABLE ${t} ADD COLUMN slack_team_id TEXT;
      ALTER TABLE ${t} ADD COLUMN slack_enterprise_id TEXT;
      ALTER TABLE ${t} ADD COLUMN slack_enterprise_install INTEGER NOT NULL DEFAULT 0;`,
      )
      .join('\n'),
  },
  {
    // An incident whose parent message could not be posted (a Slack error, not_in_channel, a
    // missing token) stays pending and is retried with backoff; alerts list shows the last error.
    id: '104-incident-post-retry',
    sql: `
      ALTER TABLE alert_incidents ADD COLUMN post_attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE alert_incidents ADD COLUMN post_error TEXT;
      ALTER TABLE alert_incidents ADD COLUMN next_post_at INTEGER;
    `,
  },
  {
    // Apply as a journal (issue 15 item 1): the row is written as 'pending' (the intent: who, what,
    // before/after, expected_last_modified, where) BEFORE the PUT and gets its outcome after; an
    // intent a crash left 'pending' is reconciled at start against the pipeline's current spec.
    // result gains: pending | not_applied | invalid | replayed (besides applied, conflict, refused, failed).
    id: '105-apply-journal',
    sql: `
      ALTER TABLE apply_audit ADD COLUMN expected_last_modified INTEGER;
      ALTER TABLE apply_audit ADD COLUMN pipeline_name TEXT;
      ALTER TABLE apply_audit ADD COLUMN title TEXT;
      ALTER TABLE apply_audit ADD COLUMN resolved_at INTEGER;   -- when the outcome was written
      ALTER TABLE apply_audit ADD COLUMN reconciled INTEGER NOT NULL DEFAULT 0; -- 1: the outcome came from the start-up reconciliation
      CREATE INDEX IF NOT EXISTS apply_audit_pending ON apply_audit (result) WHERE result = 'pending';
    `,
  },
  {
    // Alert threads say when it happened and who did what (issue 17 item 6): event_at is the
    // failure / the end of the slow update (epoch ms; NULL: not known, the opening time is shown);
    // acted_by / acted_at the person and time of the last acknowledge, resolve, mute or unmute.
    // state gains acknowledged | resolved (besides open, recovered, muted, fixed).
    id: '106-incident-event-and-actor',
    sql: `
      ALTER TABLE alert_incidents ADD COLUMN event_at INTEGER;
      ALTER TABLE alert_incidents ADD COLUMN acted_by TEXT;
      ALTER TABLE alert_incidents ADD COLUMN acted_at INTEGER;
    `,
  },
  {
    // The bot's last word on each pipeline (issue 17 item 2): the verdict of its latest diagnosis
    // (why-slow, a button, an alert's thread), shown in the pipeline list beside Databricks' health.
    id: '107-last-verdicts',
    sql: `
      CREATE TABLE IF NOT EXISTS last_verdicts (
        pipeline_id  TEXT PRIMARY KEY,
        update_id    TEXT NOT NULL,
        bottleneck   TEXT NOT NULL,              -- cpu | memory | io | network | planning | startup | scaling | backlog | none
        confidence   REAL NOT NULL,
        diagnosed_at INTEGER NOT NULL            -- epoch ms
      );
    `,
  },
];
