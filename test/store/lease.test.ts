/**
 * The scheduler lease on both store backends (issue 19): SQLite (two connections on one file, as
 * two bot processes on one state file) and a real PostgreSQL server (two connection pools, as two
 * replicas on one database). Same statements, same answers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLease } from '../../src/store/lease.js';
import { LEASE_MIGRATIONS } from '../../src/store/migrations/leases.js';
import { storeBackends } from '../support/store-backends.js';

const backends = storeBackends(LEASE_MIGRATIONS);
beforeAll(() => backends.setup(), 120_000);
afterAll(() => backends.teardown());
afterEach(() => backends.cleanup());

const pgBackend = backends.list.find((b) => b.name === 'postgres')!;
it.skipIf(pgBackend.skip)('both replicas migrate at once on PostgreSQL: one applies, the other finds it done', async () => {
  const { a } = await pgBackend.two();
  expect(await a.all<{ id: string }>('SELECT id FROM migrations')).toEqual([{ id: '400-leases' }]);
});

for (const backend of backends.list) {
  describe.skipIf(backend.skip)(`createLease (${backend.name})`, () => {
    it('one holder at a time; the holder renews; the other takes it only after expiry', async () => {
      const { a, b } = await backend.two();
      let now = 1_000_000;
      const la = createLease(a, { name: 'scheduler', holder: 'A', ttlMs: 60_000, now: () => now });
      const lb = createLease(b, { name: 'scheduler', holder: 'B', ttlMs: 60_000, now: () => now });
      expect(await la.acquire()).toBe(true);
      expect(await lb.acquire()).toBe(false);
      now += 45_000;
      expect(await la.acquire()).toBe(true); // renewed to now + 60 s
      now += 45_000;
      expect(await lb.acquire()).toBe(false); // 90 s after the first take, but A renewed at 45 s
      now += 16_000;
      expect(await lb.acquire()).toBe(true); // A went quiet for more than the ttl
      expect(await la.acquire()).toBe(false);
      expect(await lb.current()).toEqual({ holder: 'B', expiresAt: now + 60_000 });
    });

    it('release hands the lease over at once; releasing a lease one does not hold changes nothing', async () => {
      const { a, b } = await backend.two();
      const la = createLease(a, { name: 'scheduler', holder: 'A', ttlMs: 60_000 });
      const lb = createLease(b, { name: 'scheduler', holder: 'B', ttlMs: 60_000 });
      expect(await la.acquire()).toBe(true);
      await lb.release();
      expect(await lb.acquire()).toBe(false);
      await la.release();
      expect(await la.current()).toBeNull();
      expect(await lb.acquire()).toBe(true);
    });

    it('leases of different names are independent', async () => {
      const { a, b } = await backend.two();
      expect(await createLease(a, { name: 'x', holder: 'A', ttlMs: 1000 }).acquire()).toBe(true);
      expect(await createLease(b, { name: 'y', holder: 'B', ttlMs: 1000 }).acquire()).toBe(true);
    });

    it('many replicas racing for a free lease: exactly one wins each round', async () => {
      const { a, b } = await backend.two();
      let now = 5_000_000;
      for (let round = 0; round < 5; round++) {
        const racers = Array.from({ length: 8 }, (_, i) => createLease(i % 2 ? a : b, { name: 'race', holder: `R${round}-${i}`, ttlMs: 1000, now: () => now }));
        const won = await Promise.all(racers.map((l) => l.acquire()));
        expect(won.filter(Boolean)).toHaveLength(1);
        now += 1001; // the winner lapses: the next round starts free
      }
    });
  });
}
