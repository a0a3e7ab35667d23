/**
 * Client-side token bucket for the REST client: every HTTP attempt (first try and retries) takes one
 * token; when the bucket is empty the caller waits until the next token is due, in FIFO order.
 *
 * Default rate: Databricks' "Resource limits" page (https://docs.databricks.com/aws/en/resources/limits,
 * Azure: https://learn.microsoft.com/azure/databricks/resources/limits) lists the resource limits and,
 * after them, the per-workspace API rate limits; throttled calls answer HTTP 429 (handled, with
 * Retry-After, in rest.ts). Checked 2026-12 through the docs search available to the project: the
 * rate-limit table itself could not be read, and a figure for the Pipelines API (GET
 * /api/2.0/pipelines, …/updates) was NOT found, so this default is not derived from a documented
 * Pipelines figure. 10 requests/s with a burst of 20 is a conservative guess (below the 20-30 req/s
 * that third-party summaries of that page give for other read APIs) and is configurable
 * (`rateLimit` in RestClientOptions).
 */
export interface TokenBucketOptions {
  /** tokens added per second (sustained request rate) */
  ratePerSecond: number;
  /** bucket size (largest burst) */
  burst: number;
}

export const DEFAULT_REST_RATE_LIMIT: TokenBucketOptions = { ratePerSecond: 10, burst: 20 };

export interface TokenBucket {
  /** resolves when a token was taken */
  take(): Promise<void>;
  /** tokens available now (for tests and stats) */
  available(): number;
}

export function createTokenBucket(
  opts: TokenBucketOptions,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> },
): TokenBucket {
  if (!(opts.ratePerSecond > 0) || !(opts.burst >= 1)) {
    throw new Error('rate limit: ratePerSecond must be > 0 and burst >= 1');
  }
  let tokens = opts.burst;
  let last = clock.now();
  let queue: Promise<void> = Promise.resolve();

  const refill = () => {
    const t = clock.now();
    tokens = Math.min(opts.burst, tokens + ((t - last) / 1000) * opts.ratePerSecond);
    last = t;
  };

  const takeOne = async () => {
    for (;;) {
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - tokens) / opts.ratePerSecond) * 1000);
      await clock.sleep(Math.max(1, waitMs));
    }
  };

  return {
    take() {
      // chain so waiters are served in order and none overtakes another
      const next = queue.then(takeOne);
      queue = next.catch(() => undefined);
      return next;
    },
    available() {
      refill();
      return tokens;
    },
  };
}
