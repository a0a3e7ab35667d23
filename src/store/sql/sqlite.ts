/**
 * SqlDb over better-sqlite3 (the embedded default). better-sqlite3 is synchronous and has one
 * connection, so transactions are serialized here: an async transaction holds the connection from
 * BEGIN IMMEDIATE to COMMIT, and statements outside it wait for it, as another connection would.
 */
import type Database from 'better-sqlite3';
import type { SqlDb, SqlParam } from './types.js';

type Db = Database.Database;

const bind = (params: readonly SqlParam[] | undefined) => (params ?? []).map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));

/** one SqlDb per connection: its transaction queue must be shared by everyone using that connection */
const wrappers = new WeakMap<Db, SqlDb>();

export function sqliteSql(db: Db): SqlDb {
  const known = wrappers.get(db);
  if (known) return known;
  const made = wrap(db);
  wrappers.set(db, made);
  return made;
}

/** a repository's database: a SqlDb, or a better-sqlite3 connection (wrapped once) */
export const asSqlDb = (db: SqlDb | Db): SqlDb => ('prepare' in db ? sqliteSql(db) : db);

function wrap(db: Db): SqlDb {
  /** the running transaction, if any: other callers queue behind it */
  let held: Promise<void> = Promise.resolve();
  const on = (inTx: boolean): SqlDb => {
    const wait = async () => {
      if (!inTx) await held;
    };
    const self: SqlDb = {
      dialect: 'sqlite',
      async run(sql, params) {
        await wait();
        const r = db.prepare(sql).run(...bind(params));
        return { changes: r.changes };
      },
      async get<T extends object>(sql: string, params?: readonly SqlParam[]) {
        await wait();
        return db.prepare(sql).get(...bind(params)) as T | undefined;
      },
      async all<T extends object>(sql: string, params?: readonly SqlParam[]) {
        await wait();
        return db.prepare(sql).all(...bind(params)) as T[];
      },
      async exec(sql) {
        await wait();
        db.exec(sql);
      },
      async transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
        if (inTx) return fn(self);
        const before = held;
        let release!: () => void;
        held = new Promise<void>((r) => (release = r));
        await before;
        db.exec('BEGIN IMMEDIATE');
        try {
          const out = await fn(on(true));
          db.exec('COMMIT');
          return out;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        } finally {
          release();
        }
      },
      async ping() {
        try {
          db.prepare('SELECT 1').get();
          return true;
        } catch {
          return false;
        }
      },
      async close() {
        // the better-sqlite3 handle belongs to whoever opened it (src/store/db.ts)
      },
    };
    return self;
  };
  return on(false);
}
