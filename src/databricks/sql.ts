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
import { dayParameters } from './billing-days.js';
import {
  createPipelineEventsResolver,
  PIPELINE_EVENTS_TABLES,
  readsPipelineEvents,
  schemaOf,
  withPipelineEventsTable,
} from './pipeline-events.js';

export * from './pipeline-events.js';
export * from './billing-days.js';

export const QUERY_NAMES = [
  // export only: every event-log row of an update, as a bundle holds them (CONTRACT.md §1)
  'update-events',
  // a diagnosis: bounded summaries of one update (SUMMARY_QUERIES), whatever its length
  'update-overview',
  'update-milestones',
  'update-flow-buckets',
  'update-flow-statuses',
  'update-cluster-resources',
  'update-autoloader',
  'node-timeline-buckets',
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
  // resolves where the pipeline events system table is (createPipelineEventsResolver)
  'pipeline-events-probe',
  // fleet-wide: latest updates of every pipeline in one statement (issue 16 item 3)
  'fleet-update-states',
  // fleet-wide: the backlog of every pipeline's latest update in one statement (the list's flag, issue 17 item 2)
  'fleet-backlog',
] as const;
export type QueryName = (typeof QUERY_NAMES)[number];

/** Queries that read the pipeline event log, and so depend on the event source. */
export const EVENT_QUERIES: readonly QueryName[] = [
  'update-events',
  'update-history',
  'update-overview',
  'update-milestones',
  'update-flow-buckets',
  'update-flow-statuses',
  'update-cluster-resources',
  'update-autoloader',
];

/**
 * Summary statements over one update's rows: their text reads `{{update_events}}`, filled with
 * update-events.relation.sql (or its system-table variant), so each is written once for every
 * event source.
 */
export const SUMMARY_QUERIES: readonly QueryName[] = ['update-overview', 'update-flow-buckets', 'update-flow-statuses', 'update-cluster-resources', 'update-autoloader'];
const UPDATE_EVENTS_PLACEHOLDER = '{{update_events}}';

export type SqlParam = string | number | Date | null;
export type SqlParams = Record<string, SqlParam>;

/**
 * Where event-log rows are read from:
 * - `event_log`: the `event_log(<pipeline id>)` table function (pipeline owner only);
 * - `table`: a published event-log table (`event_log {catalog, schema, name}` in the pipeline spec, or config);
 * - `system_table`: the pipeline events system table, as resolved at run time (PIPELINE_EVENTS_TABLES).
 */
export type EventSource = { kind: 'event_log' } | { kind: 'table'; table: string } | { kind: 'system_table' };

export interface QueryOptions {
  eventSource?: EventSource;
  maxRows?: number;
}

export interface Warehouse {
  query<T = Record<string, unknown>>(name: QueryName, params: SqlParams, options?: QueryOptions): Promise<(T & Record<string, unknown>)[]>;
  close(): Promise<void>;
  /**
   * statements: the queries run; probes: the one-off `pipeline-events-probe` statements that
   * resolved the pipeline events table (kept apart so a section's statement count stays constant).
   */
  stats(): { statements: number; probes?: number };
}

/** The error a statement gets when no pipeline events table could be read. */
export function pipelineEventsUnavailable(query: QueryName, candidates: readonly string[], principal: string): DoctorError {
  return new DoctorError(
    'PERMISSION_DENIED',
    `The pipeline events system table is not readable (${query}; tried ${candidates.join(', ')}). Grant access to it, or set DLT_DOCTOR_PIPELINE_EVENTS_TABLE to where it is.`,
    { hint: grantSql([schemaOf(candidates[0] ?? PIPELINE_EVENTS_TABLES[0])], principal) },
  );
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
  const relation = read('update-events.relation.sql');
  const systemRelation = read('update-events.relation.system-table.sql');
  for (const name of QUERY_NAMES) {
    if (SUMMARY_QUERIES.includes(name)) {
      const text = read(`${name}.sql`);
      if (!text.includes(UPDATE_EVENTS_PLACEHOLDER)) throw new Error(`${name}.sql does not read ${UPDATE_EVENTS_PLACEHOLDER}`);
      base[name] = text.split(UPDATE_EVENTS_PLACEHOLDER).join(relation);
      systemTable[name] = text.split(UPDATE_EVENTS_PLACEHOLDER).join(systemRelation);
      continue;
    }
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
 * The SQL text of a query for an event source, before the pipeline events table is filled in
 * (`readsPipelineEvents` tells whether it must be). For a published table, the literal
 * `event_log(:pipeline_id)` is replaced by the quoted table name: a published event log holds
 * one pipeline's events, so no pipeline filter is lost. The `:pipeline_id` parameter may then
 * be unused, which the driver accepts.
 */
export function sqlTemplateFor(name: QueryName, source: EventSource = { kind: 'event_log' }, texts: QueryTexts = loadQueries()): string {
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
 * The SQL text as sent: the template with the pipeline events table filled in (by default the
 * Beta path, PIPELINE_EVENTS_TABLES[0]; warehouses pass the one they resolved).
 */
export function sqlFor(
  name: QueryName,
  source: EventSource = { kind: 'event_log' },
  texts: QueryTexts = loadQueries(),
  pipelineEvents: string = PIPELINE_EVENTS_TABLES[0],
): string {
  const sql = sqlTemplateFor(name, source, texts);
  return readsPipelineEvents(sql) ? withPipelineEventsTable(sql, pipelineEvents) : sql;
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

/** What is sent with a statement: the parameters it names, the derived day bounds included. */
export function bindParameters(sql: string, params: SqlParams): SqlParams {
  return usedParameters(sql, { ...params, ...dayParameters(sql, params) });
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

/** An OAuth access token and when it expires (ms since the epoch; null when unknown). */
export interface AccessToken {
  value: string;
  expiresAt: number | null;
}

/**
 * - `pat`: a personal access token.
 * - `oauth-m2m`: a Databricks service principal's OAuth secret. With `tokens` (the REST client's
 *   `accessToken`, POST /oidc/v1/token), the driver takes its bearer token from there: one token
 *   cache for REST and SQL, and the same Databricks token endpoint on AWS, Azure and GCP. Without
 *   it, the driver's own M2M flow with `useDatabricksOAuthInAzure` (see connectOptions).
 */
export type WarehouseAuth =
  | { kind: 'pat'; token: string }
  | { kind: 'oauth-m2m'; clientId: string; clientSecret: string; tokens?: () => Promise<AccessToken> };

export interface DatabricksWarehouseOptions {
  /** workspace host, with or without https:// */
  host: string;
  /** HTTP path of the SQL warehouse, /sql/1.0/warehouses/<id> */
  path: string;
  auth: WarehouseAuth;
  /** default event source; a query may override it (published table from the pipeline spec) */
  eventSource?: EventSource;
  /** DLT_DOCTOR_PIPELINE_EVENTS_TABLE: where the pipeline events table is; unset = probe PIPELINE_EVENTS_TABLES */
  pipelineEventsTable?: string | null;
  /** shown in GRANT instructions; defaults to the OAuth client id, else a placeholder */
  principal?: string;
  maxRows?: number;
  driver?: () => SqlDriverClient | Promise<SqlDriverClient>;
  now?: () => number;
}

async function defaultDriver(): Promise<SqlDriverClient> {
  const { DBSQLClient } = await import('@databricks/sql');
  return new DBSQLClient() as unknown as SqlDriverClient;
}

/**
 * The driver's ITokenProvider (@databricks/sql 2.0 `authType: 'token-provider'`,
 * lib/connection/auth/tokenProvider/ITokenProvider.ts) over our token source. The driver wraps it
 * in its CachedTokenProvider, which asks again from 5 minutes before `expiresAt`; the REST client
 * answers from its own cache until 60 s before expiry, so both share one token.
 */
export function driverTokenProvider(tokens: () => Promise<AccessToken>) {
  return {
    getName: () => 'dlt-doctor (workspace OAuth, /oidc/v1/token)',
    async getToken() {
      const t = await tokens();
      const { auth } = await import('@databricks/sql');
      return new auth.Token(t.value, t.expiresAt === null ? {} : { expiresAt: new Date(t.expiresAt) });
    },
  };
}

/**
 * DBSQLClient.connect options. OAuth M2M on every cloud:
 * - with a token source: `token-provider`, fed by the REST client's workspace token;
 * - without: `databricks-oauth` with `useDatabricksOAuthInAzure: true`. Without that flag the
 *   driver sends an `*.azuredatabricks.net` host's client credentials to Microsoft Entra ID
 *   (OAuthManager.getManager → AzureOAuthManager), which a Databricks OAuth secret cannot satisfy;
 *   the flag is ignored on AWS and GCP hosts (databricks/databricks-sql-nodejs PR #223;
 *   node_modules/@databricks/sql/dist/connection/auth/DatabricksOAuth/OAuthManager.js). With the
 *   flag the driver has no Databricks-OAuth path for Azure Government (`*.databricks.azure.us`:
 *   it throws, PR #225), which the token-provider path (openSource's default) covers.
 * Tested against the driver's own createAuthProvider in test/databricks/sql-oauth.test.ts.
 */
export function connectOptions(host: string, path: string, auth: WarehouseAuth): Record<string, unknown> {
  const base = { host: host.replace(/^https?:\/\//, '').replace(/\/+$/, ''), path };
  if (auth.kind === 'pat') return { ...base, token: auth.token };
  if (auth.tokens) return { ...base, authType: 'token-provider', tokenProvider: driverTokenProvider(auth.tokens) };
  return { ...base, authType: 'databricks-oauth', oauthClientId: auth.clientId, oauthClientSecret: auth.clientSecret, useDatabricksOAuthInAzure: true };
}

export function createDatabricksWarehouse(options: DatabricksWarehouseOptions): Warehouse {
  const texts = loadQueries();
  const principal = options.principal ?? (options.auth.kind === 'oauth-m2m' ? options.auth.clientId : '<principal>');
  let client: Promise<SqlDriverClient> | undefined;
  let statements = 0;
  let probes = 0;

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

  /** one statement on its own session; driver errors come out as they are */
  async function execute(sql: string, params: SqlParams, maxRows: number): Promise<object[]> {
    let session: SqlDriverSession | undefined;
    try {
      const c = await connected();
      session = await c.openSession();
      const op = await session.executeStatement(sql, { namedParameters: bindParameters(sql, params), maxRows });
      try {
        return await op.fetchAll();
      } finally {
        await op.close().catch(() => undefined);
      }
    } finally {
      await session?.close().catch(() => undefined);
    }
  }

  const probeSql = texts.base['pipeline-events-probe'];
  const resolver = createPipelineEventsResolver({
    configured: options.pipelineEventsTable ?? null,
    probe: async (table) => {
      probes++;
      await execute(withPipelineEventsTable(probeSql, table), {}, 1);
    },
    isMissing: (err) => MISSING.test(errorText(err)),
    ...(options.now ? { now: options.now } : {}),
  });

  return {
    async query(name, params, queryOptions) {
      const source = queryOptions?.eventSource ?? options.eventSource ?? { kind: 'event_log' };
      const ctx = { query: name, source, principal, pipelineEvents: resolver.current() ?? options.pipelineEventsTable ?? null };
      /** the pipeline events table this statement read, if it read one */
      let eventsTable: string | null = null;
      try {
        let sql = sqlTemplateFor(name, source, texts);
        if (readsPipelineEvents(sql)) {
          const table = await resolver.resolve();
          if (table === null) throw pipelineEventsUnavailable(name, resolver.candidates, principal);
          ctx.pipelineEvents = eventsTable = table;
          sql = withPipelineEventsTable(sql, table);
        }
        statements++;
        return (await execute(sql, params, queryOptions?.maxRows ?? options.maxRows ?? 100_000)) as never;
      } catch (err) {
        if (eventsTable && NOT_FOUND.test(errorText(err))) resolver.forget(eventsTable);
        throw mapSqlError(err, ctx);
      }
    },
    async close() {
      const c = client;
      client = undefined;
      if (c) await (await c.catch(() => undefined))?.close().catch(() => undefined);
    },
    stats: () => ({ statements, probes }),
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

const PERMISSION = /TABLE_OR_VIEW_NOT_FOUND|SCHEMA_NOT_FOUND|PERMISSION_DENIED|INSUFFICIENT_PERMISSIONS|does not have (permission|privilege)|not authorized to|User does not have|\bSQLSTATE: 42501\b/i;
/** a pipeline events candidate that is not there or not granted (a missing grant reads as "not found") */
const MISSING = /TABLE_OR_VIEW_NOT_FOUND|SCHEMA_NOT_FOUND|CATALOG_NOT_FOUND|PERMISSION_DENIED|INSUFFICIENT_PERMISSIONS|does not have (permission|privilege)|User does not have|\bSQLSTATE: (42P01|42704|42501)\b|Table with name .* does not exist/i;
/** the table itself is gone (not a grant): a cached pipeline events table is probed again */
const NOT_FOUND = /TABLE_OR_VIEW_NOT_FOUND|SCHEMA_NOT_FOUND|\bSQLSTATE: 42P01\b/i;
const CONNECTION =
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ESOCKETTIMEDOUT|socket hang up|fetch failed|network|timed? ?out|\b(401|403|404|502|503|504)\b|Unauthorized|Forbidden|invalid access token|Authentication|certificate/i;

/** The system schemas a query reads; `pipelineEvents` is the resolved (or configured) events table. */
export function systemSchemasFor(query: QueryName, source: EventSource, pipelineEvents: string | null = null): string[] {
  const events = schemaOf(pipelineEvents ?? PIPELINE_EVENTS_TABLES[0]);
  switch (query) {
    case 'node-timeline':
    case 'node-timeline-buckets':
      return ['system.compute'];
    case 'update-cost':
    case 'pipeline-cost':
    case 'cost-by-pipeline':
    case 'pipeline-usage':
    case 'list-prices':
    case 'digest-cost':
    case 'digest-daily':
      return ['system.billing'];
    case 'digest-utilization':
      return ['system.billing', 'system.compute'];
    case 'digest-efficiency':
    case 'pipeline-events-probe':
    case 'fleet-backlog':
      return [events];
    case 'digest-updates':
      return ['system.billing', events];
    case 'update-events':
    case 'update-history':
    case 'update-overview':
    case 'update-milestones':
    case 'update-flow-buckets':
    case 'update-flow-statuses':
    case 'update-cluster-resources':
    case 'update-autoloader':
      return source.kind === 'system_table' ? [events] : [];
    case 'fleet-update-states':
      return ['system.lakeflow'];
  }
}

/**
 * Valid Databricks SQL (GRANT privilege_types ON securable_object TO principal; docs:
 * sql/language-manual/security-grant): USE CATALOG on each catalog, then USE SCHEMA and SELECT on
 * each schema, one statement each, each ending in `;`. A service principal is named by its
 * application (client) id in backticks.
 */
export function grantSql(schemas: readonly string[], principal: string): string {
  const to = `TO \`${principal.replace(/`/g, '``')}\``;
  const catalogs = [...new Set(schemas.map((s) => s.split('.')[0]!))];
  return [
    ...catalogs.map((c) => `GRANT USE CATALOG ON CATALOG ${c} ${to};`),
    ...schemas.map((s) => `GRANT USE SCHEMA, SELECT ON SCHEMA ${s} ${to};`),
  ].join(' ');
}

export function grantInstruction(query: QueryName, source: EventSource, principal: string, pipelineEvents: string | null = null): string {
  const schemas = systemSchemasFor(query, source, pipelineEvents);
  if (schemas.length > 0) return grantSql(schemas, principal);
  if (source.kind === 'table') {
    const parts = source.table.split('.');
    const quoted = quoteTableName(source.table);
    const to = `TO \`${principal.replace(/`/g, '``')}\``;
    if (parts.length === 3) {
      const [c, s] = quoted.split('.');
      return `GRANT USE CATALOG ON CATALOG ${c} ${to}; GRANT USE SCHEMA ON SCHEMA ${c}.${s} ${to}; GRANT SELECT ON TABLE ${quoted} ${to};`;
    }
    return `GRANT SELECT ON TABLE ${quoted} ${to};`;
  }
  return "the event log is readable only by the pipeline owner: publish it (event_log setting) and grant SELECT, or run the bot as the pipeline's run-as principal";
}

/**
 * Driver error → DoctorError. A missing grant on a system table surfaces as TABLE_OR_VIEW_NOT_FOUND
 * (docs: system tables), so it is treated as a permission problem with the exact GRANT to run.
 * The server's message is kept as `cause`, never the credentials.
 */
export function mapSqlError(err: unknown, ctx: { query: QueryName; source: EventSource; principal: string; pipelineEvents?: string | null }): DoctorError {
  if (err instanceof DoctorError) return err;
  const text = errorText(err);
  if (PERMISSION.test(text)) {
    const schemas = systemSchemasFor(ctx.query, ctx.source, ctx.pipelineEvents ?? null);
    const what = (ctx.query === 'update-events' || ctx.query === 'update-history') && ctx.source.kind !== 'system_table' ? 'the pipeline event log' : schemas.join(' and ');
    return new DoctorError('PERMISSION_DENIED', `The SQL warehouse refused to read ${what} (${ctx.query}).`, {
      cause: err,
      hint: grantInstruction(ctx.query, ctx.source, ctx.principal, ctx.pipelineEvents ?? null),
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
