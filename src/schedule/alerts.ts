/**
 * Alert threads and one-click apply, wired together for src/main.ts:
 *
 *   const alerts = startAlerts({ db, source, rest, slack: { client: slackApp.app.client, queue: slackApp.deps.queue }, config });
 *   // with Teams too (or alone): posters: { teams: teamsAlertThreads(teamsSurface) }
 *   alerts.registerSlack(slackApp.app);                 // Apply / Confirm / Mute buttons, the apply modal
 *   run: alerts.withAlerts(runCommandText)               // `alerts …` and `apply …` see the store
 *   route POST /hooks/databricks → alerts.webhook        // (req, res) handler
 *   on shutdown: alerts.stop()
 *
 * The poller starts at once (every `intervalMs`, default 60 s) unless `start: false`.
 */
import type { App } from '@slack/bolt';
import type { webApi } from '@slack/bolt';
import type { CommandContext, Reply } from '../../commands/types.js';
import { allowListWarning } from '../apply/allow-list.js';
import { diffOf } from '../apply/apply-journal.js';
import { createApplyService } from '../apply/apply-service.js';
import { renderApplied } from '../../templates/blocks/alerts.js';
import type { Config } from '../config.js';
import type { RestClient } from '../databricks/rest.js';
import type { Source } from '../source.js';
import type { Db } from '../store/db.js';
import type { SqlDb } from '../store/sql/types.js';
import { ACTIVE_STATES, createAlertStore, type JournalRow } from '../store/alerts.js';
import type { PostQueue } from '../surfaces/slack/post-queue.js';
import type { SlackClients } from '../surfaces/slack/installation-clients.js';
import { registerAlertActions } from '../surfaces/slack/listeners/alerts.js';
import { type AlertPoster, type AlertThreads, slackAlertThreads, slackPoster } from './alert-poster.js';
import { createAlertPoller, type DailyCostRow, type PollerLogger, type Timers } from './alert-poller.js';
import type { AlertsApi, IncidentAction } from './alerts-api.js';
import { createWebhookHandler } from './webhook.js';

export interface StartAlertsOptions {
  db: SqlDb | Db;
  source: Source;
  /** the workspace REST client (listUpdates, getPipeline, editPipeline); the demo workspace's `restClient` */
  rest: RestClient;
  /**
   * Slack Web API client (single token, the console) or per-installation clients (OAuth:
   * installationClients), + the app's per-channel queue; or any poster (tests, other surfaces)
   */
  slack?: { client: webApi.WebClient | SlackClients; queue?: PostQueue };
  /** the Slack poster as a Block Kit AlertPoster (same as posters.slack) */
  poster?: AlertPoster;
  /**
   * Per surface: each watch (and its incidents) posts where it was created. `slack` wins over
   * `slack`/`poster` above; `teams` renders Adaptive Cards (teamsAlertThreads in teams-alert-poster.ts).
   * At least one surface is needed.
   */
  posters?: { slack?: AlertPoster; teams?: AlertThreads };
  /** teamsTenants: the Entra tenants a `teams:` allow-list entry is accepted from (TEAMS_TENANT_ID + TEAMS_ALLOWED_TENANT_IDS) */
  config: Pick<Config, 'webhookSecret' | 'applyAllowedUsers'> & { teamsTenants?: readonly string[] };
  clock?: () => Date;
  intervalMs?: number;
  timers?: Timers;
  /** default true: poll every intervalMs */
  start?: boolean;
  logger?: PollerLogger;
  /** how often open apply intents are reconciled after the one at start (default 60 s; 0: start only) */
  reconcileEveryMs?: number;
}

type RunCommand = (text: string, ctx: CommandContext) => Promise<Reply>;

const fmt = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function startAlerts(o: StartAlertsOptions) {
  const now = () => (o.clock ? o.clock() : new Date()).getTime();
  const logger = o.logger ?? { info: (...m: unknown[]) => console.info('[alerts]', ...m), warn: (...m: unknown[]) => console.warn('[alerts]', ...m) };
  const poster = o.posters?.slack ?? o.poster ?? (o.slack ? slackPoster(o.slack.client, o.slack.queue) : null);
  const teamsThreads = o.posters?.teams ?? null;
  if (!poster && !teamsThreads) throw new Error('startAlerts needs `slack` (a Web API client), a `poster` or `posters`');
  const store = createAlertStore(o.db);
  const service = createApplyService({ rest: o.rest, source: o.source, store, allowedUsers: o.config.applyAllowedUsers, teamsTenants: o.config.teamsTenants ?? [], now, logger });
  // bare (unprefixed) allow-list entries still match Slack ids: said once, at start (docs/security.md)
  const allowWarning = allowListWarning(service.allowList);
  if (allowWarning) logger.warn(allowWarning);
  // An apply confirmed in a Teams alert thread marks that alert's parent "fix applied" (Slack's
  // buttons do the same in src/surfaces/slack/listeners/alerts.ts).
  const apply: typeof service = {
    ...service,
    async confirm(input) {
      const r = await service.confirm(input);
      if (r.ok && input.surface === 'teams' && input.channel && input.threadTs) {
        const incident = await store.incidentByThread(input.channel, input.threadTs);
        if (incident) {
          const diff = r.preview.diff.map((d) => `${d.key} ${d.before ?? '(unset)'} → ${d.after ?? '(removed)'}`).join('; ');
          await poller.editParent(incident, 'fixed', `fix applied by ${input.userId}: ${diff}`);
        }
      }
      return r;
    },
  };

  const costBackend = o.source.costBackend?.bind(o.source);
  const dailyCost = costBackend
    ? async (ids: string[], start: Date, end: Date): Promise<DailyCostRow[]> => {
        const backend = await costBackend();
        const rows = await backend.warehouse.query('digest-daily', { period_start: start, period_end: end, pipeline_ids: ids.join(',') });
        return rows.map((r) => ({
          pipelineId: String(r.pipeline_id),
          day: r.day instanceof Date ? r.day.toISOString().slice(0, 10) : String(r.day).slice(0, 10),
          dollars: Number(r.dollars) || 0,
        }));
      }
    : null;

  const threads = { ...(poster ? { slack: slackAlertThreads(poster) } : {}), ...(teamsThreads ? { teams: teamsThreads } : {}) };
  const poller = createAlertPoller({ store, source: o.source, rest: o.rest, threads, now, intervalMs: o.intervalMs, timers: o.timers, logger, dailyCost });

  /** who did it, for a parent's status note ("by <@U1>"); null when nobody is known */
  const byWhom = (by: string | null) => (by ? `by <@${by}>` : null);
  const note = (...parts: (string | null)[]) => parts.filter((x): x is string => x !== null).join(' ');
  const activeIn = async (channel: string, pipelineId: string) =>
    pipelineId === '*' ? (await store.incidents(channel)).filter((i) => ACTIVE_STATES.includes(i.state)) : store.activeIncidents(channel, pipelineId);

  async function onMuted(channel: string, pipelineId: string, untilMs: number, by: string | null): Promise<void> {
    const incidents = (await activeIn(channel, pipelineId)).filter((i) => i.state === 'open' || i.state === 'acknowledged');
    for (const i of incidents) await poller.editParent(i, 'muted', note(byWhom(by), `until ${fmt(untilMs)}`), { by });
  }

  /**
   * A person's action on the pipeline's active alerts in this channel (the parent's buttons and
   * `alerts ack|resolve|unmute`): acknowledge (someone is on it; it stays active and can still
   * recover), resolve (closed by hand), unmute (the mute ends; muted alerts are open again). The
   * parent's status line says who and when. Returns the alerts it changed.
   */
  async function onIncidentAction(channel: string, pipelineId: string, action: IncidentAction, by: string | null): Promise<number> {
    const all = await activeIn(channel, pipelineId);
    let changed = 0;
    if (action === 'unmute') {
      await store.unmute(channel, pipelineId);
      for (const i of all.filter((x) => x.state === 'muted')) {
        await poller.editParent(i, 'open', note('unmuted', byWhom(by)), { by });
        changed++;
      }
      return changed;
    }
    const targets = action === 'acknowledge' ? all.filter((i) => i.state === 'open') : all;
    for (const i of targets) {
      // the status label already says what was done ("Status: acknowledged — by @ana …"): the note says who
      await poller.editParent(i, action === 'acknowledge' ? 'acknowledged' : 'resolved', byWhom(by), { by });
      changed++;
    }
    return changed;
  }

  const api: AlertsApi = { store, apply, onMuted, onIncidentAction };
  const webhook = createWebhookHandler({
    secret: o.config.webhookSecret,
    isWatched: (id) => poller.isWatched(id),
    trigger: (e) => poller.checkPipeline(e.pipelineId),
    logger,
  });
  if (o.start !== false) poller.start();

  /** "Applied by …" for an intent the reconciliation found applied, where the normal path would have posted it. */
  async function announceReconciled(row: JournalRow): Promise<void> {
    if (!row.channel) return;
    const diff = diffOf(row);
    const shown = { userId: row.userId, pipelineName: row.pipelineName ?? row.pipelineId, title: row.title ?? row.recommendationId, diff };
    if (row.surface === 'teams') {
      if (!teamsThreads || !row.threadTs) return;
      const text = `Applied by ${shown.userId} to ${shown.pipelineName}: ${shown.title} — ${diff.map((d) => `${d.key} ${d.before ?? '(unset)'} → ${d.after ?? '(removed)'}`).join('; ')} (audit #${row.id}).`;
      await teamsThreads.postReply(row.channel, { kind: 'text', text }, row.threadTs);
    } else {
      if (!poster) return;
      const ts = await poster.post(row.channel, renderApplied(shown), row.threadTs ?? undefined, row.slack ?? null);
      if (!row.threadTs) await store.setAuditThread(row.id, row.channel, ts);
    }
    const incident = row.threadTs ? await store.incidentByThread(row.channel, row.threadTs) : null;
    const who = row.surface === 'teams' ? row.userId : `<@${row.userId}>`;
    if (incident) await poller.editParent(incident, 'fixed', `fix applied by ${who}: ${diff.map((d) => `${d.key} ${d.before ?? '(unset)'} → ${d.after ?? '(removed)'}`).join('; ')}`);
  }

  /** Open apply intents (a crash between intent and outcome) checked against their pipelines; applied ones announced. */
  async function reconcile(opts: { minAgeMs?: number } = {}) {
    const done = await service.reconcile(opts);
    for (const r of done) {
      logger.info(`apply #${r.row.id} (${r.row.recommendationId} on ${r.row.pipelineId}) reconciled: ${r.result}`);
      if (r.result === 'applied') await announceReconciled(r.row).catch((err: unknown) => logger.warn(`posting "Applied by" for apply #${r.row.id} failed: ${err instanceof Error ? err.message : String(err)}`));
    }
    return done;
  }
  /** a reconciliation pass whose failure is logged; nothing recorded then */
  const reconcileQuietly = () =>
    reconcile().catch((err: unknown) => {
      logger.warn(`apply reconciliation failed: ${err instanceof Error ? err.message : String(err)}`);
      return [];
    });
  /**
   * Reconciliation is scheduled work: with `start: false` it waits for startReconciling() (the
   * scheduler lease holder's, src/main.ts), so one replica at a time reconciles and announces.
   * At its start an intent from before this process is not in flight here; another live process's
   * younger intent is left for the later passes (RECONCILE_MIN_AGE_MS).
   */
  const every = o.reconcileEveryMs ?? 60_000;
  let reconcileTimer: ReturnType<typeof setInterval> | null = null;
  function startReconciling(): Promise<Awaited<ReturnType<typeof reconcile>>> {
    const first = reconcileQuietly();
    if (every > 0 && !reconcileTimer) {
      reconcileTimer = setInterval(() => void reconcileQuietly(), every);
      reconcileTimer.unref();
    }
    return first;
  }
  function stopReconciling(): void {
    if (reconcileTimer) clearInterval(reconcileTimer);
    reconcileTimer = null;
  }
  const reconciled = o.start !== false ? startReconciling() : Promise.resolve([]);

  return {
    store,
    apply,
    poller,
    poster,
    api,
    /** node:http handler for POST /hooks/databricks */
    webhook: webhook.handler,
    webhookIdle: webhook.idle,
    /** the reconciliation of open apply intents made at start (resolves with what it recorded; [] with `start: false`) */
    reconciled,
    /** the scheduler lease holder's: reconcile now, then every reconcileEveryMs; stopReconciling when the lease is lost */
    startReconciling,
    stopReconciling,
    /** reconcile open apply intents now (older than minAgeMs, default RECONCILE_MIN_AGE_MS) */
    reconcile,
    /** wraps runCommandText so `alerts` and `apply` reach this service */
    withAlerts(run: RunCommand): RunCommand {
      return (text, ctx) => run(text, { ...ctx, alerts: api });
    },
    /** the Apply / Confirm / Mute buttons and the apply modal on the Bolt app */
    registerSlack(app: App): void {
      if (!poster) throw new Error('registerSlack needs the Slack poster (startAlerts `slack`, `poster` or `posters.slack`)');
      registerAlertActions(app, { apply, store, poster, editParent: (i, state, note) => poller.editParent(i, state, note), onMuted, onIncidentAction, now, logger });
    },
    stop(): void {
      poller.stop();
      stopReconciling();
    },
  };
}

export type Alerts = ReturnType<typeof startAlerts>;
