/**
 * A failed post never loses an alert: the incident stays pending (with its error, in `alerts list`)
 * and the next due poll posts it, with its diagnosis; the update is not re-alerted twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NOW } from '../../src/demo/generate.js';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/workspace.js';
import { postBackoffMs } from '../../src/schedule/alert-poller.js';
import { slashCommand, textOf } from '../surfaces/slack/helpers.js';
import { harness, posts, tempDbPath } from './alert-support.js';

describe('alert posting failures', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await startDemoWorkspace();
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('a failed first post (Slack not_in_channel, then a 500) is retried with backoff and delivered once, with the diagnosis in its thread', async () => {
    const clock = { ms: DEMO_NOW };
    const h = harness(ws, tempDbPath(), clock);
    try {
      await h.receiver.send(slashCommand('alerts on billing_failed --cost-spike 1000%'));
      let failures: { status?: number; body: unknown }[] = [
        { body: { ok: false, error: 'not_in_channel' } },
        { status: 500, body: { ok: false, error: 'internal_error' } },
      ];
      h.api.on('chat.postMessage', () => failures.shift());

      // poll 1: the post fails: nothing in the channel, the incident pending with its error
      const r1 = await h.alerts.poller.pollOnce();
      expect(r1.posted).toBe(0);
      expect(posts(h.api).parents).toHaveLength(1); // the attempt Slack refused
      expect(posts(h.api).replies).toHaveLength(0);
      const [pending] = await h.alerts.store.pendingIncidents();
      expect(pending).toMatchObject({ kind: 'failed', postAttempts: 1, parentTs: null });
      expect(pending!.postError).toContain('not_in_channel');
      expect(pending!.nextPostAt).toBe(clock.ms + postBackoffMs(1));
      expect(h.logs.filter((l) => l.includes('is pending, not posted'))).toHaveLength(1);

      // alerts list says so
      await h.receiver.send(slashCommand('alerts list'));
      expect(textOf(h.api.of('respond').at(-1))).toMatch(/pending: the failed alert for billing_failed .*1 attempt\(s\).*not_in_channel/s);

      // poll 2, before the backoff: not tried
      clock.ms += 10_000;
      await h.alerts.poller.pollOnce();
      expect(h.api.of('chat.postMessage').length).toBe(1);

      // poll 3, due: fails again (500): backoff doubles, not logged again
      clock.ms += 60_000;
      await h.alerts.poller.pollOnce();
      expect((await h.alerts.store.pendingIncidents())[0]).toMatchObject({ postAttempts: 2 });
      expect((await h.alerts.store.pendingIncidents())[0]!.nextPostAt).toBe(clock.ms + postBackoffMs(2));
      expect(h.logs.filter((l) => l.includes('is pending, not posted'))).toHaveLength(1);

      // poll 4, due: delivered, with the diagnosis in its thread; then nothing more
      clock.ms += postBackoffMs(2);
      const r4 = await h.alerts.poller.pollOnce();
      expect(r4.posted).toBe(1);
      const p = posts(h.api);
      expect(p.parents).toHaveLength(3); // two refused attempts, one delivered
      expect(textOf(p.parents[2]!)).toContain('billing_failed: update failed');
      const [incident] = await h.alerts.store.incidents('C1');
      expect(incident!.parentTs).not.toBeNull();
      expect(p.replies.length).toBeGreaterThan(0);
      expect(p.replies.every((r) => r.params.thread_ts === incident!.parentTs)).toBe(true);
      expect(await h.alerts.store.pendingIncidents()).toHaveLength(0);
      failures = [];
      clock.ms += 3_600_000;
      await h.alerts.poller.pollOnce();
      expect(posts(h.api).parents).toHaveLength(3);
    } finally {
      h.close();
    }
  });

  it('a pending alert is dropped when the channel stops watching the pipeline', async () => {
    const clock = { ms: DEMO_NOW };
    const h = harness(ws, tempDbPath(), clock);
    try {
      await h.receiver.send(slashCommand('alerts on billing_failed --cost-spike 1000%'));
      h.api.on('chat.postMessage', () => ({ body: { ok: false, error: 'channel_not_found' } }));
      await h.alerts.poller.pollOnce();
      expect(await h.alerts.store.pendingIncidents()).toHaveLength(1);
      await h.receiver.send(slashCommand('alerts off billing_failed'));
      clock.ms += 120_000;
      await h.alerts.poller.pollOnce();
      expect(await h.alerts.store.pendingIncidents()).toHaveLength(0);
    } finally {
      h.close();
    }
  });

  it('backoff: 1 min, doubling, at most 1 h', () => {
    expect([1, 2, 3, 7, 8, 20].map(postBackoffMs)).toEqual([60_000, 120_000, 240_000, 3_600_000, 3_600_000, 3_600_000]);
  });
});
