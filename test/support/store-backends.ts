/**
 * The store test suites run on both backends (issue 19): SQLite (a temporary file; two
 * connections on it stand for two bot processes on one state file) and a real PostgreSQL server
 * (test/support/postgres.ts; a fresh database per test, two pools stand for two replicas). Use:
 *
 *   const backends = storeBackends(MIGRATIONS_IT_NEEDS);
 *   for (const b of backends.list) describe.skipIf(b.skip)(`… (${b.name})`, () => { … await b.two() … });
 *
 * `backends.setup()` / `teardown()` go in beforeAll / afterAll, `cleanup()` in afterEach.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/store/db.js';
import type { Migration } from '../../src/store/migrations/index.js';
import { migrateSql } from '../../src/store/sql/migrate.js';
import { postgresSql } from '../../src/store/sql/postgres.js';
import { sqliteSql } from '../../src/store/sql/sqlite.js';
import type { SqlDb } from '../../src/store/sql/types.js';
import { postgresAvailable, startPostgres, type TestPostgres } from './postgres.js';

export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  skip: boolean;
  /** one database, two connections (two processes / replicas), both migrated */
  two(): Promise<{ a: SqlDb; b: SqlDb }>;
}

let databases = 0;

export function storeBackends(migrations: readonly Migration[]) {
  let server: TestPostgres | null = null;
  const closers: (() => Promise<void> | void)[] = [];
  const list: StoreBackend[] = [
    {
      name: 'sqlite',
      skip: false,
      async two() {
        const file = join(mkdtempSync(join(tmpdir(), 'store-')), 'state.db');
        // openDb applies the SQLite migrations the bot ships (all of them)
        const a = openDb(file);
        const b = openDb(file);
        closers.push(() => void a.close(), () => void b.close());
        // and the suite's own list (e.g. the Teams migrations, applied by their store): done ones are skipped
        await migrateSql(sqliteSql(a), migrations);
        return { a: sqliteSql(a), b: sqliteSql(b) };
      },
    },
    {
      name: 'postgres',
      skip: !postgresAvailable,
      async two() {
        const url = await server!.database(`store_${process.pid}_${++databases}`);
        const a = postgresSql({ connectionString: url, max: 4 });
        const b = postgresSql({ connectionString: url, max: 4 });
        closers.push(() => a.close(), () => b.close());
        // both replicas migrate at start; the advisory lock lets one apply and the other find it done
        await Promise.all([migrateSql(a, migrations), migrateSql(b, migrations)]);
        return { a, b };
      },
    },
  ];
  return {
    list,
    async setup() {
      if (postgresAvailable) server = await startPostgres();
      else console.warn('[store tests] PostgreSQL backend skipped: apt-get install postgresql (the CI script installs it)');
    },
    async teardown() {
      await server?.stop();
    },
    async cleanup() {
      for (const c of closers.splice(0)) await c();
    },
  };
}
