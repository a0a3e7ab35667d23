/**
 * Per-channel post queue: Slack allows about one message per second per channel
 * (https://docs.slack.dev/apis/web-api/rate-limits, "chat.postMessage: special"). Tasks for one
 * channel run one after another, at least `intervalMs` apart; on WebAPIRateLimitedError (the
 * client runs with rejectRateLimitedCalls) the task waits `retryAfter` seconds and runs again, so
 * nothing is dropped. Other errors reject that task only; the queue goes on.
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

export class PostQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly lastStart = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: PostQueueOptions = {}) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.now = options.now ?? (() => Date.now());
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Runs `task` after every task queued before it for `channel`; resolves or rejects with it. */
  enqueue<T>(channel: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(channel) ?? Promise.resolve();
    const result = previous.then(() => this.run(channel, task));
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
