/**
 * A short negative cache of pipeline ids Databricks said do not exist. With a `*` watch, every call
 * to POST /hooks/databricks naming a pipeline id nobody watches by name costs a Databricks lookup
 * (GET /api/2.0/pipelines/{id}, then the list): a caller repeating an unknown id would spend the
 * workspace's API rate limit. Only "not found" answers are cached (a 429, 5xx or timeout is not an
 * answer), for `ttlMs` (default 10 minutes, so a pipeline created meanwhile is seen soon), and at
 * most `maxEntries` ids (oldest dropped first).
 */
export interface UnknownPipelines {
  has(id: string): boolean;
  add(id: string): void;
  readonly size: number;
}

export function createUnknownPipelines(o: { now: () => number; ttlMs?: number; maxEntries?: number }): UnknownPipelines {
  const ttlMs = o.ttlMs ?? 10 * 60_000;
  const maxEntries = o.maxEntries ?? 10_000;
  const until = new Map<string, number>();
  return {
    has(id) {
      const t = until.get(id);
      if (t === undefined) return false;
      if (t > o.now()) return true;
      until.delete(id);
      return false;
    },
    add(id) {
      until.delete(id);
      until.set(id, o.now() + ttlMs);
      while (until.size > maxEntries) until.delete(until.keys().next().value!);
    },
    get size() {
      return until.size;
    },
  };
}
