/**
 * The bot's state database, opened from the configuration (issue 19): PostgreSQL when
 * DATABASE_URL is set (several replicas share it: docs/deploy.md), else the SQLite file
 * DLT_DOCTOR_DB (one process: the embedded default). Every migration the bot ships is applied
 * here, once, before any repository is made; on PostgreSQL under an advisory lock, so replicas
 * starting together apply each migration once (src/store/sql/migrate.ts).
 *
 * The local console's message history (src/store/console-messages.ts) is not part of it: the
 * console is a one-process, loopback-only developer surface and keeps its history in the SQLite
 * file whichever backend holds the state.
 */
import type { Db } from './db.js';
import { migrate, openDb } from './db.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { TEAMS_MIGRATIONS } from './migrations/teams.js';
import { migrateSql } from './sql/migrate.js';
import { postgresSql } from './sql/postgres.js';
import { sqliteSql } from './sql/sqlite.js';
import type { SqlDb } from './sql/types.js';

/** every table of the bot's state: MIGRATIONS (with the alert, lease and experiment lists) and the Teams list */
export const STATE_MIGRATIONS: readonly Migration[] = [...MIGRATIONS, ...TEAMS_MIGRATIONS];

export interface OpenedStore {
  readonly kind: 'sqlite' | 'postgres';
  readonly sql: SqlDb;
  /** the better-sqlite3 connection (SQLite only); null on PostgreSQL */
  readonly sqlite: Db | null;
  /** "SQLite .data/dlt-doctor.sqlite" or "PostgreSQL db.internal:5432/dlt_doctor" (no credentials) */
  readonly describe: string;
  close(): Promise<void>;
}

/** host:port/database of a PostgreSQL URI, for logs: never the user or the password */
export function describePostgres(url: string): string {
  try {
    const u = new URL(url);
    return `PostgreSQL ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'PostgreSQL';
  }
}

export async function openStore(o: { databaseUrl: string | null; dbPath: string; application?: string }): Promise<OpenedStore> {
  if (o.databaseUrl) {
    const sql = postgresSql({ connectionString: o.databaseUrl, ...(o.application ? { application: o.application } : {}) });
    try {
      await migrateSql(sql, STATE_MIGRATIONS);
    } catch (err) {
      await sql.close().catch(() => undefined);
      throw err;
    }
    return { kind: 'postgres', sql, sqlite: null, describe: describePostgres(o.databaseUrl), close: () => sql.close() };
  }
  const db = openDb(o.dbPath);
  migrate(db, TEAMS_MIGRATIONS);
  return {
    kind: 'sqlite',
    sql: sqliteSql(db),
    sqlite: db,
    describe: `SQLite ${o.dbPath}`,
    async close() {
      db.close();
    },
  };
}
