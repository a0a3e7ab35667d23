/**
 * Keys seen lately, in the store, so every replica behind a load balancer sees the same set
 * (issue 19 item 3): the Slack replay guard's request signatures (a replay sent to another replica
 * is still a replay) and the Teams activity ids the Bot Connector may deliver again (a redelivery to
 * another replica must not run the command twice).
 *
 * One atomic upsert per check, the same statement on both backends: the row is taken when absent or
 * older than the ttl (then the key is new: false), and left alone when it is younger (seen: true).
 * Expired rows are deleted now and then (at most once a minute per process), so the table holds
 * about one ttl's worth of keys.
 */
import type { SqlDb } from './sql/types.js';

export interface SeenKeys {
  /** true when `key` was already seen within the ttl; otherwise remembers it and returns false */
  check(key: string, nowMs: number): Promise<boolean>;
}

/**
 * `keys` for a request path that must not fail with the store: a check the store cannot answer
 * counts the key as new (the caller's own in-memory list still applies), and the first such failure
 * is reported through `onFirstFailure` (a log line), later ones not.
 */
export function admitWhenUnavailable(keys: SeenKeys, onFirstFailure: (message: string) => void): SeenKeys {
  let reported = false;
  return {
    check: (key, nowMs) =>
      keys.check(key, nowMs).catch((err: unknown) => {
        if (!reported) {
          reported = true;
          onFirstFailure(err instanceof Error ? err.message : String(err));
        }
        return false;
      }),
  };
}

/** keys longer than this are cut (an activity id or a signature is far shorter) */
const MAX_KEY = 400;
const PURGE_EVERY_MS = 60_000;

export function createSeenKeyStore(db: SqlDb, o: { scope: string; ttlMs: number }): SeenKeys {
  let lastPurge = 0;
  return {
    async check(key, nowMs) {
      const r = await db.run(
        `INSERT INTO seen_keys (scope, key, seen_at) VALUES (?, ?, ?)
         ON CONFLICT (scope, key) DO UPDATE SET seen_at = excluded.seen_at WHERE seen_keys.seen_at <= ?`,
        [o.scope, key.slice(0, MAX_KEY), nowMs, nowMs - o.ttlMs],
      );
      if (nowMs - lastPurge >= PURGE_EVERY_MS) {
        lastPurge = nowMs;
        await db.run('DELETE FROM seen_keys WHERE scope = ? AND seen_at <= ?', [o.scope, nowMs - o.ttlMs]).catch(() => undefined);
      }
      return r.changes === 0;
    },
  };
}
