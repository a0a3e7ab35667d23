/**
 * Scheduled work runs on the lease holder only (src/store/lease.ts). At start the process tries to
 * take the lease: if it wins it starts the scheduled work (`onAcquire`: digest schedules and their
 * crash recovery, the alert poller); if another live process holds it, this one stays a pure
 * request server and tries again every `renewEveryMs`, taking over once the holder has released
 * the lease (graceful stop) or let it expire (crash, SIGKILL: at most ttl + renewEveryMs later).
 * The holder renews on the same tick (`whileLeader` runs then too: picking up subscriptions other
 * processes added); if it finds the lease taken (it was paused past the expiry), it stops its
 * scheduled work (`onLose`) before doing anything else.
 */
import type { Lease } from '../store/lease.js';

export interface Leadership {
  readonly isLeader: boolean;
  /** one renew / take-over attempt (the timer calls this; tests call it directly) */
  tick(): Promise<void>;
  /** stops the timer; the leader stops its work and releases the lease */
  stop(): Promise<void>;
}

export interface LeadershipOptions {
  lease: Lease;
  renewEveryMs: number;
  onAcquire(): Promise<void>;
  onLose(): void | Promise<void>;
  /** runs on each tick while this process leads */
  whileLeader?(): void | Promise<void>;
  log?: (message: string) => void;
  /** default: real timers; tests drive tick() themselves with `timer: false` */
  timer?: boolean;
}

export async function startLeadership(o: LeadershipOptions): Promise<Leadership> {
  const log = o.log ?? (() => undefined);
  let leader = false;
  /** stop() under way: the lease is only renewed (while the work winds down), never newly taken */
  let stopping = false;
  let followerNoted = false;
  /**
   * onAcquire / onLose / whileLeader, one after another. Renewing never waits for them: recovering
   * digests or a slow warehouse can take longer than the lease's ttl, and the lease must not lapse
   * while this process is still posting (another would then post the same runs again).
   */
  let work: Promise<void> = Promise.resolve();
  const then = (f: () => void | Promise<void>) => {
    work = work.then(f).catch((err: unknown) => log(`scheduled work failed: ${err instanceof Error ? err.message : String(err)}`));
  };

  /** one renew at a time: a slow database must not let two overlapping ticks decide the role */
  let stepping: Promise<void> | null = null;
  const step = (): Promise<void> => (stepping ??= stepOnce().finally(() => (stepping = null)));
  async function stepOnce(): Promise<void> {
    if (stopping && !holdsWhileStopping) return;
    let held: boolean;
    try {
      held = await o.lease.acquire();
    } catch (err) {
      // the store was busy or failed: keep the current role this tick, try again at the next
      log(`scheduler lease: could not renew (${err instanceof Error ? err.message : String(err)}); keeping the current role until the next try`);
      return;
    }
    if (stopping) return; // renewed while the work winds down
    if (held && !leader) {
      leader = true;
      log(`scheduler lease "${o.lease.name}" taken by ${o.lease.holder}: this process runs digests and alert polling`);
      then(() => o.onAcquire());
    } else if (!held && leader) {
      leader = false;
      log(`scheduler lease "${o.lease.name}" was taken by another process: this process stops scheduled work and keeps serving requests`);
      then(() => o.onLose());
    } else if (!held && !leader && !followerNoted) {
      followerNoted = true;
      const cur = await o.lease.current().catch(() => null);
      log(`scheduler lease "${o.lease.name}" is held by ${cur?.holder ?? 'another process'}: this process serves requests only and takes over when that one stops`);
    }
    if (leader && o.whileLeader) then(() => o.whileLeader!());
  }
  let holdsWhileStopping = false;
  const tick = async () => {
    await step();
    await work;
  };

  await tick();
  const handle = o.timer === false ? null : setInterval(() => void step(), o.renewEveryMs);
  handle?.unref();

  return {
    get isLeader() {
      return leader;
    },
    tick,
    async stop() {
      if (stopping) return;
      stopping = true;
      holdsWhileStopping = leader;
      if (leader) {
        leader = false;
        then(() => o.onLose());
      }
      await work; // the timer keeps renewing meanwhile
      if (handle) clearInterval(handle);
      if (holdsWhileStopping) {
        holdsWhileStopping = false;
        await step(); // a renew under way finishes first
        await o.lease.release().catch(() => {
          // the lease then expires by itself
        });
      }
    },
  };
}
