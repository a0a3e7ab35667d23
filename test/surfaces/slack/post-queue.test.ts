import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { webApi } from '@slack/bolt';
import { PostQueue } from '../../../src/surfaces/slack/post-queue.js';

describe('PostQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it('spaces posts in one channel about a second apart, in order, while other channels go at once', async () => {
    const q = new PostQueue({ intervalMs: 1000 });
    const started: [string, number][] = [];
    const post = (ch: string, n: number) => q.enqueue(ch, async () => {
      started.push([`${ch}#${n}`, Date.now()]);
      return n;
    });
    const results = Promise.all([post('C1', 1), post('C1', 2), post('C1', 3), post('C2', 1)]);
    await vi.advanceTimersByTimeAsync(2500);
    expect(await results).toEqual([1, 2, 3, 1]);
    expect(started).toEqual([['C1#1', 0], ['C2#1', 0], ['C1#2', 1000], ['C1#3', 2000]]);
    expect(q.busyChannels).toBe(0);
  });

  it('on a rate limit waits Retry-After seconds and retries, dropping nothing and keeping the order', async () => {
    const limited: [string, number][] = [];
    const q = new PostQueue({ intervalMs: 1000, onRateLimited: (ch, s) => limited.push([ch, s]) });
    const attempts: [string, number][] = [];
    let failures = 2;
    const first = q.enqueue('C1', async () => {
      attempts.push(['a', Date.now()]);
      if (failures-- > 0) throw new webApi.WebAPIRateLimitedError(3);
      return 'a';
    });
    const second = q.enqueue('C1', async () => {
      attempts.push(['b', Date.now()]);
      return 'b';
    });
    await vi.advanceTimersByTimeAsync(2999);
    expect(attempts).toEqual([['a', 0]]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await first).toBe('a');
    expect(await second).toBe('b');
    expect(attempts).toEqual([['a', 0], ['a', 3000], ['a', 6000], ['b', 7000]]);
    expect(limited).toEqual([['C1', 3], ['C1', 3]]);
  });

  it('another error fails that post only; the queue goes on', async () => {
    const q = new PostQueue({ intervalMs: 1000 });
    const bad = q.enqueue('C1', async () => {
      throw new Error('channel_not_found');
    });
    const good = q.enqueue('C1', async () => 'ok');
    const badResult = expect(bad).rejects.toThrow('channel_not_found');
    await vi.advanceTimersByTimeAsync(1000);
    await badResult;
    expect(await good).toBe('ok');
  });

  describe('coalescing progress updates of one message', () => {
    it('a newer update of the same message queued before an older one was sent skips the older one; other messages are untouched', async () => {
      const q = new PostQueue({ intervalMs: 1000 });
      const sent: [string, number][] = [];
      const send = (label: string) => async () => {
        sent.push([label, Date.now()]);
        return label;
      };
      const placeholderA = q.enqueue('C1', send('post A'));
      const placeholderB = q.enqueue('C1', send('post B'));
      const a1 = q.enqueueLatest('C1', 'A', send('A collecting'));
      const b1 = q.enqueueLatest('C1', 'B', send('B collecting'));
      const a2 = q.enqueueLatest('C1', 'A', send('A analysing'));
      const aFinal = q.enqueue('C1', send('A final'), 'A');
      const b2 = q.enqueueLatest('C1', 'B', send('B analysing'));
      await vi.advanceTimersByTimeAsync(10_000);
      expect(await Promise.all([placeholderA, placeholderB, a1, b1, a2, aFinal, b2])).toEqual(['post A', 'post B', undefined, undefined, undefined, 'A final', 'B analysing']);
      // skipped tasks take no slot: 4 calls, a second apart, in queue order
      expect(sent).toEqual([['post A', 0], ['post B', 1000], ['A final', 2000], ['B analysing', 3000]]);
      expect(q.busyChannels).toBe(0);
    });

    it('an update already sent (or being sent) is not affected by a newer one', async () => {
      const q = new PostQueue({ intervalMs: 1000 });
      const sent: string[] = [];
      const first = q.enqueueLatest('C1', 'A', async () => {
        sent.push('A collecting');
        return 1;
      });
      await vi.advanceTimersByTimeAsync(0);
      const second = q.enqueueLatest('C1', 'A', async () => {
        sent.push('A analysing');
        return 2;
      });
      await vi.advanceTimersByTimeAsync(1000);
      expect([await first, await second]).toEqual([1, 2]);
      expect(sent).toEqual(['A collecting', 'A analysing']);
    });

    it('the final update is never skipped, even when another update of the message follows it', async () => {
      const q = new PostQueue({ intervalMs: 1000 });
      const sent: string[] = [];
      const blocker = q.enqueue('C1', async () => sent.push('post'));
      const final = q.enqueue('C1', async () => {
        sent.push('final');
        return 'final';
      }, 'A');
      const later = q.enqueueLatest('C1', 'A', async () => {
        sent.push('late progress');
        return 'late';
      });
      await vi.advanceTimersByTimeAsync(5000);
      expect([await blocker, await final, await later]).toEqual([1, 'final', 'late']);
      expect(sent).toEqual(['post', 'final', 'late progress']);
    });

    it('same key in another channel is another message', async () => {
      const q = new PostQueue({ intervalMs: 1000 });
      const block = q.enqueue('C1', async () => 'x');
      const c1 = q.enqueueLatest('C1', '1.0', async () => 'C1 progress');
      const c2 = q.enqueueLatest('C2', '1.0', async () => 'C2 progress');
      const c2b = q.enqueueLatest('C2', '1.0', async () => 'C2 newer');
      await vi.advanceTimersByTimeAsync(3000);
      // C2's newer update skips C2's older one, not C1's (queued behind 'x', not yet started either)
      expect([await block, await c1, await c2, await c2b]).toEqual(['x', 'C1 progress', undefined, 'C2 newer']);
    });
  });
});
