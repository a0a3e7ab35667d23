/**
 * The alert poller: every `intervalMs` (and on a webhook call for one pipeline) it looks at the
 * watched pipelines' updates (REST listUpdates, newest first) and, for each watching channel:
 * - a FAILED update                                      → incident `failed`
 * - a completed update ≥ factor × its baseline median     → incident `regression` (the diagnosis' baseline)
 * - the growing-backlog rule's finding over ≥ N minutes   → incident `backlog` (terminal or running update)
 * - yesterday's cost ≥ (1 + pct) × the previous five days' average → incident `cost` (warehouse only)
 * Each incident is one parent message (UNIQUE dedupe key pipeline:update:kind per channel, so a
 * restart or a second poll never posts it again) with the diagnosis in its thread; later changes
 * (recovered, muted, fix applied) edit the parent. A muted pipeline's updates are not marked as
 * checked, so an incident still current when the mute ends is posted then. After an apply, the
 * first update that completes gets "did it help" in the apply's thread.
 * Each watch posts to its own surface (Slack or Teams, stored on the watch and its incidents); a
 * watch whose surface has no poster here is skipped (not marked checked) with one warning.
 *
 * Cost of a cycle (issue 16 item 3): the newest update state of every watched pipeline comes from
 * ONE statement over system.lakeflow.pipeline_update_timeline when the source has it
 * (`fleetUpdateStates`, refusal cached) and no '*' watch needs the pipeline list anyway; else from
 * the REST list (one page per 100 pipelines, `latest_updates`). Only pipelines whose newest state
 * changed since the last cycle (or with an unchecked finished update, a pending follow-up, a running
 * update due for its backlog re-check) get a listUpdates call, at most LIST_UPDATES_CONCURRENCY at a
 * time. The system table lags the live API by minutes, so on that path an update is noticed that
 * much later.
 */
import { whySlow } from '../../commands/why-slow.js';
import type { Reply } from '../../commands/types.js';
import type { AlertParent, DidItHelp } from '../../templates/blocks/alerts.js';
import { SlackInstallationUnavailable } from '../surfaces/slack/installation-clients.js';
import type { RestClient } from '../databricks/rest.js';
import type { RawUpdate } from '../databricks/schemas.js';
import type { Source } from '../source.js';
import type { AlertStore, AlertSurface, Incident, IncidentKind, IncidentState, Watch } from '../store/alerts.js';
import { type AlertPoster, type AlertThreads, slackAlertThreads } from './alert-poster.js';
import { createUnknownPipelines } from './unknown-pipelines.js';
import { DoctorError } from '../errors.js';
import { mapLimit } from '../util/map-limit.js';
import { formatDuration } from '../diagnosis/format.js';

type DiagnosisReply = Extract<Reply, { kind: 'diagnosis' }>;

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELED']);
const DAY = 86_400_000;
/** how often a running update is re-diagnosed for a growing backlog */
const RUNNING_RECHECK_MS = 5 * 60_000;
/** listUpdates calls in flight at once in a cycle (the REST client's token bucket paces them too) */
const LIST_UPDATES_CONCURRENCY = 8;

export interface DailyCostRow {
  pipelineId: string;
  /** YYYY-MM-DD (UTC) */
  day: string;
  dollars: number;
}

export interface PollerLogger {
  info(...m: unknown[]): void;
  warn(...m: unknown[]): void;
  /** an alert that could not be delivered at all (no Slack token for its workspace); warn when absent */
  error?(...m: unknown[]): void;
}

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface AlertPollerOptions {
  store: AlertStore;
  source: Source;
  rest: RestClient;
  /** per surface: Slack (and the console) and Teams */
  threads?: Partial<Record<AlertSurface, AlertThreads>>;
  /** a Block Kit poster for Slack watches (the older option; `threads.slack` wins) */
  poster?: AlertPoster;
  now: () => number;
  /** default 60 000 */
  intervalMs?: number;
  timers?: Timers;
  logger?: PollerLogger;
  /**
   * Daily list-price dollars per pipeline over [start, end) (the warehouse's digest-daily query);
   * null: no warehouse, so cost spikes are skipped (noted once in the log).
   */
  dailyCost?: ((pipelineIds: string[], start: Date, end: Date) => Promise<DailyCostRow[]>) | null;
}

export interface PollReport {
  pipelines: number;
  /** where the cycle read the update states: the timeline (one statement), the REST list, or neither (one pipeline, or the list failed) */
  updatesSource: 'update_timeline' | 'rest' | null;
  /** pipelines whose updates were listed (REST listUpdates) this cycle */
  listed: number;
  posted: number;
  edited: number;
  followups: number;
  notes: string[];
}

const fmtDuration = (s: number | null | undefined) => {
  if (s === null || s === undefined) return 'n/a';
  const m = Math.round(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}h ${m % 60}m` : `${m}m`;
};
const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Wait before the next attempt at posting an alert that failed `attempts` times: 1 min, doubling, at most 1 h. */
export function postBackoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export function createAlertPoller(o: AlertPollerOptions) {
  const log = o.logger ?? { info: () => undefined, warn: () => undefined };
  const logError = (m: string) => (log.error ? log.error(m) : log.warn(m));
  let lastCostDay: string | null = null;
  let costNoted = false;
  let running: Promise<PollReport> | null = null;
  let handle: unknown = null;
  const lastRunningCheck = new Map<string, number>();
  /** per pipeline, the newest update state seen at its last successful check ("id:state", or "none") */
  const lastSeen = new Map<string, string>();
  /** history-read errors already logged (interruptedPost): each once */
  const findErrorsLogged = new Set<string>();
  let lastUpdatesSource: PollReport['updatesSource'] | undefined;
  const unknownPipelines = createUnknownPipelines({ now: o.now });
  /**
   * when to try a failed post again: a workspace without a usable token (uninstalled, revoked) at
   * every poll, so a reinstall is picked up at once (it costs a store lookup, or one refused call);
   * any other failure (a Slack or Teams error, not_in_channel, a 5xx) after postBackoffMs
   */
  const nextPostAt = (err: unknown, attempts: number) => (err instanceof SlackInstallationUnavailable ? o.now() : o.now() + postBackoffMs(attempts));
  const posters: Partial<Record<AlertSurface, AlertThreads>> = {
    ...(o.poster ? { slack: slackAlertThreads(o.poster) } : {}),
    ...o.threads,
  };
  const noPosterNoted = new Set<AlertSurface>();
  /** the poster for a watch's surface; null (noted once in the log) when that surface is not configured */
  function posterFor(surface: AlertSurface | undefined): AlertThreads | null {
    const s = surface ?? 'slack';
    const p = posters[s] ?? null;
    if (!p && !noPosterNoted.has(s)) {
      noPosterNoted.add(s);
      log.warn(`alerts: ${s === 'teams' ? 'Teams' : 'Slack'} is not configured, so the alerts watched from ${s === 'teams' ? 'Teams' : 'Slack'} channels are not checked`);
    }
    return p;
  }
  const parentOf = (i: Pick<Incident, 'pipelineId' | 'pipelineName' | 'updateId' | 'kind' | 'summary' | 'eventAt' | 'openedAt'>, state: IncidentState, stateNote: string | null, stateAt: number | null = null): AlertParent => ({
    pipelineId: i.pipelineId,
    pipelineName: i.pipelineName,
    updateId: i.updateId,
    kind: i.kind,
    summary: i.summary,
    state,
    stateNote,
    stateAt,
    eventAt: i.eventAt ?? null,
    openedAt: i.openedAt,
    pipelineUrl: o.source.pipelineUrl(i.pipelineId, i.updateId.startsWith('day:') ? undefined : i.updateId),
  });

  type Hint = { updateId: string; state: string | null } | null;
  type Watched = Map<string, { name: string; watches: Watch[]; hint: Hint }>;

  /** the timeline's states, or null (no such source method, refused, or it failed) */
  async function fleetHints(): Promise<Map<string, { updateId: string; state: string }> | null> {
    if (!o.source.fleetUpdateStates) return null;
    return o.source.fleetUpdateStates().catch((err: unknown) => {
      log.warn(`alerts: reading update states from the update timeline failed: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    });
  }

  /**
   * Effective watches per pipeline (a channel's own watch of the pipeline beats its '*' watch), with
   * each pipeline's newest update from ONE fleet statement or ONE paged list call, so unchanged
   * pipelines cost no more calls. A '*' watch needs the REST list for the set of pipelines and their
   * names (the account-wide timeline has neither), so it reads states from that list too.
   */
  async function watchedPipelines(onlyPipeline?: string): Promise<{ watched: Watched; source: PollReport['updatesSource'] }> {
    const watches = await o.store.watches();
    const out: Watched = new Map();
    if (watches.length === 0) return { watched: out, source: null };
    const stars = watches.filter((w) => w.pipelineId === '*');
    const fleet = onlyPipeline || stars.length ? null : await fleetHints();
    const statuses = onlyPipeline || fleet ? null : await o.rest.listPipelines().catch((err: unknown) => {
      log.warn(`alerts: listing pipelines failed: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    });
    const byId = new Map((statuses ?? []).map((st) => [st.pipeline_id, st]));
    const hintOf = (id: string): Hint => {
      if (fleet) return fleet.get(id) ?? null;
      const latest = byId.get(id)?.latest_updates?.[0];
      return latest ? { updateId: latest.update_id, state: latest.state ?? null } : null;
    };
    const add = (id: string, name: string, w: Watch) => {
      const e = out.get(id) ?? { name, watches: [], hint: hintOf(id) };
      if (!e.watches.some((x) => x.channel === w.channel)) e.watches.push(w);
      out.set(id, e);
    };
    for (const w of watches) if (w.pipelineId !== '*' && (!onlyPipeline || w.pipelineId === onlyPipeline)) add(w.pipelineId, w.pipelineName, w);
    if (stars.length) {
      let all: { id: string; name: string }[];
      if (onlyPipeline) all = [await o.source.resolvePipeline(onlyPipeline).catch(() => null)].filter((p): p is { id: string; name: string } => p !== null);
      else if (statuses) all = statuses.map((st) => ({ id: st.pipeline_id, name: st.name ?? st.pipeline_id }));
      else all = (await o.source.listPipelines()).map((p) => ({ id: p.id, name: p.name }));
      for (const p of all) for (const w of stars) add(p.id, p.name, w);
    }
    return { watched: out, source: fleet ? 'update_timeline' : statuses ? 'rest' : null };
  }

  const hintKey = (h: Hint) => (h ? `${h.updateId}:${h.state ?? ''}` : 'none');

  /**
   * Nothing new since the last poll: the latest update is finished and every unmuted watch has
   * checked it; or (states read fleet-wide) the newest state is the one seen at the last check and
   * no watch is due for its running-update re-check.
   */
  async function unchanged(pipelineId: string, entry: { watches: Watch[]; hint: Hint }, followupPipelines: Set<string>, hintsKnown: boolean): Promise<boolean> {
    const h = entry.hint;
    if (followupPipelines.has(pipelineId)) return false;
    const now = o.now();
    if (h && TERMINAL.has(h.state ?? '')) {
      for (const w of entry.watches) if ((await o.store.mutedUntil(w.channel, pipelineId, now)) === null && !(await o.store.isChecked(w.channel, pipelineId, h.updateId))) return false;
      return true;
    }
    if (!hintsKnown || lastSeen.get(pipelineId) !== hintKey(h)) return false;
    // running (or no update at all): same state as at the last check; only the backlog re-check is left
    if (!h) return true;
    for (const w of entry.watches) {
      if (!posterFor(w.surface) || now - (lastRunningCheck.get(`${w.channel}:${pipelineId}`) ?? -Infinity) < RUNNING_RECHECK_MS) continue;
      if ((await o.store.mutedUntil(w.channel, pipelineId, now)) === null) return false;
    }
    return true;
  }

  async function diagnosisOf(pipelineId: string, updateId: string, cache: Map<string, Promise<DiagnosisReply | null>>): Promise<DiagnosisReply | null> {
    const key = `${pipelineId}:${updateId}`;
    let p = cache.get(key);
    if (!p) {
      p = whySlow
        .run({ pipeline: pipelineId, update: updateId }, { source: o.source, surface: 'slack', now: () => new Date(o.now()), appliedChanges: () => o.store.appliedChanges() })
        .then((r) => (r.kind === 'diagnosis' ? r : null))
        .catch((err: unknown) => {
          log.warn(`alerts: diagnosis of ${pipelineId} update ${updateId} failed: ${err instanceof Error ? err.message : String(err)}`);
          return null;
        });
      cache.set(key, p);
    }
    return p;
  }

  function backlogMinutes(d: DiagnosisReply | null): { minutes: number; title: string } | null {
    const f = d?.diagnosis.findings.find((x) => x.rule === 'growing-backlog');
    if (!f) return null;
    const span = f.evidence.find((e) => e.metric === 'observed span');
    return { minutes: typeof span?.value === 'number' ? span.value : 0, title: f.title };
  }

  function kindsFor(u: RawUpdate, d: DiagnosisReply | null, w: Watch): { kind: IncidentKind; summary: string }[] {
    const out: { kind: IncidentKind; summary: string }[] = [];
    const dur = d?.diagnosis.update.duration_s ?? null;
    if (u.state === 'FAILED') {
      out.push({ kind: 'failed', summary: `Update failed${dur !== null ? ` after ${fmtDuration(dur)}` : ''}.${d ? ` ${d.diagnosis.verdict.summary}` : ''}` });
    }
    const b = d?.diagnosis.baseline;
    if (u.state === 'COMPLETED' && b && b.duration_ratio !== null && b.duration_ratio >= w.regression) {
      out.push({ kind: 'regression', summary: `Took ${fmtDuration(dur)}, ${b.duration_ratio.toFixed(2)}× the median of its last ${b.updates} successful updates (${fmtDuration(b.median_duration_s)}; alert at ${w.regression}×).` });
    }
    const backlog = backlogMinutes(d);
    if (backlog && backlog.minutes >= w.backlogMin) out.push({ kind: 'backlog', summary: `${backlog.title} (alert after ${formatDuration(w.backlogMin * 60)} of growth).` });
    return out;
  }

  /** the new state on the incident and its parent; `actor`: a person did it (acknowledge, resolve, mute, unmute), shown with the time */
  async function editParent(i: Incident, state: IncidentState, note: string | null, actor?: { by: string | null }): Promise<boolean> {
    const at = o.now();
    if (actor) await o.store.setActed(i.id, state, actor.by, at);
    else await o.store.setState(i.id, state, at);
    const poster = posterFor(i.surface);
    if (!i.parentTs || !poster) return false;
    try {
      await poster.updateParent(i.channel, i.parentTs, parentOf(i, state, note, actor ? at : null), i.slack);
      return true;
    } catch (err) {
      log.warn(`alerts: editing the alert in ${i.channel} failed: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  /**
   * When it happened, for the parent ("failed 05:10", not the time the poll noticed it): a failed or
   * slow update's end; a backlog is as of the update's newest event; a cost spike has its day.
   */
  function eventTimeOf(kind: IncidentKind, d: DiagnosisReply | null): number | null {
    if (kind === 'cost' || !d) return null;
    const u = d.diagnosis.update;
    const t = Date.parse((kind === 'backlog' ? d.diagnosis.window?.to : null) ?? u.ended_at ?? '');
    return Number.isFinite(t) ? t : null;
  }

  /** Claims the dedupe key, posts the parent, then the diagnosis in its thread. Returns whether it posted. */
  async function openAndPost(w: Watch, pipelineId: string, name: string, updateId: string, kind: IncidentKind, summary: string, d: DiagnosisReply | null): Promise<boolean> {
    const poster = posterFor(w.surface);
    if (!poster) return false;
    const inc = await o.store.openIncident({ channel: w.channel, pipelineId, pipelineName: name, updateId, kind, summary, at: o.now(), surface: w.surface ?? 'slack', slack: w.slack ?? null, eventAt: eventTimeOf(kind, d) });
    if (!inc) return false;
    let ts: string;
    try {
      // recorded first: a crash before setPosted leaves the trace retryPending looks the message up by
      await o.store.postStarted(inc.id, o.now());
      ts = await poster.postParent(w.channel, parentOf(inc, 'open', null), inc.slack, inc.dedupeKey);
    } catch (err) {
      // kept pending (the update is still marked checked: the incident, not the check, carries the
      // retry) and retried with backoff at later polls (retryPending); logged once, here
      const message = err instanceof Error ? err.message : String(err);
      await o.store.postFailed(inc.id, message, nextPostAt(err, 1), o.now());
      const line = `alerts: the ${kind} alert for ${name} in ${w.channel} is pending, not posted (retried at later polls; \`alerts list\` shows it): ${message}`;
      if (err instanceof SlackInstallationUnavailable) logError(line);
      else log.warn(line);
      return false;
    }
    await o.store.setPosted(inc.id, ts, ts, o.now());
    await postDiagnosis(poster, w.channel, d, ts, inc.slack);
    return true;
  }

  /** the diagnosis in the parent's thread; a failure is logged (the alert itself is posted) */
  async function postDiagnosis(poster: AlertThreads, channel: string, d: DiagnosisReply | null, threadTs: string, install: Incident['slack']): Promise<void> {
    if (!d) return;
    await poster.postReply(channel, d, threadTs, install).catch((err: unknown) => log.warn(`alerts: posting the diagnosis in the thread failed: ${err instanceof Error ? err.message : String(err)}`));
  }

  /**
   * Incidents kept pending because posting their parent failed (openAndPost: a Slack or Teams error,
   * not_in_channel, no usable token): posted (parent, then the diagnosis in its thread) at the first
   * poll after their backoff, so a transient failure never loses the alert; dropped when the channel
   * no longer watches the pipeline. Each failure records its error and pushes the next try out
   * (1 min, doubling, at most 1 h); the first failure was logged, later ones are not.
   */
  async function retryPending(cache: Map<string, Promise<DiagnosisReply | null>>, report: PollReport) {
    const watches = await o.store.watches();
    for (const i of await o.store.pendingIncidents()) {
      const poster = posterFor(i.surface);
      if (!poster) continue;
      if (!watches.some((w) => w.channel === i.channel && (w.pipelineId === i.pipelineId || w.pipelineId === '*'))) {
        await o.store.forgetIncident(i.id);
        continue;
      }
      // due (a few seconds early is fine: polls come every minute, the first backoff is a minute)
      if (i.nextPostAt !== null && i.nextPostAt !== undefined && i.nextPostAt > o.now() + 5_000) continue;
      // a post a crash interrupted (this process's or a dead leader's) may be in the channel already
      let ts = i.postStartedAt != null ? await interruptedPost(poster, i) : null;
      if (ts) {
        await o.store.setPosted(i.id, ts, ts, o.now());
        log.info(`alerts: the ${i.kind} alert for ${i.pipelineName} in ${i.channel} was already posted when a restart interrupted it: recorded, not posted again`);
      } else {
        try {
          await o.store.postStarted(i.id, o.now());
          ts = await poster.postParent(i.channel, parentOf(i, 'open', null), i.slack, i.dedupeKey);
        } catch (err) {
          const attempts = (i.postAttempts ?? 0) + 1;
          await o.store.postFailed(i.id, err instanceof Error ? err.message : String(err), nextPostAt(err, attempts), o.now());
          continue;
        }
        await o.store.setPosted(i.id, ts, ts, o.now());
        log.info(`alerts: the pending ${i.kind} alert for ${i.pipelineName} in ${i.channel} was posted after ${(i.postAttempts ?? 0) + 1} attempts`);
        report.posted++;
      }
      // setPosted comes before the thread's diagnosis, so a parent found unrecorded has none yet
      await postDiagnosis(poster, i.channel, i.kind === 'cost' ? null : await diagnosisOf(i.pipelineId, i.updateId, cache), ts, i.slack);
    }
  }

  /**
   * The ts of an interrupted post's parent if it reached the channel (looked up by its dedupe key in
   * the message metadata, from a minute before the post started), else null. A chat without a
   * read-back (Teams), or a history that cannot be read, answers null: posted again, at-least-once,
   * said once in the log.
   */
  async function interruptedPost(poster: AlertThreads, i: Incident): Promise<string | null> {
    if (!poster.findParent) return null;
    try {
      return await poster.findParent(i.channel, i.dedupeKey, new Date((i.postStartedAt ?? i.openedAt) - 60_000), i.slack);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!findErrorsLogged.has(message)) {
        findErrorsLogged.add(message);
        log.warn(`alerts: could not read ${i.channel} to check whether an alert interrupted by a restart was already posted; posting it again, so it may appear twice: ${message}`);
      }
      return null;
    }
  }

  async function checkPipeline(pipelineId: string, entry: { name: string; watches: Watch[]; hint: Hint }, updates: RawUpdate[], cache: Map<string, Promise<DiagnosisReply | null>>, report: PollReport) {
    const latest = updates.find((u) => TERMINAL.has(u.state ?? ''));
    const active = updates[0] && !TERMINAL.has(updates[0].state ?? '') ? updates[0] : null;
    const now = o.now();
    for (const w of entry.watches) {
      const muted = await o.store.mutedUntil(w.channel, pipelineId, now);
      if (muted !== null || !posterFor(w.surface)) continue;
      if (latest && !(await o.store.isChecked(w.channel, pipelineId, latest.update_id))) {
        const d = await diagnosisOf(pipelineId, latest.update_id, cache);
        const kinds = kindsFor(latest, d, w);
        for (const k of kinds) if (await openAndPost(w, pipelineId, entry.name, latest.update_id, k.kind, k.summary, d)) report.posted++;
        if (latest.state === 'COMPLETED' && kinds.length === 0) {
          for (const i of await o.store.activeIncidents(w.channel, pipelineId)) {
            if (i.kind === 'cost' || i.updateId === latest.update_id) continue;
            const note = `recovered: update ${latest.update_id} completed in ${fmtDuration(d?.diagnosis.update.duration_s)} (${utc(now)})`;
            if (await editParent(i, 'recovered', note)) report.edited++;
          }
        }
        await o.store.markChecked(w.channel, pipelineId, latest.update_id, now);
      }
      if (active && now - (lastRunningCheck.get(`${w.channel}:${pipelineId}`) ?? -Infinity) >= RUNNING_RECHECK_MS) {
        // a running (e.g. continuous) update: only a growing backlog can be judged before it ends;
        // re-diagnosed at most every RUNNING_RECHECK_MS, not on every poll
        lastRunningCheck.set(`${w.channel}:${pipelineId}`, now);
        const d = await diagnosisOf(pipelineId, active.update_id, cache);
        const backlog = backlogMinutes(d);
        if (backlog && backlog.minutes >= w.backlogMin) {
          if (await openAndPost(w, pipelineId, entry.name, active.update_id, 'backlog', `${backlog.title} (alert after ${formatDuration(w.backlogMin * 60)} of growth).`, d)) report.posted++;
        }
      }
    }
  }

  async function checkCost(pipelines: Watched, report: PollReport) {
    const now = o.now();
    const today = new Date(Math.floor(now / DAY) * DAY);
    const day = new Date(today.getTime() - DAY).toISOString().slice(0, 10);
    if (lastCostDay === day || pipelines.size === 0) return;
    if (!o.dailyCost) {
      if (!costNoted) report.notes.push('cost spikes skipped: no SQL warehouse (system.billing.usage) configured');
      costNoted = true;
      return;
    }
    const rows = await o.dailyCost([...pipelines.keys()], new Date(today.getTime() - 6 * DAY), today);
    lastCostDay = day;
    for (const [pid, entry] of pipelines) {
      const mine = rows.filter((r) => r.pipelineId === pid);
      const cost = mine.filter((r) => r.day === day).reduce((s, r) => s + r.dollars, 0);
      const prev = mine.filter((r) => r.day < day).reduce((s, r) => s + r.dollars, 0) / 5;
      if (!(prev > 0) || cost <= 0) continue;
      for (const w of entry.watches) {
        if (cost < prev * (1 + w.costSpikePct / 100)) continue;
        if ((await o.store.mutedUntil(w.channel, pid, now)) !== null) continue;
        const summary = `Spent $${cost.toFixed(2)} on ${day}, ${Math.round((cost / prev - 1) * 100)}% over the previous five-day average of $${prev.toFixed(2)} (alert at +${w.costSpikePct}%).`;
        if (await openAndPost(w, pid, entry.name, `day:${day}`, 'cost', summary, null)) report.posted++;
      }
    }
  }

  async function outcomeOf(pipelineId: string, updateId: string): Promise<UpdateOutcome | null> {
    try {
      const e = await o.source.collect(pipelineId, { updateId });
      return { updateId: e.update.id, state: e.update.state, durationS: e.update.durationS, dollars: e.cost?.updateDollars ?? null, pipelineName: e.pipeline.name };
    } catch (err) {
      log.warn(`alerts: reading update ${updateId} of ${pipelineId} failed: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }

  async function followups(report: PollReport, only?: string) {
    for (const a of await o.store.pendingFollowups()) {
      if (only && a.pipelineId !== only) continue;
      // an apply made in Teams reports back to Teams; kept pending while that surface has no poster
      const poster = a.channel ? posterFor(a.surface === 'teams' ? 'teams' : 'slack') : null;
      if (a.channel && !poster) continue;
      const updates = await o.rest.listUpdates(a.pipelineId, { maxResults: 10 }).catch(() => [] as RawUpdate[]);
      const since = a.latestUpdateTime ?? a.at;
      const after = updates
        .filter((u) => TERMINAL.has(u.state ?? '') && (u.creation_time ?? 0) > since && u.update_id !== a.updateId)
        .sort((x, y) => (x.creation_time ?? 0) - (y.creation_time ?? 0))[0];
      if (!after) continue;
      const [b, n] = await Promise.all([a.updateId ? outcomeOf(a.pipelineId, a.updateId) : Promise.resolve(null), outcomeOf(a.pipelineId, after.update_id)]);
      const result = didItHelp(b, n ?? { updateId: after.update_id, state: after.state ?? 'unknown', durationS: null, dollars: null }, a.pipelineId);
      if (!a.channel || !poster) {
        await o.store.setFollowup(a.id, after.update_id, o.now());
        continue;
      }
      try {
        await poster.postDidItHelp(a.channel, result, a.threadTs, a.slack);
        await o.store.setFollowup(a.id, after.update_id, o.now());
        report.followups++;
      } catch (err) {
        // no token for its Slack installation (uninstalled): kept pending, retried at the next poll
        if (!(err instanceof SlackInstallationUnavailable)) await o.store.setFollowup(a.id, after.update_id, o.now());
        log.warn(`alerts: posting "did it help" in ${a.channel} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  async function pollOnce(onlyPipeline?: string): Promise<PollReport> {
    const report: PollReport = { pipelines: 0, updatesSource: null, listed: 0, posted: 0, edited: 0, followups: 0, notes: [] };
    const { watched: pipelines, source } = await watchedPipelines(onlyPipeline);
    report.pipelines = pipelines.size;
    report.updatesSource = source;
    if (!onlyPipeline && pipelines.size > 0 && source !== lastUpdatesSource) {
      lastUpdatesSource = source;
      log.info(`alerts: update states from ${source === 'update_timeline' ? 'system.lakeflow.pipeline_update_timeline (one statement per poll)' : source === 'rest' ? 'the Pipelines REST list (latest_updates, one page per 100 pipelines)' : 'nowhere (the pipeline list failed): every watched pipeline is listed'}`);
    }
    const cache = new Map<string, Promise<DiagnosisReply | null>>();
    const followupPipelines = new Set((await o.store.pendingFollowups()).map((a) => a.pipelineId));
    if (!onlyPipeline) {
      try {
        await retryPending(cache, report);
      } catch (err) {
        log.warn(`alerts: retrying pending alerts failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const changed: [string, Watched extends Map<string, infer E> ? E : never][] = [];
    for (const [pid, entry] of pipelines) if (!(await unchanged(pid, entry, followupPipelines, source !== null))) changed.push([pid, entry]);
    // the REST calls of the changed pipelines in parallel (bounded); the checks, which post, in order
    const listedUpdates = await mapLimit(changed, LIST_UPDATES_CONCURRENCY, ([pid]) =>
      o.rest.listUpdates(pid, { maxResults: 10 }).then((updates) => ({ updates, err: null }), (err: unknown) => ({ updates: null, err })),
    );
    report.listed = changed.length;
    for (const [i, [pid, entry]] of changed.entries()) {
      const { updates, err } = listedUpdates[i]!;
      try {
        if (!updates) throw err;
        await checkPipeline(pid, entry, updates, cache, report);
        lastSeen.set(pid, hintKey(entry.hint));
      } catch (e) {
        log.warn(`alerts: checking ${entry.name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (!onlyPipeline) {
      try {
        await checkCost(pipelines, report);
      } catch (err) {
        log.warn(`alerts: the cost check failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    await followups(report, onlyPipeline);
    for (const n of report.notes) log.info(`alerts: ${n}`);
    return report;
  }

  /** One poll at a time: a call while one runs waits for it and then runs its own. */
  function serial(f: () => Promise<PollReport>): Promise<PollReport> {
    const next = (running ?? Promise.resolve(null as unknown as PollReport)).catch(() => null).then(f);
    running = next;
    void next.finally(() => {
      if (running === next) running = null;
    }).catch(() => undefined);
    return next;
  }

  return {
    pollOnce: () => serial(() => pollOnce()),
    /** the webhook path: the same checks, for one pipeline (id or name), now */
    checkPipeline: (pipeline: string) => serial(() => pollOnce(pipeline)),
    /** true when some channel watches this pipeline (by id, or '*') */
    async isWatched(pipeline: string): Promise<boolean> {
      const watches = await o.store.watches();
      if (watches.some((w) => w.pipelineId === pipeline)) return true;
      if (!watches.some((w) => w.pipelineId === '*')) return false;
      if (unknownPipelines.has(pipeline)) return false;
      try {
        await o.source.resolvePipeline(pipeline);
        return true;
      } catch (err) {
        if (err instanceof DoctorError && err.code === 'PIPELINE_NOT_FOUND') unknownPipelines.add(pipeline);
        return false;
      }
    },
    editParent,
    start() {
      if (handle !== null) return;
      const timers = o.timers ?? { setInterval: (f: () => void, ms: number) => setInterval(f, ms).unref(), clearInterval: (h: unknown) => clearInterval(h as NodeJS.Timeout) };
      handle = timers.setInterval(() => {
        void serial(() => pollOnce()).catch((err: unknown) => log.warn(`alerts: poll failed: ${err instanceof Error ? err.message : String(err)}`));
      }, o.intervalMs ?? 60_000);
    },
    stop() {
      if (handle === null) return;
      (o.timers ?? { clearInterval: (h: unknown) => clearInterval(h as NodeJS.Timeout) }).clearInterval(handle);
      handle = null;
    },
    /** resolves when no poll is running */
    async idle(): Promise<void> {
      while (running) await running.catch(() => undefined);
    },
  };
}

export type AlertPoller = ReturnType<typeof createAlertPoller>;

export interface UpdateOutcome {
  updateId: string;
  state: string;
  durationS: number | null;
  dollars: number | null;
  pipelineName?: string;
}

/** Before against after: a failure fixed or ≥ 10% faster helped; a new failure or ≥ 10% slower is worse. */
export function didItHelp(before: UpdateOutcome | null, after: UpdateOutcome, pipelineName: string): DidItHelp {
  const b = before ?? { updateId: 'unknown', state: 'unknown', durationS: null, dollars: null };
  let verdict: DidItHelp['verdict'] = 'no clear change';
  if (after.state === 'FAILED' && b.state !== 'FAILED') verdict = 'worse';
  else if (b.state === 'FAILED' && after.state === 'COMPLETED') verdict = 'helped';
  else if (after.durationS !== null && b.durationS !== null && b.durationS > 0) {
    const r = after.durationS / b.durationS;
    verdict = r <= 0.9 ? 'helped' : r >= 1.1 ? 'worse' : 'no clear change';
  }
  const strip = (x: UpdateOutcome) => ({ updateId: x.updateId, state: x.state, durationS: x.durationS, dollars: x.dollars });
  return { pipelineName: after.pipelineName ?? b.pipelineName ?? pipelineName, before: strip(b), after: strip(after), verdict };
}
