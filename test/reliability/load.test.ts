/**
 * Load (counts, not timings; figures come from bench/load.ts): 50 concurrent signed `/dlt why-slow`
 * are all acknowledged and all answered, the Databricks calls are those of one diagnosis, and a
 * Slack answering 429 on chat.postMessage delays messages without losing any.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../bench/load-harness.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';

let demo: DemoWorkspace;
beforeAll(async () => {
  demo = await startDemoWorkspace();
});
afterAll(async () => {
  await demo?.close();
});

describe('50 concurrent /dlt why-slow over signed HTTP', () => {
  it('every request acked (200), every one answered with its diagnosis, Databricks calls coalesced to one set', async () => {
    const r = await runLoad({ requests: 50, channels: 10, pipeline: 'orders_silver', postIntervalMs: 0, slack429: 0, retryAfterS: 1, answerTimeoutMs: 30_000 }, demo);
    expect(r.statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(r.unanswered).toEqual([]);
    expect(r.answered).toBe(50);
    // one placeholder per request, no duplicates
    expect(r.slack.postMessage).toBe(50);
    expect(r.solo.rest).toBeGreaterThan(0);
    expect(r.databricks.rest).toBe(r.solo.rest);
    expect(r.databricks.sql).toBe(r.solo.sql);
  }, 60_000);

  it('Slack answers 429 (Retry-After: 1) to the first 10 chat.postMessage: delayed, none lost, none doubled', async () => {
    const r = await runLoad({ requests: 50, channels: 10, pipeline: 'orders_silver', postIntervalMs: 0, slack429: 10, retryAfterS: 1, answerTimeoutMs: 30_000 }, demo);
    expect(r.statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(r.slack.rateLimited).toBe(10);
    expect(r.rateLimitLogs).toBe(10);
    expect(r.unanswered).toEqual([]);
    expect(r.answered).toBe(50);
    // the 10 refused posts were sent again: 60 attempts, 50 messages
    expect(r.slack.postMessage).toBe(60);
    expect(r.allAnsweredMs).toBeGreaterThanOrEqual(1000);
  }, 60_000);
});
