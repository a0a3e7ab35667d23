import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../src/databricks/token-bucket.js';

function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

describe('token bucket', () => {
  it('lets a burst through, then paces to the rate', async () => {
    const clock = fakeClock();
    const bucket = createTokenBucket({ ratePerSecond: 10, burst: 3 }, clock);
    for (let i = 0; i < 3; i++) await bucket.take();
    expect(clock.sleeps).toEqual([]);
    expect(clock.now()).toBe(0);
    for (let i = 0; i < 5; i++) await bucket.take();
    // 5 more tokens at 10/s take 500 ms
    expect(clock.now()).toBeGreaterThanOrEqual(500);
    expect(clock.now()).toBeLessThan(520);
  });

  it('serves concurrent takers without exceeding the rate', async () => {
    const clock = fakeClock();
    const bucket = createTokenBucket({ ratePerSecond: 5, burst: 1 }, clock);
    const times: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => bucket.take().then(() => times.push(clock.now()))));
    expect(times.length).toBe(6);
    // 1 free, then 5 at 200 ms each
    expect(times[5]).toBeGreaterThanOrEqual(1000);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(199);
  });

  it('refills up to the burst only', async () => {
    const clock = fakeClock();
    const bucket = createTokenBucket({ ratePerSecond: 100, burst: 2 }, clock);
    await clock.sleep(10_000);
    expect(bucket.available()).toBe(2);
  });

  it('rejects a nonsensical configuration', () => {
    expect(() => createTokenBucket({ ratePerSecond: 0, burst: 1 }, fakeClock())).toThrow();
  });
});
