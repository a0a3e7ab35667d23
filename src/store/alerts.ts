/**
 * Alert threads and apply audit in the store (SQLite or PostgreSQL: src/store/sql/): watches (channel × pipeline or '*', thresholds),
 * incidents (one per channel and dedupe key pipeline:update:kind), mutes, the updates already
 * checked, and the apply audit log. Everything survives a restart; the poller relies on the
 * UNIQUE dedupe key so a second process or a restart never posts the same incident twice.
 */
import type { AppliedChange } from '../diagnosis/applied-changes.js';
import type { Change } from '../diagnosis/types.js';
import type { Bottleneck } from '../diagnosis/evidence.js';
import type { Db } from './db.js';
import { migrate } from './db.js';
import { asSqlDb } from './sql/sqlite.js';
import type { SqlDb, SqlParam } from './sql/types.js';
import { ALERT_MIGRATIONS } from './migrations/alerts.js';
import { SLACK_REF_COLUMNS, slackRefOfRow, slackRefParams, type SlackInstallationRef } from './slack-installations.js';

export type { SlackInstallationRef };

export interface Thresholds {
  /** duration ≥ regression × baseline median */
  regression: number;
  /** backlog growing for at least this many minutes */
  backlogMin: number;
  /** daily cost ≥ (1 + pct/100) × previous five-day average */
  costSpikePct: number;
}
export const DEFAULT_THRESHOLDS: Thresholds = { regression: 1.5, backlogMin: 15, costSpikePct: 20 };

/** The chat a watch posts its incidents to: Slack (and the local console, which speaks the Slack API) or Teams. */
export type AlertSurface = 'slack' | 'teams';
const toSurface = (v: unknown): AlertSurface => (v === 'teams' ? 'teams' : 'slack');

export interface Watch extends Thresholds {
  channel: string;
  pipelineId: string; // '*' = every pipeline
  pipelineName: string;
  createdBy: string | null;
  createdAt: number;
  /** where its incidents are posted; 'slack' when absent */
  surface?: AlertSurface;
  /** the Slack installation its incidents post with (OAuth, several workspaces; migration 103); null/absent: unknown */
  slack?: SlackInstallationRef | null;
}

export type IncidentKind = 'failed' | 'regression' | 'backlog' | 'cost';
/** open, acknowledged and muted are active (the poller may still edit them); the rest are closed */
export type IncidentState = 'open' | 'acknowledged' | 'recovered' | 'muted' | 'fixed' | 'resolved';
export const ACTIVE_STATES: readonly IncidentState[] = ['open', 'acknowledged', 'muted'];

export interface Incident {
  id: number;
  dedupeKey: string;
  channel: string;
  pipelineId: string;
  pipelineName: string;
  updateId: string;
  kind: IncidentKind;
  state: IncidentState;
  summary: string;
  parentTs: string | null;
  threadTs: string | null;
  openedAt: number;
  updatedAt: number;
  /** the chat its parent message lives in (Slack ts or Teams activity id in parentTs/threadTs) */
  surface: AlertSurface;
  /** the Slack installation its messages post and edit with (the watch's, at opening) */
  slack?: SlackInstallationRef | null;
  /** failed attempts at posting the parent (0 once posted or never tried) */
  postAttempts?: number;
  /** the last posting error, while pending */
  postError?: string | null;
  /** when the next attempt is due (epoch ms), while pending */
  nextPostAt?: number | null;
  /** when a post of its parent was last started and not answered (a crash mid-post: looked up before posting again) */
  postStartedAt?: number | null;
  /** when it happened (the failure, the end of the slow update); null: not known, openedAt is shown */
  eventAt?: number | null;
  /** who acknowledged, resolved, muted or unmuted it last, and when */
  actedBy?: string | null;
  actedAt?: number | null;
}

export interface AuditRow {
  id: number;
  at: number;
  userId: string;
  surface: string;
  channel: string | null;
  threadTs: string | null;
  pipelineId: string;
  updateId: string | null;
  recommendationId: string;
  change: unknown;
  diff: unknown;
  before: unknown;
  after: unknown;
  /**
   * pending: the intent, written before the PUT (a crash left it open: reconciled at start);
   * applied | not_applied (a reconciled intent whose change is not in the pipeline) | conflict (409) |
   * failed | refused (not on the allow-list) | invalid (a payload or fix that could not be read or
   * prepared) | replayed (a Confirm for an intent already applied or still open)
   */
  result: AuditResult;
  message: string | null;
  latestUpdateTime: number | null;
  followupUpdateId: string | null;
  followupAt: number | null;
  /** the Slack installation the apply was made from ("did it help" posts with it) */
  slack?: SlackInstallationRef | null;
}

export type AuditResult = 'pending' | 'applied' | 'not_applied' | 'conflict' | 'refused' | 'failed' | 'invalid' | 'replayed';

/** The apply journal's extra columns (migration 105); absent on rows written without them. */
export interface AuditJournal {
  expectedLastModified?: number | null;
  pipelineName?: string | null;
  title?: string | null;
  resolvedAt?: number | null;
  reconciled?: boolean;
}

export const dedupeKey = (pipelineId: string, updateId: string, kind: IncidentKind) => `${pipelineId}:${updateId}:${kind}`;

type Row = Record<string, unknown>;

/** The verdict of a pipeline's latest diagnosis, for the pipeline list. */
export interface LastVerdict {
  pipelineId: string;
  updateId: string;
  bottleneck: Bottleneck;
  confidence: number;
  /** when it was diagnosed, epoch ms */
  at: number;
}
const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
const parse = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : null);

function toWatch(r: Row): Watch {
  return {
    channel: String(r.channel),
    pipelineId: String(r.pipeline_id),
    pipelineName: String(r.pipeline_name),
    regression: Number(r.regression),
    backlogMin: Number(r.backlog_min),
    costSpikePct: Number(r.cost_spike_pct),
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: Number(r.created_at),
    surface: toSurface(r.surface),
    slack: slackRefOfRow(r),
  };
}

function toIncident(r: Row): Incident {
  return {
    id: Number(r.id),
    dedupeKey: String(r.dedupe_key),
    channel: String(r.channel),
    pipelineId: String(r.pipeline_id),
    pipelineName: String(r.pipeline_name),
    updateId: String(r.update_id),
    kind: r.kind as IncidentKind,
    state: r.state as IncidentState,
    summary: String(r.summary),
    parentTs: (r.parent_ts as string | null) ?? null,
    threadTs: (r.thread_ts as string | null) ?? null,
    openedAt: Number(r.opened_at),
    updatedAt: Number(r.updated_at),
    surface: toSurface(r.surface),
    slack: slackRefOfRow(r),
    postAttempts: Number(r.post_attempts ?? 0),
    postError: (r.post_error as string | null) ?? null,
    eventAt: r.event_at === null || r.event_at === undefined ? null : Number(r.event_at),
    actedBy: (r.acted_by as string | null) ?? null,
    actedAt: r.acted_at === null || r.acted_at === undefined ? null : Number(r.acted_at),
    nextPostAt: r.next_post_at === null || r.next_post_at === undefined ? null : Number(r.next_post_at),
    postStartedAt: numOrNull(r.post_started_at),
  };
}

const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toAudit(r: Row): AuditRow & AuditJournal {
  return {
    expectedLastModified: numOrNull(r.expected_last_modified),
    pipelineName: (r.pipeline_name as string | null) ?? null,
    title: (r.title as string | null) ?? null,
    resolvedAt: numOrNull(r.resolved_at),
    reconciled: Number(r.reconciled ?? 0) === 1,
    id: Number(r.id),
    at: Number(r.at),
    userId: String(r.user_id),
    surface: String(r.surface),
    channel: (r.channel as string | null) ?? null,
    threadTs: (r.thread_ts as string | null) ?? null,
    pipelineId: String(r.pipeline_id),
    updateId: (r.update_id as string | null) ?? null,
    recommendationId: String(r.recommendation_id),
    change: parse(r.change_json),
    diff: parse(r.diff_json),
    before: parse(r.before_json),
    after: parse(r.after_json),
    result: r.result as AuditRow['result'],
    message: (r.message as string | null) ?? null,
    latestUpdateTime: r.latest_update_time === null ? null : Number(r.latest_update_time),
    followupUpdateId: (r.followup_update_id as string | null) ?? null,
    followupAt: r.followup_at === null ? null : Number(r.followup_at),
    slack: slackRefOfRow(r),
  };
}

const TARGETS = new Set(['pipeline', 'cluster', 'spark_conf', 'table_property', 'code']);
function changeOf(v: unknown): Change | null {
  if (!v || typeof v !== 'object') return null;
  const c = v as Record<string, unknown>;
  return typeof c.target === 'string' && TARGETS.has(c.target) && typeof c.key === 'string' && typeof c.value === 'string'
    ? { target: c.target as Change['target'], key: c.key, value: c.value }
    : null;
}

/** An `applied` audit row as the change it made (null for a row without a readable change). */
export function appliedChangeOf(a: AuditRow): AppliedChange | null {
  const change = a.result === 'applied' ? changeOf(a.change) : null;
  if (!change) return null;
  const first = Array.isArray(a.diff) ? (a.diff[0] as { before?: unknown } | undefined) : undefined;
  return {
    auditId: a.id,
    pipelineId: a.pipelineId,
    recommendationId: a.recommendationId,
    change,
    before: typeof first?.before === 'string' ? first.before : null,
    appliedAt: a.at,
    by: a.userId,
  };
}

export type NewAudit = Omit<AuditRow, 'id' | 'followupUpdateId' | 'followupAt'> & AuditJournal;
export type JournalRow = AuditRow & AuditJournal;

/**
 * On a better-sqlite3 connection the alert migrations are applied here (migrate() is idempotent);
 * a SqlDb (PostgreSQL, or SQLite opened by openStore) is migrated by whoever opened it
 * (src/store/sql/migrate.ts). Every method is async: on PostgreSQL each is a round trip.
 */
export function createAlertStore(conn: SqlDb | Db) {
  if ('prepare' in conn) migrate(conn, ALERT_MIGRATIONS);
  const db = asSqlDb(conn);
  const all = (sql: string, params?: readonly SqlParam[]) => db.all<Row>(sql, params);
  const one = (sql: string, params?: readonly SqlParam[]) => db.get<Row>(sql, params);


  return {
    async watch(w: Watch): Promise<void> {
      await db.run(
        `INSERT INTO alert_watches (channel, pipeline_id, pipeline_name, regression, backlog_min, cost_spike_pct, created_by, created_at, surface, ${SLACK_REF_COLUMNS})
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel, pipeline_id) DO UPDATE SET pipeline_name = excluded.pipeline_name, regression = excluded.regression,
           backlog_min = excluded.backlog_min, cost_spike_pct = excluded.cost_spike_pct, created_by = excluded.created_by, surface = excluded.surface,
           slack_team_id = excluded.slack_team_id, slack_enterprise_id = excluded.slack_enterprise_id, slack_enterprise_install = excluded.slack_enterprise_install`,
        [w.channel, w.pipelineId, w.pipelineName, w.regression, w.backlogMin, w.costSpikePct, w.createdBy, w.createdAt, w.surface ?? 'slack', ...slackRefParams(w.slack)],
      );
    },
    /** '*' removes the '*' watch only; `all` removes every watch of the channel. Returns rows removed. */
    async unwatch(channel: string, pipelineId: string | 'all'): Promise<number> {
      const r =
        pipelineId === 'all'
          ? await db.run('DELETE FROM alert_watches WHERE channel = ?', [channel])
          : await db.run('DELETE FROM alert_watches WHERE channel = ? AND pipeline_id = ?', [channel, pipelineId]);
      return r.changes;
    },
    async watches(channel?: string): Promise<Watch[]> {
      const rows = channel === undefined ? await all('SELECT * FROM alert_watches ORDER BY channel, pipeline_id') : await all('SELECT * FROM alert_watches WHERE channel = ? ORDER BY pipeline_id', [channel]);
      return rows.map(toWatch);
    },

    /**
     * Claims the dedupe key; null when this channel already has that incident. The claim is the
     * insert itself (UNIQUE (channel, dedupe_key), ON CONFLICT DO NOTHING): of two processes
     * opening the same incident exactly one gets the row back.
     */
    async openIncident(i: { channel: string; pipelineId: string; pipelineName: string; updateId: string; kind: IncidentKind; summary: string; at: number; surface?: AlertSurface; slack?: SlackInstallationRef | null; eventAt?: number | null }): Promise<Incident | null> {
      const key = dedupeKey(i.pipelineId, i.updateId, i.kind);
      const r = await one(
        `INSERT INTO alert_incidents (dedupe_key, channel, pipeline_id, pipeline_name, update_id, kind, state, summary, opened_at, updated_at, surface, ${SLACK_REF_COLUMNS}, event_at)
         VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel, dedupe_key) DO NOTHING
         RETURNING *`,
        [key, i.channel, i.pipelineId, i.pipelineName, i.updateId, i.kind, i.summary, i.at, i.at, i.surface ?? 'slack', ...slackRefParams(i.slack), i.eventAt ?? null],
      );
      return r ? toIncident(r) : null;
    },
    async incident(channel: string, key: string): Promise<Incident | null> {
      const r = await one('SELECT * FROM alert_incidents WHERE channel = ? AND dedupe_key = ?', [channel, key]);
      return r ? toIncident(r) : null;
    },
    async incidentByThread(channel: string, ts: string): Promise<Incident | null> {
      const r = await one('SELECT * FROM alert_incidents WHERE channel = ? AND (thread_ts = ? OR parent_ts = ?)', [channel, ts, ts]);
      return r ? toIncident(r) : null;
    },
    async setPosted(id: number, parentTs: string, threadTs: string, at: number): Promise<void> {
      await db.run('UPDATE alert_incidents SET parent_ts = ?, thread_ts = ?, updated_at = ?, post_error = NULL, next_post_at = NULL, post_started_at = NULL WHERE id = ?', [parentTs, threadTs, at, id]);
    },
    /** a post of its parent is starting: a crash before setPosted leaves this, and the next try looks the message up first */
    async postStarted(id: number, at: number): Promise<void> {
      await db.run('UPDATE alert_incidents SET post_started_at = ? WHERE id = ?', [at, id]);
    },
    async setState(id: number, state: IncidentState, at: number): Promise<void> {
      await db.run('UPDATE alert_incidents SET state = ?, updated_at = ? WHERE id = ?', [state, at, id]);
    },
    /** a person's action on it (acknowledge, resolve, mute, unmute): the new state, who and when */
    async setActed(id: number, state: IncidentState, by: string | null, at: number): Promise<void> {
      await db.run('UPDATE alert_incidents SET state = ?, acted_by = ?, acted_at = ?, updated_at = ? WHERE id = ?', [state, by, at, at, id]);
    },
    /** Posting its parent failed: kept pending with the error, the next attempt due at `nextAt`. */
    async postFailed(id: number, error: string, nextAt: number, at: number): Promise<void> {
      await db.run('UPDATE alert_incidents SET post_attempts = post_attempts + 1, post_error = ?, next_post_at = ?, updated_at = ?, post_started_at = NULL WHERE id = ?', [error.slice(0, 500), nextAt, at, id]);
    },
    /** Drops an incident that was never posted (its channel stopped watching the pipeline). */
    async forgetIncident(id: number): Promise<void> {
      await db.run('DELETE FROM alert_incidents WHERE id = ?', [id]);
    },
    async activeIncidents(channel: string, pipelineId: string): Promise<Incident[]> {
      return (await all("SELECT * FROM alert_incidents WHERE channel = ? AND pipeline_id = ? AND state IN ('open','acknowledged','muted') ORDER BY id", [channel, pipelineId])).map(toIncident);
    },
    /** Open incidents whose parent was never posted (a failed post: retried with backoff by the poller). */
    async pendingIncidents(): Promise<Incident[]> {
      return (await all("SELECT * FROM alert_incidents WHERE parent_ts IS NULL AND state = 'open' ORDER BY id")).map(toIncident);
    },
    /** the verdict of a pipeline's latest diagnosis (an older one never overwrites a newer) */
    async recordVerdict(v: LastVerdict): Promise<void> {
      await db.run(
        `INSERT INTO last_verdicts (pipeline_id, update_id, bottleneck, confidence, diagnosed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (pipeline_id) DO UPDATE SET update_id = excluded.update_id, bottleneck = excluded.bottleneck, confidence = excluded.confidence, diagnosed_at = excluded.diagnosed_at
         WHERE excluded.diagnosed_at >= last_verdicts.diagnosed_at`,
        [v.pipelineId, v.updateId, v.bottleneck, v.confidence, v.at],
      );
    },
    /** per pipeline id, the verdict of its latest diagnosis */
    async lastVerdicts(): Promise<Map<string, LastVerdict>> {
      const rows = await all('SELECT * FROM last_verdicts');
      return new Map(rows.map((r) => [String(r.pipeline_id), { pipelineId: String(r.pipeline_id), updateId: String(r.update_id), bottleneck: String(r.bottleneck) as Bottleneck, confidence: Number(r.confidence), at: Number(r.diagnosed_at) }]));
    },
    /** every open incident, any channel (the pipeline list's "alert open") */
    async openIncidents(): Promise<Incident[]> {
      return (await all("SELECT * FROM alert_incidents WHERE state IN ('open','acknowledged') ORDER BY id")).map(toIncident);
    },
    async incidents(channel?: string): Promise<Incident[]> {
      const rows = channel === undefined ? await all('SELECT * FROM alert_incidents ORDER BY id') : await all('SELECT * FROM alert_incidents WHERE channel = ? ORDER BY id', [channel]);
      return rows.map(toIncident);
    },

    async mute(channel: string, pipelineId: string, untilMs: number, by: string | null): Promise<void> {
      await db.run(
        `INSERT INTO alert_mutes (channel, pipeline_id, until_ms, muted_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (channel, pipeline_id) DO UPDATE SET until_ms = excluded.until_ms, muted_by = excluded.muted_by`,
        [channel, pipelineId, untilMs, by],
      );
    },
    /** ends the mute of this pipeline ('*': the channel-wide one) in this channel; whether there was one */
    async unmute(channel: string, pipelineId: string): Promise<boolean> {
      return (await db.run('DELETE FROM alert_mutes WHERE channel = ? AND pipeline_id = ?', [channel, pipelineId])).changes > 0;
    },
    /** The end of the mute covering this pipeline in this channel at `now`, or null. A '*' mute covers all. */
    async mutedUntil(channel: string, pipelineId: string, now: number): Promise<number | null> {
      const r = await one('SELECT until_ms FROM alert_mutes WHERE channel = ? AND pipeline_id IN (?, ?) AND until_ms > ? ORDER BY until_ms DESC LIMIT 1', [channel, pipelineId, '*', now]);
      return r ? Number(r.until_ms) : null;
    },
    async mutes(channel: string, now: number): Promise<{ pipelineId: string; untilMs: number; by: string | null }[]> {
      const rows = await all('SELECT * FROM alert_mutes WHERE channel = ? AND until_ms > ? ORDER BY pipeline_id', [channel, now]);
      return rows.map((r) => ({ pipelineId: String(r.pipeline_id), untilMs: Number(r.until_ms), by: (r.muted_by as string | null) ?? null }));
    },

    async markChecked(channel: string, pipelineId: string, updateId: string, at: number): Promise<void> {
      await db.run('INSERT INTO alert_checks (channel, pipeline_id, update_id, checked_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [channel, pipelineId, updateId, at]);
    },
    async isChecked(channel: string, pipelineId: string, updateId: string): Promise<boolean> {
      return (await one('SELECT 1 AS hit FROM alert_checks WHERE channel = ? AND pipeline_id = ? AND update_id = ?', [channel, pipelineId, updateId])) !== undefined;
    },

    async audit(a: NewAudit): Promise<number> {
      const r = await one(
        `INSERT INTO apply_audit (at, user_id, surface, channel, thread_ts, pipeline_id, update_id, recommendation_id, change_json, diff_json,
           before_json, after_json, result, message, latest_update_time, ${SLACK_REF_COLUMNS}, expected_last_modified, pipeline_name, title, resolved_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING id`,
        [
          a.at, a.userId, a.surface, a.channel, a.threadTs, a.pipelineId, a.updateId, a.recommendationId,
          json(a.change) ?? 'null', json(a.diff) ?? '[]', json(a.before), json(a.after), a.result, a.message, a.latestUpdateTime,
          ...slackRefParams(a.slack), a.expectedLastModified ?? null, a.pipelineName ?? null, a.title ?? null, a.resolvedAt ?? (a.result === 'pending' ? null : a.at),
        ],
      );
      return Number(r!.id);
    },
    async auditRow(id: number): Promise<JournalRow | null> {
      const r = await one('SELECT * FROM apply_audit WHERE id = ?', [id]);
      return r ? toAudit(r) : null;
    },
    /**
     * Writes an intent's outcome. Only a 'pending' row changes unless `force` (the process that made
     * the PUT knows better than a reconciliation that ran meanwhile). The specs stay only for 'applied'.
     * Returns whether the row changed (false: someone else resolved it first).
     */
    async resolveIntent(id: number, o: { result: Exclude<AuditResult, 'pending'>; message: string | null; at: number; reconciled?: boolean; force?: boolean }): Promise<boolean> {
      const keep = o.result === 'applied';
      const r = await db.run(
        `UPDATE apply_audit SET result = ?, message = ?, resolved_at = ?, reconciled = ?
           ${keep ? '' : ', before_json = NULL, after_json = NULL'}
         WHERE id = ? ${o.force ? '' : "AND result = 'pending'"}`,
        [o.result, o.message, o.at, o.reconciled ? 1 : 0, id],
      );
      return r.changes > 0;
    },
    /** intents still 'pending': the PUT's outcome was never written (a crash, SQLite busy) */
    async openIntents(): Promise<JournalRow[]> {
      return (await all("SELECT * FROM apply_audit WHERE result = 'pending' ORDER BY id")).map(toAudit);
    },
    /** the newest applied or still-open intent for this fix (pipeline id or name; any update when null) */
    async doneIntent(pipeline: string, recommendationId: string, updateId: string | null): Promise<JournalRow | null> {
      const r = await one(
        `SELECT * FROM apply_audit WHERE result IN ('applied', 'pending') AND recommendation_id = ?
           AND (pipeline_id = ? OR pipeline_name = ?) ${updateId === null ? '' : 'AND update_id = ?'} ORDER BY id DESC LIMIT 1`,
        updateId === null ? [recommendationId, pipeline, pipeline] : [recommendationId, pipeline, pipeline, updateId],
      );
      return r ? toAudit(r) : null;
    },
    async audits(): Promise<JournalRow[]> {
      return (await all('SELECT * FROM apply_audit ORDER BY id')).map(toAudit);
    },
    /** the changes dlt-doctor applied (oldest first), for not advising their reverse (src/diagnosis/applied-changes.ts) */
    async appliedChanges(): Promise<AppliedChange[]> {
      return (await all("SELECT * FROM apply_audit WHERE result = 'applied' ORDER BY at, id")).map(toAudit).map(appliedChangeOf).filter((c): c is AppliedChange => c !== null);
    },
    async pendingFollowups(): Promise<AuditRow[]> {
      return (await all("SELECT * FROM apply_audit WHERE result = 'applied' AND followup_at IS NULL ORDER BY id")).map(toAudit);
    },
    async setFollowup(id: number, updateId: string, at: number): Promise<void> {
      await db.run('UPDATE apply_audit SET followup_update_id = ?, followup_at = ? WHERE id = ?', [updateId, at, id]);
    },
    /** where "did it help" goes when the apply was not made from a thread */
    async setAuditThread(id: number, channel: string, threadTs: string): Promise<void> {
      await db.run('UPDATE apply_audit SET channel = ?, thread_ts = ? WHERE id = ?', [channel, threadTs, id]);
    },
  };
}

export type AlertStore = ReturnType<typeof createAlertStore>;
