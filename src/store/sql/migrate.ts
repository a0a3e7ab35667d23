/**
 * Migrations on a SqlDb, for either backend: each migration carries its SQLite text and, where the
 * dialect differs, its PostgreSQL text (`postgres`; BIGINT for epoch ms, identity columns, …).
 * Applied in id order, each once, recorded in `migrations`. On PostgreSQL several replicas may
 * start at once: the whole run holds a transaction-scoped advisory lock, so one applies and the
 * others then find everything recorded (https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS).
 */
import type { Migration } from '../migrations/index.js';
import type { SqlDb } from './types.js';

/** an arbitrary constant key of the migration lock ("dltd" in ASCII) */
const MIGRATION_LOCK = 0x646c7464;

export async function migrateSql(db: SqlDb, migrations: readonly Migration[]): Promise<string[]> {
  return db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.get('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    await tx.exec('CREATE TABLE IF NOT EXISTS migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const done = new Set((await tx.all<{ id: string }>('SELECT id FROM migrations')).map((r) => r.id));
    const applied: string[] = [];
    for (const m of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
      if (done.has(m.id)) continue;
      const sql = tx.dialect === 'postgres' ? m.postgres ?? m.sql : m.sql;
      await tx.exec(sql);
      await tx.run('INSERT INTO migrations (id, applied_at) VALUES (?, ?)', [m.id, new Date().toISOString()]);
      applied.push(m.id);
    }
    return applied;
  });
}
