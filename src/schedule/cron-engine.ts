/**
 * The cron engine behind digests, behind an interface so tests drive it with a fake clock.
 * node-cron 4 matches wall-clock time in the task's IANA time zone (README "Timezones and DST": on
 * fall-back the repeated hour runs once; a time inside the spring-forward gap does not run that day).
 */
import cron from 'node-cron';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface CronHandle {
  stop(): void;
}

export interface CronEngine {
  validate(expr: string): boolean;
  /** the first fire instant strictly after `after`, or null if none within a year */
  next(expr: string, tz: string, after: Date): Date | null;
  /** calls `fn` at every fire of `expr` in `tz` */
  schedule(expr: string, tz: string, fn: () => void): CronHandle;
}

const MINUTE = 60_000;
const YEAR = 366 * 86_400_000;

interface Matcher {
  getNextMatch(d: Date): Date;
}

/**
 * node-cron computes next runs only from "now" in its public API (getNextRun); its TimeMatcher
 * (a property of every task) takes any start date. We use it when present and check its answer with
 * the public `match`; otherwise we walk minutes with `match` (correct, slower).
 */
function nextWithNodeCron(expr: string, tz: string, after: Date): Date | null {
  const task = cron.createTask(expr, () => undefined, { timezone: tz });
  try {
    const matcher = (task as unknown as { timeMatcher?: Matcher }).timeMatcher;
    if (matcher && typeof matcher.getNextMatch === 'function') {
      const d = matcher.getNextMatch(after);
      if (d instanceof Date && d.getTime() > after.getTime() && d.getTime() - after.getTime() <= YEAR && task.match(d)) return d;
    }
    let t = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE;
    const limit = after.getTime() + YEAR;
    for (; t <= limit; t += MINUTE) if (task.match(new Date(t))) return new Date(t);
    return null;
  } finally {
    void task.destroy();
  }
}

export const nodeCronEngine: CronEngine = {
  validate: (expr) => cron.validate(expr),
  next: nextWithNodeCron,
  schedule(expr, tz, fn) {
    const task = cron.schedule(expr, () => fn(), { timezone: tz, noOverlap: true });
    return { stop: () => void task.destroy() };
  },
};

/** The last fire instant at or before `at`, or null if none within a year. */
export function previousFire(engine: Pick<CronEngine, 'next'>, expr: string, tz: string, at: Date): Date | null {
  for (const window of [2 * 3_600_000, 86_400_000 + 3_600_000, 8 * 86_400_000, 32 * 86_400_000, YEAR]) {
    let from = new Date(at.getTime() - window);
    let last: Date | null = null;
    for (let i = 0; i < 20_000; i++) {
      const f = engine.next(expr, tz, from);
      if (!f || f.getTime() > at.getTime()) break;
      last = f;
      from = f;
    }
    if (last) return last;
  }
  return null;
}

/** Whether an IANA time zone name is known to this runtime. */
export function isValidTimeZone(tz: string): boolean {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
