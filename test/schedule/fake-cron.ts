/**
 * A fake clock and a cron engine driven by it: the fire instants come from node-cron's own matcher
 * (nodeCronEngine.next, time-zone and DST aware), but nothing waits on real time: `advanceTo(t)` walks
 * the clock through every due fire up to `t`, calling the scheduled callbacks in order.
 */
import { nodeCronEngine, type Clock, type CronEngine } from '../../src/schedule/cron-engine.js';

export class FakeClock implements Clock {
  constructor(public t: number) {}
  now(): Date {
    return new Date(this.t);
  }
}

interface Job {
  expr: string;
  tz: string;
  fn: () => void;
  stopped: boolean;
  checkedUntil: number;
}

export class FakeCron implements CronEngine {
  readonly jobs: Job[] = [];
  /** every callback invocation: [expr, tz, instant] */
  readonly fired: { expr: string; tz: string; at: Date }[] = [];
  constructor(private readonly clock: FakeClock) {}
  validate(expr: string): boolean {
    return nodeCronEngine.validate(expr);
  }
  next(expr: string, tz: string, after: Date): Date | null {
    return nodeCronEngine.next(expr, tz, after);
  }
  schedule(expr: string, tz: string, fn: () => void) {
    const job: Job = { expr, tz, fn, stopped: false, checkedUntil: this.clock.t };
    this.jobs.push(job);
    return { stop: () => void (job.stopped = true) };
  }
  active(): number {
    return this.jobs.filter((j) => !j.stopped).length;
  }
  /** moves the clock to `t`, firing every live job at each of its instants on the way */
  advanceTo(t: number): void {
    for (;;) {
      let due: { job: Job; at: Date } | null = null;
      for (const job of this.jobs) {
        if (job.stopped) continue;
        const at = this.next(job.expr, job.tz, new Date(job.checkedUntil));
        if (at && at.getTime() <= t && (!due || at.getTime() < due.at.getTime())) due = { job, at };
      }
      if (!due) break;
      this.clock.t = due.at.getTime();
      due.job.checkedUntil = due.at.getTime();
      this.fired.push({ expr: due.job.expr, tz: due.job.tz, at: due.at });
      due.job.fn();
    }
    for (const job of this.jobs) job.checkedUntil = Math.max(job.checkedUntil, t);
    this.clock.t = t;
  }
}
