/**
 * The bot's state database, whichever backend holds it (issue 19): SQLite (better-sqlite3, the
 * embedded default: one process) or PostgreSQL (`DATABASE_URL`: several replicas on one database).
 * Statements are written once with `?` placeholders in SQL both accept; where the dialects differ
 * (DDL, a few functions) a repository asks `dialect`. Every call is async, so a network database
 * never blocks the event loop.
 */
export type Dialect = 'sqlite' | 'postgres';

export type SqlParam = string | number | bigint | boolean | null | Buffer;

export interface SqlDb {
  readonly dialect: Dialect;
  /** INSERT / UPDATE / DELETE / DDL: how many rows it changed */
  run(sql: string, params?: readonly SqlParam[]): Promise<{ changes: number }>;
  get<T extends object>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  all<T extends object>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** several statements as SQL text (migrations); no parameters */
  exec(sql: string): Promise<void>;
  /** `fn` in one transaction on one connection; rolled back when it throws */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T>;
  /** reachable (for /healthz) */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
