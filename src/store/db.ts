/**
 * SQLite (better-sqlite3) with WAL and a `migrations` table. Repositories (slack-installations.ts,
 * and later subscriptions, alerts, audit log, Teams conversation references) take the Database.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export type Db = Database.Database;

/** Opens (creating if needed) the database at `path` (":memory:" for tests) and applies migrations. */
export function openDb(path: string, migrations: Migration[] = MIGRATIONS): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

/** Applies the migrations not yet recorded; safe to call any number of times. Returns the ids applied now. */
export function migrate(db: Db, migrations: Migration[] = MIGRATIONS): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`);
  const done = new Set((db.prepare('SELECT id FROM migrations').all() as { id: string }[]).map((r) => r.id));
  const applied: string[] = [];
  const record = db.prepare('INSERT INTO migrations (id, applied_at) VALUES (?, ?)');
  for (const m of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
    if (done.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id, new Date().toISOString());
    })();
    applied.push(m.id);
  }
  return applied;
}
