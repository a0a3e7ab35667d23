/**
 * SQL side of a live workspace: every statement lives in `queries/<name>.sql` and runs on a
 * Databricks SQL warehouse through @databricks/sql, with named parameters only (values never
 * touch the SQL text). The demo's DuckDB warehouse (src/demo/warehouse.ts) implements the same
 * `Warehouse` interface over the same files.
 *
 * Driver reference: github.com/databricks/databricks-sql-nodejs (README, lib/contracts/IDBSQLSession.ts).
 */
import { readFileSync } from 'node:fs';
import { DoctorError, sourceUnavailable } from '../errors.js';

export const QUERY_NAMES = [
  'update-events',
  'update-history',
  'node-timeline',
  'update-cost',
  'pipeline-cost',
  'cost-by-pipeline',
  // export: the raw rows behind update-cost and pipeline-cost (CONTRACT.md §1 usage.jsonl, list_prices.jsonl)
  'pipeline-usage',
  'list-prices',
  // digests: one statement per section across all pipelines in scope (src/digest/compute.ts)
  'digest-cost',
  'digest-daily',
  'digest-utilization',
  'digest-efficiency',
  // digests: per update of the pipelines with a change dlt-doctor applied (src/digest/applied.ts)
  'digest-updates',
] as const;
export type QueryName = (typeof QUERY_NAMES)[number];

/** Queries that read the pipeline event log, and so depend on the event source. */
export const EVENT_QUERIES: readonly QueryName[] = ['update-events', 'update-history'];

export type SqlParam = string | number | Date | null;
export type SqlParams = Record<string, SqlParam>;

/**
 * Where event-log rows are read from:
 * - `event_log`: the `event_log(<pipeline id>)` table function (pipeline owner only);
 * - `table`: a published event-log table (`event_log {catalog, schema, name}` in the pipeline spec, or config);
 * - `system_table`: `system.lakeflow.pipeline_events` (needs USE + SELECT on system.lakeflow).
 */
export type EventSource = { kind: 'event_log' } | { kind: 'table'; table: string } | { kind: 'system_table' };

export interface QueryOptions {
  eventSource?: EventSource;
  maxRows?: number;
}

export interface Warehouse {
  query<T = Record<string, unknown>>(name: QueryName, params: SqlParams, options?: QueryOptions): Promise<(T & Record<string, unknown>)[]>;
  close(): Promise<void>;
  stats(): { statements: number };
}

const QUERY_DIR = new URL('./queries/', import.meta.url);

export interface QueryTexts {
  /** name → SQL for the event_log() source (the base file) */
  base: Record<QueryName, string>;
  /** name → SQL of `<name>.system-table.sql`, for event queries */
  systemTable: Partial<Record<QueryName, string>>;
}

let cached: QueryTexts | undefined;
/** Reads every `queries/*.sql` once (at startup; synchronous so a missing file fails loudly and early). */
export function loadQueries(): QueryTexts {
  if (cached) return cached;
  const base = {} as Record<QueryName, string>;
  const systemTable: Partial<Record<QueryName, string>> = {};
  const read = (file: string) => stripLineComments(readFileSync(new URL(file, QUERY_DIR), 'utf8'));
  for (const name of QUERY_NAMES) {
    base[name] = read(`${name}.sql`);
    if (EVENT_QUERIES.includes(name)) systemTable[name] = read(`${name}.system-table.sql`);
  }
  cached = { base, systemTable };
  return cached;
}

/** The files' `--` comment lines document them; the warehouses get the statement alone. */
function stripLineComments(sql: string): string {
  return sql
    .split('\n')
    .filter((line) => !/^\s*--/.test(line))
    .join('\n')
    .trim();
}

const TABLE_NAME = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+){0,2}$/;
const EVENT_LOG_CALL = 'event_log(:pipeline_id)';

/** `cat.sch.tbl` → `` `cat`.`sch`.`tbl` ``; anything else is refused (identifiers cannot be parameters). */
export function quoteTableName(name: string): string {
  if (!TABLE_NAME.test(name)) {
    throw new DoctorError('CONFIG', `"${name}" is not a valid event-log table name (catalog.schema.table, letters, digits and _ only).`);
  }
  return name
    .split('.')
    .map((part) => `\`${part}\``)
    .join('.');
}

/**
 * The SQL text of a query for an event source. For a published table, the literal
 * `event_log(:pipeline_id)` is replaced by the quoted table name: a published event log holds
 * one pipeline's events, so no pipeline filter is lost. The `:pipeline_id` parameter may then
 * be unused, which the driver accepts.
 */
export function sqlFor(name: QueryName, source: EventSource = { kind: 'event_log' }, texts: QueryTexts = loadQueries()): string {
  const base = texts.base[name];
  if (!EVENT_QUERIES.includes(name) || source.kind === 'event_log') return base;
  if (source.kind === 'system_table') {
    const sql = texts.systemTable[name];
    if (!sql) throw new Error(`no system-table variant of ${name}`);
    return sql;
  }
  if (!base.includes(EVENT_LOG_CALL)) throw new Error(`${name}.sql does not read ${EVENT_LOG_CALL}`);
  return base.split(EVENT_LOG_CALL).join(quoteTableName(source.table));
}

/**
 * The parameters whose `:name` marker the statement contains: a published-table variant no longer
 * reads `:pipeline_id`, and a value without a marker is not worth a server-side error.
 */
export function usedParameters(sql: string, params: SqlParams): SqlParams {
  const out: SqlParams = {};
  for (const [k, v] of Object.entries(params)) if (new RegExp(`(^|[^:A-Za-z0-9_]):${k}(?![A-Za-z0-9_])`).test(sql)) out[k] = v;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Databricks warehouse

/** The part of @databricks/sql's DBSQLClient this module uses; tests inject a fake. */
export interface SqlDriverOperation {
  fetchAll(): Promise<object[]>;
  close(): Promise<unknown>;
}
export interface SqlDriverSession {
  executeStatement(statement: string, options: { namedParameters?: Record<string, unknown>; maxRows?: number }): Promise<SqlDriverOperation>;
  close(): Promise<unknown>;
}
export interface SqlDriverClient {
  connect(options: Record<string, unknown>): Promise<unknown>;
  openSession(): Promise<SqlDriverSession>;
  close(): Promise<unknown>;
}

export type WarehouseAuth = { kind: 'pat'; token: string } | { kind: 'oauth-m2m'; clientId: string; clientSecret: string };

export interface DatabricksWarehouseOptions {
  /** workspace host, with or without https:// */
  host: string;
  /** HTTP path of the SQL warehouse, /sql/1.0/warehouses/<id> */
  path: string;
  auth: WarehouseAuth;
  /** default event source; a query may override it (published table from the pipeline spec) */
  eventSource?: EventSource;
  /** shown in GRANT instructions; defaults to the OAuth client id, else a placeholder */
  principal?: string;
  maxRows?: number;
  driver?: () => SqlDriverClient | Promise<SqlDriverClient>;
}

async function defaultDriver(): Promise<SqlDriverClient> {
  const { DBSQLClient } = await import('@databricks/sql');
  return new DBSQLClient() as unknown as SqlDriverClient;
}

export function connectOptions(host: string, path: string, auth: WarehouseAuth): Record<string, unknown> {
  const base = { host: host.replace(/^https?:\/\//, '').replace(/\/+$/, ''), path };
  return auth.kind === 'pat'
    ? { ...base, token: auth.token }
    : { ...base, authType: 'databricks-oauth', oauthClientId: auth.clientId, oauthClientSecret: auth.clientSecret };
}

export function createDatabricksWarehouse(options: DatabricksWarehouseOptions): Warehouse {
  const texts = loadQueries();
  const principal = options.principal ?? (options.auth.kind === 'oauth-m2m' ? options.auth.clientId : '<principal>');
  let client: Promise<SqlDriverClient> | undefined;
  let statements = 0;

  const connected = (): Promise<SqlDriverClient> => {
    client ??= (async () => {
      const c = await (options.driver ?? defaultDriver)();
      await c.connect(connectOptions(options.host, options.path, options.auth));
      return c;
    })();
    // a failed connect is retried by the next query, not cached forever
    client.catch(() => {
      client = undefined;
    });
    return client;
  };

  return {
    async query(name, params, queryOptions) {
      const source = queryOptions?.eventSource ?? options.eventSource ?? { kind: 'event_log' };
      const sql = sqlFor(name, source, texts);
      let session: SqlDriverSession | undefined;
      try {
        const c = await connected();
        session = await c.openSession();
        statements++;
        const op = await session.executeStatement(sql, {
          namedParameters: usedParameters(sql, params),
          maxRows: queryOptions?.maxRows ?? options.maxRows ?? 100_000,
        });
        try {
          return (await op.fetchAll()) as never;
        } finally {
          await op.close().catch(() => undefined);
        }
      } catch (err) {
        throw mapSqlError(err, { query: name, source, principal });
      } finally {
        await session?.close().catch(() => undefined);
      }
    },
    async close() {
      const c = client;
      client = undefined;
      if (c) await (await c.catch(() => undefined))?.close().catch(() => undefined);
    },
    stats: () => ({ statements }),
  };
}

// ---------------------------------------------------------------------------------------------
// Errors

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const response = (err as { response?: { errorMessage?: unknown; displayMessage?: unknown; sqlState?: unknown } }).response;
  const parts = [err.message, response?.errorMessage, response?.displayMessage, response?.sqlState, (err as { code?: unknown }).code];
  return parts.filter((p) => typeof p === 'string' && p).join(' ');
}

const PERMISSION = /TABLE_OR_VIEW_NOT_FOUND|PERMISSION_DENIED|INSUFFICIENT_PERMISSIONS|does not have (permission|privilege)|not authorized to|User does not have|\bSQLSTATE: 42501\b/i;
const CONNECTION =
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ESOCKETTIMEDOUT|socket hang up|fetch failed|network|timed? ?out|\b(401|403|404|502|503|504)\b|Unauthorized|Forbidden|invalid access token|Authentication|certificate/i;

function systemSchemaFor(query: QueryName, source: EventSource): string | null {
  if (query === 'node-timeline') return 'system.compute';
  if (query === 'update-cost' || query === 'pipeline-cost' || query === 'cost-by-pipeline') return 'system.billing';
  if (query === 'pipeline-usage' || query === 'list-prices') return 'system.billing';
  if (query === 'digest-cost' || query === 'digest-daily') return 'system.billing';
  if (query === 'digest-utilization') return 'system.compute'; // and system.billing, as digest-cost
  if (query === 'digest-efficiency') return 'system.lakeflow';
  if (source.kind === 'system_table') return 'system.lakeflow';
  return null;
}

export function grantInstruction(query: QueryName, source: EventSource, principal: string): string {
  const schema = systemSchemaFor(query, source);
  if (schema) return `GRANT USE CATALOG ON CATALOG system; GRANT USE SCHEMA, SELECT ON SCHEMA ${schema} TO \`${principal}\``;
  if (source.kind === 'table') {
    const quoted = quoteTableName(source.table);
    return `GRANT SELECT ON TABLE ${quoted} TO \`${principal}\` (plus USE CATALOG and USE SCHEMA on its catalog and schema)`;
  }
  return "the event log is readable only by the pipeline owner: publish it (event_log setting) and grant SELECT, or run the bot as the pipeline's run-as principal";
}

/**
 * Driver error → DoctorError. A missing grant on a system table surfaces as TABLE_OR_VIEW_NOT_FOUND
 * (docs: system tables), so it is treated as a permission problem with the exact GRANT to run.
 * The server's message is kept as `cause`, never the credentials.
 */
export function mapSqlError(err: unknown, ctx: { query: QueryName; source: EventSource; principal: string }): DoctorError {
  if (err instanceof DoctorError) return err;
  const text = errorText(err);
  if (PERMISSION.test(text)) {
    const what = ctx.query === 'update-events' || ctx.query === 'update-history' ? 'the pipeline event log' : systemSchemaFor(ctx.query, ctx.source);
    return new DoctorError('PERMISSION_DENIED', `The SQL warehouse refused to read ${what} (${ctx.query}).`, {
      cause: err,
      hint: grantInstruction(ctx.query, ctx.source, ctx.principal),
    });
  }
  if (CONNECTION.test(text)) {
    return sourceUnavailable(
      'Could not reach the Databricks SQL warehouse.',
      err,
      'Check DATABRICKS_HOST, DATABRICKS_WAREHOUSE_HTTP_PATH and the credentials, and that the warehouse is running.',
    );
  }
  return sourceUnavailable(`The SQL warehouse failed to run ${ctx.query}: ${firstLine(text)}`, err);
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
