/**
 * The scheduler lease on both store backends (issue 19): SQLite (two connections on one file, as
 * two bot processes on one state file) and a real PostgreSQL server (two connection pools, as two
 * replicas on one database). Same statements, same answers.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/store/db.js';
import { createLease } from '../../src/store/lease.js';
import { LEASE_MIGRATIONS } from '../../src/store/migrations/leases.js';
import { migrateSql } from '../../src/store/sql/migrate.js';
import { postgresSql } from '../../src/store/sql/postgres.js';
import { sqliteSql } from '../../src/store/sql/sqlite.js';
import type { SqlDb } from '../../src/store/sql/types.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres.js';

if (!postgresAvailable) console.warn('[lease test] PostgreSQL backend skipped: apt-get install postgresql (the CI script installs it)');

let pgServer: TestPostgres | null = null;
let dbCount = 0;
beforeAll(async () => {
  if (postgresAvailable) pgServer = await startPostgres();
}, 120_000);
afterAll(async () => {
  await pgServer?.stop();
});

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

const backends: { name: string; skip: boolean; twoProcesses(): Promise<{ a: SqlDb; b: SqlDb }> }[] = [
  {
    name: 'sqlite',
    skip: false,
    async twoProcesses() {
      const file = join(mkdtempSync(join(tmpdir(), 'lease-')), 'state.db');
      const a: Db = openDb(file);
      const b: Db = openDb(file);
      closers.push(() => void a.close(), () => void b.close());
      return { a: sqliteSql(a), b: sqliteSql(b) };
    },
  },
  {
    name: 'postgres',
    skip: !postgresAvailable,
    async twoProcesses() {
      const url = await pgServer!.database(`lease_${++dbCount}`);
      const a = postgresSql({ connectionString: url, max: 2 });
      const b = postgresSql({ connectionString: url, max: 2 });
      closers.push(() => a.close(), () => b.close());
      // both replicas migrate at start; the advisory lock lets one apply and the other find it done
      const [ra, rb] = await Promise.all([migrateSql(a, LEASE_MIGRATIONS), migrateSql(b, LEASE_MIGRATIONS)]);
      expect([...ra, ...rb]).toEqual(['400-leases']);
      return { a, b };
    },
  },
];

for (const backend of backends) {
  describe.skipIf(backend.skip)(`createLease (${backend.name})`, () => {
    it('one holder at a time; the holder renews; the other takes it only after expiry', async () => {
      const { a, b } = await backend.twoProcesses();
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
      const { a, b } = await backend.twoProcesses();
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
      const { a, b } = await backend.twoProcesses();
      expect(await createLease(a, { name: 'x', holder: 'A', ttlMs: 1000 }).acquire()).toBe(true);
      expect(await createLease(b, { name: 'y', holder: 'B', ttlMs: 1000 }).acquire()).toBe(true);
    });

    it('many replicas racing for a free lease: exactly one wins each round', async () => {
      const { a, b } = await backend.twoProcesses();
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
