/**
 * Per-channel post queue: Slack allows about one message per second per channel
 * (https://docs.slack.dev/apis/web-api/rate-limits, "chat.postMessage: special"). Tasks for one
 * channel run one after another, at least `intervalMs` apart; on WebAPIRateLimitedError (the
 * client runs with rejectRateLimitedCalls) the task waits `retryAfter` seconds and runs again, so
 * nothing is dropped. Other errors reject that task only; the queue goes on.
 *
 * Coalescing: a task queued with `enqueueLatest(channel, key, …)` (a progress update of message
 * `key`) is skipped — it resolves `undefined` without calling Slack — when another task with the same
 * key is queued before it has started. A task queued with `enqueue(channel, task, key)` (the final
 * update) supersedes pending ones the same way but is itself never skipped.
 */
export interface PostQueueOptions {
  intervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onRateLimited?: (channel: string, retryAfterS: number) => void;
}

export function isRateLimited(err: unknown): err is { retryAfter: number } {
  return (
    typeof err === 'object' && err !== null &&
    (err as { code?: unknown }).code === 'slack_webapi_rate_limited_error' &&
    typeof (err as { retryAfter?: unknown }).retryAfter === 'number'
  );
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Pending {
  superseded: boolean;
}

export class PostQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  /** channel + key → the skippable task of that key not yet started */
  private readonly pending = new Map<string, Pending>();
  private readonly lastStart = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: PostQueueOptions = {}) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.now = options.now ?? (() => Date.now());
    this.sleep = options.sleep ?? defaultSleep;
  }

  /**
   * Runs `task` after every task queued before it for `channel`; resolves or rejects with it.
   * With `key`, a pending `enqueueLatest` task of the same key is skipped.
   */
  enqueue<T>(channel: string, task: () => Promise<T>, key?: string): Promise<T> {
    if (key !== undefined) this.supersede(channel, key);
    return this.chain(channel, () => this.run(channel, task));
  }

  /**
   * Like `enqueue`, but skipped (resolves `undefined`, Slack not called) when another task with the
   * same `key` is queued for `channel` before this one starts: only the newest version is sent.
   */
  enqueueLatest<T>(channel: string, key: string, task: () => Promise<T>): Promise<T | undefined> {
    this.supersede(channel, key);
    const id = `${channel}\u0000${key}`;
    const mine: Pending = { superseded: false };
    this.pending.set(id, mine);
    return this.chain(channel, async () => {
      if (this.pending.get(id) === mine) this.pending.delete(id);
      if (mine.superseded) return undefined;
      return this.run(channel, task);
    });
  }

  private supersede(channel: string, key: string): void {
    const id = `${channel}\u0000${key}`;
    const older = this.pending.get(id);
    if (older) older.superseded = true;
    this.pending.delete(id);
  }

  private chain<T>(channel: string, start: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(channel) ?? Promise.resolve();
    const result = previous.then(start);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(channel, tail);
    void tail.then(() => {
      if (this.tails.get(channel) === tail) this.tails.delete(channel);
    });
    return result;
  }

  /** Channels with queued or running work. */
  get busyChannels(): number {
    return this.tails.size;
  }

  private async run<T>(channel: string, task: () => Promise<T>): Promise<T> {
    for (;;) {
      const last = this.lastStart.get(channel);
      const wait = last === undefined ? 0 : last + this.intervalMs - this.now();
      if (wait > 0) await this.sleep(wait);
      this.lastStart.set(channel, this.now());
      try {
        return await task();
      } catch (err) {
        if (!isRateLimited(err)) throw err;
        const seconds = Math.max(1, err.retryAfter);
        this.options.onRateLimited?.(channel, seconds);
        await this.sleep(seconds * 1000);
      }
    }
  }
}
