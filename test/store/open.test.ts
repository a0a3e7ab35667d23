/**
 * Opening the state database from the configuration (src/store/open.ts): SQLite by default, with
 * every migration applied; an unreachable PostgreSQL fails the start in one actionable line that
 * names the server but never the password.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBot, StartupError } from '../../src/main.js';
import { describePostgres, openStore, STATE_MIGRATIONS } from '../../src/store/open.js';

describe('openStore', () => {
  it('without DATABASE_URL: the SQLite file, every migration applied (Teams and seen keys included)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dlt-open-')), 'state.sqlite');
    const store = await openStore({ databaseUrl: null, dbPath: path });
    try {
      expect(store.kind).toBe('sqlite');
      expect(store.describe).toBe(`SQLite ${path}`);
      const ids = (await store.sql.all<{ id: string }>('SELECT id FROM migrations ORDER BY id')).map((r) => r.id);
      expect(ids).toEqual(STATE_MIGRATIONS.map((m) => m.id).sort());
      expect(await store.sql.ping()).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('describes a PostgreSQL URI by host, port and database only', () => {
    expect(describePostgres('postgres://bot:s3cret@db.internal:6543/dlt_doctor?sslmode=require')).toBe('PostgreSQL db.internal:6543/dlt_doctor');
    expect(describePostgres('postgresql://db/x')).toBe('PostgreSQL db/x');
  });

  it('an unreachable PostgreSQL stops the start with the server named and the password nowhere', async () => {
    const lines: string[] = [];
    const err = await startBot({ env: { DATABASE_URL: 'postgres://bot:hunter2-not-shown@127.0.0.1:1/dlt', DLT_DOCTOR_DB: ':memory:' }, port: 0, log: (l) => lines.push(l) }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StartupError);
    const message = (err as Error).message;
    expect(message).toContain('The state database could not be opened (DATABASE_URL: PostgreSQL 127.0.0.1:1/dlt)');
    expect(message).toContain('Check that the server is reachable');
    expect(message).not.toContain('hunter2');
    expect(lines.join('\n')).not.toContain('hunter2');
  }, 30_000);
});
