/**
 * SqlDb over PostgreSQL (`pg`, node-postgres: a pool of connections; pure JavaScript). Statements
 * keep SQLite's `?` placeholders; they become `$1, $2, …` here (outside quoted strings and
 * identifiers). BIGINT and NUMERIC come back as numbers: the store keeps epoch milliseconds and
 * counts far below 2^53. https://node-postgres.com/apis/pool
 */
import pg from 'pg';
import type { SqlDb, SqlParam } from './types.js';

// BIGINT (int8, oid 20) and NUMERIC (1700) as JS numbers, not strings
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** `?` → `$n`, leaving '…', "…" and -- comments alone */
export function toPgPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? sql.length - 1 : end;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length - 1 : end;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (c === '?') {
      n += 1;
      out += `$${n}`;
    } else out += c;
  }
  return out;
}

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

export function postgresSql(o: { connectionString: string; max?: number; application?: string }): SqlDb {
  const pool = new pg.Pool({ connectionString: o.connectionString, max: o.max ?? 10, application_name: o.application ?? 'dlt-doctor', connectionTimeoutMillis: 10_000 });
  // an idle client's error (the server restarted) must not crash the process; the pool replaces it
  pool.on('error', () => undefined);
  const on = (q: Queryable, inTx: boolean): SqlDb => {
    const query = (sql: string, params?: readonly SqlParam[]) => q.query(toPgPlaceholders(sql), params ? [...params] : []);
    const self: SqlDb = {
      dialect: 'postgres',
      async run(sql, params) {
        const r = await query(sql, params);
        return { changes: r.rowCount ?? 0 };
      },
      async get<T extends object>(sql: string, params?: readonly SqlParam[]) {
        return (await query(sql, params)).rows[0] as T | undefined;
      },
      async all<T extends object>(sql: string, params?: readonly SqlParam[]) {
        return (await query(sql, params)).rows as T[];
      },
      async exec(sql) {
        await q.query(sql);
      },
      async transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
        if (inTx) return fn(self);
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const out = await fn(on(client, true));
          await client.query('COMMIT');
          return out;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          client.release();
        }
      },
      async ping() {
        try {
          await pool.query('SELECT 1');
          return true;
        } catch {
          return false;
        }
      },
      async close() {
        await pool.end();
      },
    };
    return self;
  };
  return on(pool, false);
}
