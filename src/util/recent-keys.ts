/**
 * Keys seen lately, oldest first (a Map keeps insertion order): a bounded set with a time to live,
 * for dedupe and replay checks (Teams activity ids, Slack request signatures). At most `max` keys;
 * the expired and, when full, the oldest go first.
 */
export class RecentKeys {
  private readonly seen = new Map<string, number>();
  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  /** true when `key` was already seen within the ttl; otherwise remembers it and returns false */
  check(key: string, nowMs: number): boolean {
    for (const [k, at] of this.seen) {
      if (nowMs - at < this.ttlMs && this.seen.size < this.max) break;
      this.seen.delete(k);
    }
    const at = this.seen.get(key);
    if (at !== undefined && nowMs - at < this.ttlMs) return true;
    this.seen.set(key, nowMs);
    return false;
  }

  get size(): number {
    return this.seen.size;
  }
}
