/**
 * Scheduled digests. Schedules are rebuilt from the store at start (one cron job per subscription,
 * in its time zone). Exactly-once per period, across restarts and crashes:
 *  - the period is RECORDED in digest_runs (UNIQUE subscription × period) BEFORE anything is posted;
 *    only the caller that recorded it builds and posts; then it is marked 'posted' with the message ts;
 *  - at start, a run still 'recorded' (crash between the two) is posted once, with a note; but first,
 *    when the surface can tell (`findPosted`: Slack and the console look for the digest's message
 *    metadata in the channel), a run whose message is already there is marked 'posted', not re-posted;
 *  - at start, a period whose fire was missed while the bot was down is sent once if we are still
 *    within it (before the next fire) and the subscription existed at that fire, with a note.
 * A period is [fire, next fire); its key is the fire instant (ISO, UTC). The digest of the fire at F
 * covers [previous fire, F) against the period before that.
 * Remaining gap: where `findPosted` cannot tell (Teams, which has no cheap read-back; a Slack install
 * without the history scopes, or a channel the bot is not in), a crash after the chat accepted the
 * message but before 'posted' was written sends it again at start (at-least-once in that window).
 */
import type { Reply } from '../../commands/types.js';
import { computeDigest } from '../digest/compute.js';
import type { AppliedChange } from '../diagnosis/applied-changes.js';
import { parseFilter } from '../digest/filter.js';
import type { CostBackend } from '../digest/types.js';
import type { DigestRun, NewSubscription, Subscription, SubscriptionRegistry, SubscriptionStore } from '../store/subscriptions.js';
import { nodeCronEngine, previousFire, systemClock, type Clock, type CronEngine, type CronHandle } from './cron-engine.js';

export interface DigestPeriodWindow {
  start: Date;
  end: Date;
  previousStart: Date;
}

export interface DigestSchedulerOptions {
  store: SubscriptionStore;
  /** builds the reply for one subscription and period (computeDigest + the digest Reply) */
  build(sub: Subscription, period: DigestPeriodWindow): Promise<Reply>;
  /** posts to the subscription's channel; returns the message id (Slack ts) */
  post(sub: Subscription, reply: Reply, meta: { periodKey: string; note: string | null }): Promise<{ ts: string | null }>;
  /**
   * Recovered runs only (left 'recorded' by a crash): is this period's digest already in the channel,
   * posted since `since`? Its message id when found, null when not; throws when it cannot tell (the
   * run is then posted again: at-least-once). Absent: every recovered run is posted again.
   */
  findPosted?(sub: Subscription, periodKey: string, since: Date): Promise<{ ts: string | null } | null>;
  cron?: CronEngine;
  clock?: Clock;
  log?: (message: string, meta?: Record<string, unknown>) => void;
}

export type FireOutcome = 'posted' | 'already-done' | 'failed' | 'no-period';

export interface DigestScheduler extends SubscriptionRegistry {
  add(s: NewSubscription): Promise<Subscription>;
  list(filter?: { surface?: Subscription['surface']; channel?: string }): Promise<Subscription[]>;
  remove(id: number, where?: { surface?: Subscription['surface']; channel?: string }): Promise<boolean>;
  /** rebuild schedules from the store, post pending runs, send missed periods */
  start(): Promise<void>;
  stop(): void;
  /**
   * while started: schedule subscriptions another process added to the store since, drop those it
   * removed (the lease holder calls this on each renew: src/schedule/leader.ts)
   */
  sync(): Promise<void>;
  /** what a cron tick does: the period that has just opened, exactly once */
  tick(subscriptionId: number): Promise<FireOutcome>;
  /** subscription ids with a live schedule */
  scheduled(): number[];
  nextRun(subscriptionId: number): Promise<Date | null>;
  /** resolves when every digest in flight has finished (tests, graceful shutdown) */
  idle(): Promise<void>;
}

export const MISSED_NOTE = 'Sent late: the bot was not running when this digest was due.';
export const RECOVERED_NOTE = 'Sent late: the bot stopped after preparing this digest and before posting it.';

/** The digest window for the fire at `fire`: [previous fire, fire) and the period before it. */
export function periodFor(cron: CronEngine, expr: string, tz: string, fire: Date): DigestPeriodWindow | null {
  const prev = previousFire(cron, expr, tz, new Date(fire.getTime() - 1));
  if (!prev) return null;
  const len = fire.getTime() - prev.getTime();
  return { start: prev, end: fire, previousStart: new Date(prev.getTime() - len) };
}

export function createDigestScheduler(o: DigestSchedulerOptions): DigestScheduler {
  const cron = o.cron ?? nodeCronEngine;
  const clock = o.clock ?? systemClock;
  const log = o.log ?? (() => undefined);
  const handles = new Map<number, CronHandle>();
  const inflight = new Map<string, Promise<FireOutcome>>();
  /** cron callbacks still reading the store before their run is in flight */
  const ticks = new Set<Promise<FireOutcome>>();

  const keyOf = (id: number, periodKey: string) => `${id}@${periodKey}`;
  let started = false;
  /** history-read errors already logged (one line per distinct error, not one per run) */
  const findErrorsLogged = new Set<string>();

  /** Builds and posts a recorded period, then marks it posted. Only the recorder calls this. */
  async function deliver(sub: Subscription, periodKey: string, note: string | null): Promise<FireOutcome> {
    const fire = new Date(periodKey);
    const period = periodFor(cron, sub.cron, sub.tz, fire);
    if (!period) return 'no-period';
    try {
      const built = await o.build(sub, period);
      // the note ("sent late …") travels inside a digest reply, so every template shows it
      const reply: Reply = built.kind === 'digest' && note ? { ...built, note } : built;
      const { ts } = await o.post(sub, reply, { periodKey, note });
      await o.store.markPosted(sub.id, periodKey, ts);
      return 'posted';
    } catch (err) {
      // left 'recorded': the next start posts it once
      log('digest failed; it will be retried at the next start', { subscription: sub.id, periodKey, error: err instanceof Error ? err.message : String(err) });
      return 'failed';
    }
  }

  /** A run left 'recorded' by a crash: mark it posted if its message is already in the channel, else post it once. */
  async function recover(sub: Subscription, run: DigestRun): Promise<FireOutcome> {
    if (o.findPosted) {
      // recorded before posting, so the message (if any) is newer; a minute of slack for clock skew
      const since = new Date(Date.parse(run.recordedAt) - 60_000);
      try {
        const found = await o.findPosted(sub, run.periodKey, since);
        if (found) {
          await o.store.markPosted(sub.id, run.periodKey, found.ts);
          log('digest interrupted by a restart was already in the channel: marked posted, not posted again', { subscription: sub.id, periodKey: run.periodKey });
          return 'already-done';
        }
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        if (!findErrorsLogged.has(error)) {
          findErrorsLogged.add(error);
          log('could not read the channel to check whether a digest interrupted by a restart was already posted; posting it again, so it may appear twice (at-least-once)', {
            subscription: sub.id,
            periodKey: run.periodKey,
            error,
          });
        }
      }
    }
    return deliver(sub, run.periodKey, RECOVERED_NOTE);
  }

  function once(sub: Subscription, periodKey: string, f: () => Promise<FireOutcome>): Promise<FireOutcome> {
    const k = keyOf(sub.id, periodKey);
    const running = inflight.get(k);
    if (running) return running.then(() => 'already-done' as const);
    const p = f().finally(() => inflight.delete(k));
    inflight.set(k, p);
    return p;
  }

  /** Record the period (first caller wins), then deliver it. */
  function fireAt(sub: Subscription, fire: Date, note: string | null): Promise<FireOutcome> {
    const periodKey = fire.toISOString();
    return once(sub, periodKey, async () => {
      if (!(await o.store.recordRun(sub.id, periodKey))) return 'already-done';
      return deliver(sub, periodKey, note);
    });
  }

  function schedule(sub: Subscription): void {
    handles.get(sub.id)?.stop();
    handles.set(
      sub.id,
      cron.schedule(sub.cron, sub.tz, () => {
        // tracked from the first moment (reading the store is async), so idle() waits for it
        const t = api.tick(sub.id).finally(() => ticks.delete(t));
        ticks.add(t);
      }),
    );
  }

  const api: DigestScheduler = {
    async add(s) {
      const sub = await o.store.add(s);
      if (started) schedule(sub);
      return sub;
    },
    list: (f) => o.store.list(f),
    async remove(id, where) {
      const ok = await o.store.remove(id, where);
      if (ok) {
        handles.get(id)?.stop();
        handles.delete(id);
      }
      return ok;
    },

    async start() {
      started = true;
      const subs = await o.store.list();
      const byId = new Map(subs.map((s) => [s.id, s]));
      // 1. crash between 'recorded' and 'posted': post once (unless the message is already there)
      for (const run of await o.store.pendingRuns()) {
        const sub = byId.get(run.subscriptionId);
        if (!sub) continue;
        await once(sub, run.periodKey, () => recover(sub, run));
      }
      // 2. schedules, and a period missed while the bot was down (still open, subscription existed)
      const now = clock.now();
      for (const sub of subs) {
        schedule(sub);
        const fire = previousFire(cron, sub.cron, sub.tz, now);
        if (!fire || fire.getTime() < Date.parse(sub.createdAt)) continue;
        if (await o.store.getRun(sub.id, fire.toISOString())) continue;
        const late = now.getTime() - fire.getTime() > 60_000;
        await fireAt(sub, fire, late ? MISSED_NOTE : null);
      }
    },

    async sync() {
      if (!started) return;
      const subs = await o.store.list();
      if (!started) return; // stopped while reading
      const live = new Set(subs.map((s) => s.id));
      for (const sub of subs) if (!handles.has(sub.id)) schedule(sub);
      for (const [id, h] of handles) {
        if (live.has(id)) continue;
        h.stop();
        handles.delete(id);
      }
    },

    stop() {
      started = false;
      for (const h of handles.values()) h.stop();
      handles.clear();
    },

    async tick(id) {
      // the time of the call, read before the store is: the period is the one open at the tick
      const at = clock.now();
      const sub = await o.store.get(id);
      if (!sub) return 'no-period';
      // the scheduled instant, not the (possibly late) callback time: same key however late the tick
      const fire = previousFire(cron, sub.cron, sub.tz, at);
      if (!fire) return 'no-period';
      return fireAt(sub, fire, null);
    },

    scheduled: () => [...handles.keys()].sort((a, b) => a - b),
    async nextRun(id) {
      const sub = await o.store.get(id);
      return sub ? cron.next(sub.cron, sub.tz, clock.now()) : null;
    },
    async idle() {
      while (inflight.size > 0 || ticks.size > 0) await Promise.allSettled([...inflight.values(), ...ticks]);
    },
  };
  return api;
}

/**
 * The usual `build`: the subscription's filter over the workspace, as a digest Reply. `applied`:
 * the changes dlt-doctor applied (the apply audit), so no opportunity undoes one (src/digest/applied.ts).
 */
export function digestBuilder(backend: () => Promise<CostBackend>, applied: () => readonly AppliedChange[] | Promise<readonly AppliedChange[]> = () => []): DigestSchedulerOptions['build'] {
  return async (sub, period) => {
    const b = await backend();
    const f = sub.filter ? parseFilter(sub.filter) : null;
    const digest = await computeDigest(b.warehouse, await b.listPipelines(), {
      periodStart: period.start,
      periodEnd: period.end,
      previousStart: period.previousStart,
      filter: f?.ok ? f.filter : null,
      applied: await applied(),
    });
    if (f && !f.ok) digest.notes.push(`The stored filter "${sub.filter}" is no longer valid (${f.message}); every pipeline is shown.`);
    return { kind: 'digest', digest, note: null, subscription: { id: sub.id, schedule: sub.cron, tz: sub.tz } };
  };
}
