/**
 * A named lease in the store: at most one holder at a time, until it expires. Two bot processes on
 * one SQLite file (a restart overlapping the old process, a second `npm start`) both serve
 * requests, but only the lease holder runs scheduled work — digest schedules and their recovery,
 * the alert poller — so a digest run the holder is posting is never "recovered" (posted again) by
 * the other (issue: two processes posted a digest twice).
 *
 * Acquire and renew are one atomic upsert: the row is taken when it is absent, expired, or already
 * ours. SQLite serializes writers (busy_timeout in db.ts), so two processes cannot both win.
 */
import type { Db } from './db.js';

export interface Lease {
  readonly name: string;
  readonly holder: string;
  /** take the lease if free or expired, or extend it if ours; true when we hold it afterwards */
  acquire(): boolean;
  /** give it up at once (graceful stop), so another process need not wait for the expiry */
  release(): void;
  /** the current holder and expiry, if any (for /healthz and tests) */
  current(): { holder: string; expiresAt: number } | null;
}

export function createLease(db: Db, o: { name: string; holder: string; ttlMs: number; now?: () => number }): Lease {
  const now = o.now ?? Date.now;
  const upsert = db.prepare(
    `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expires)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE leases.holder = excluded.holder OR leases.expires_at <= @now`,
  );
  const release = db.prepare(`DELETE FROM leases WHERE name = ? AND holder = ?`);
  const read = db.prepare(`SELECT holder, expires_at AS expiresAt FROM leases WHERE name = ?`);
  return {
    name: o.name,
    holder: o.holder,
    acquire() {
      const t = now();
      return upsert.run({ name: o.name, holder: o.holder, expires: t + o.ttlMs, now: t }).changes === 1;
    },
    release() {
      release.run(o.name, o.holder);
    },
    current() {
      return (read.get(o.name) as { holder: string; expiresAt: number } | undefined) ?? null;
    },
  };
}
