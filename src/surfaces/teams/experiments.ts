/**
 * What the Teams bot needs for benchmarks and A/B tests (issue 18) besides the bot itself: the zod
 * schemas of the two Action.Submit payloads (the plan card's Start, the progress card's Cancel;
 * templates/cards/experiment.ts), and the throttle of the progress card's edits.
 *
 * Action.Submit sends the button's `data` object back as the message activity's `value`
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-actions#actionsubmit):
 * anyone who can post to the bot can send any `value`, so it is read as untrusted input here.
 */
import { z } from 'zod';
import { experimentIdSchema, experimentRequestSchema } from '../../experiment/request-schema.js';
import { EXPERIMENT_ACTION_IDS } from '../../../templates/blocks/experiment.js';

/** the request: one schema with Slack's Start (src/experiment/request-schema.ts) */
export const experimentStartSchema = z.object({ action: z.literal(EXPERIMENT_ACTION_IDS.start), request: experimentRequestSchema });
export const experimentCancelSchema = z.object({ action: z.literal(EXPERIMENT_ACTION_IDS.cancel), experiment_id: experimentIdSchema });

export const EXPERIMENT_ACTIONS: ReadonlySet<unknown> = new Set(Object.values(EXPERIMENT_ACTION_IDS));

/** How often the progress card may be edited at most. */
export const PROGRESS_UPDATE_MS = 2000;

export interface Throttle<T> {
  /** the newest value; sent when the interval allows (never two sends at once, never out of order) */
  push(value: T): void;
  /** the value pushed while held and not sent yet (taken: it will not be sent) */
  take(): T | null;
  /** starts sending, counting the interval from now (the value taken was shown just now) */
  release(): void;
  /** stops: a pending value is dropped, a send in flight is waited for */
  close(): Promise<void>;
}

/**
 * At most one `send` per `intervalMs`, always of the newest value: a burst of pushes ends in one
 * send of the last. Starts held (nothing is sent before `release`). `send` failures are the
 * caller's to log; a rejected send never stops the next one.
 */
export function throttle<T>(send: (value: T) => Promise<void>, intervalMs: number, clock: () => number = () => performance.now()): Throttle<T> {
  let latest: { value: T } | null = null;
  let held = true;
  let closed = false;
  let last = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let inflight: Promise<void> | null = null;

  const schedule = () => {
    if (held || closed || timer || inflight || !latest) return;
    timer = setTimeout(flush, Math.max(0, last + intervalMs - clock()));
  };
  function flush() {
    timer = undefined;
    if (closed || !latest) return;
    const { value } = latest;
    latest = null;
    last = clock();
    inflight = send(value)
      .catch(() => undefined)
      .finally(() => {
        inflight = null;
        schedule();
      });
  }
  return {
    push(value) {
      if (closed) return;
      latest = { value };
      schedule();
    },
    take() {
      const v = latest?.value ?? null;
      latest = null;
      return v;
    },
    release() {
      held = false;
      last = clock();
      schedule();
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      latest = null;
      await inflight;
    },
  };
}
