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
});
