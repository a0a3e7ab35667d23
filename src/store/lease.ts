/**
 * A named lease in the store: at most one holder at a time, until it expires. Several bot
 * processes on one database (replicas on PostgreSQL; on SQLite a restart overlapping the old
 * process, or a second `npm start`) all serve requests, but only the lease holder runs scheduled
 * work — digest schedules and their recovery, the alert poller — so a digest run the holder is
 * posting is never "recovered" (posted again) by another (issue: two processes posted a digest twice).
 *
 * Acquire and renew are one atomic upsert, the same statement on both backends: the row is taken
 * when it is absent, expired, or already ours (INSERT … ON CONFLICT DO UPDATE … WHERE: SQLite
 * ≥ 3.24, PostgreSQL ≥ 9.5). SQLite serializes writers; PostgreSQL locks the conflicting row for
 * the upsert, so two processes cannot both win. Times are the caller's clock (epoch ms): replicas
 * need roughly synchronized clocks (NTP), well within the ttl.
 */
import type { SqlDb } from './sql/types.js';
import type { Db } from './db.js';
import { asSqlDb } from './sql/sqlite.js';

export interface Lease {
  readonly name: string;
  readonly holder: string;
  /** take the lease if free or expired, or extend it if ours; true when we hold it afterwards */
  acquire(): Promise<boolean>;
  /** give it up at once (graceful stop), so another process need not wait for the expiry */
  release(): Promise<void>;
  /** the current holder and expiry, if any (for /healthz and tests) */
  current(): Promise<{ holder: string; expiresAt: number } | null>;
}

export function createLease(conn: SqlDb | Db, o: { name: string; holder: string; ttlMs: number; now?: () => number }): Lease {
  const db = asSqlDb(conn);
  const now = o.now ?? Date.now;
  return {
    name: o.name,
    holder: o.holder,
    async acquire() {
      const t = now();
      const r = await db.run(
        `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
        [o.name, o.holder, t + o.ttlMs, t],
      );
      return r.changes === 1;
    },
    async release() {
      await db.run('DELETE FROM leases WHERE name = ? AND holder = ?', [o.name, o.holder]);
    },
    async current() {
      const r = await db.get<{ holder: string; expires_at: number }>('SELECT holder, expires_at FROM leases WHERE name = ?', [o.name]);
      return r ? { holder: r.holder, expiresAt: Number(r.expires_at) } : null;
    },
  };
}
