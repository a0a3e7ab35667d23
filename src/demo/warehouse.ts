/**
 * The demo workspace's SQL warehouse: an in-memory DuckDB that answers the SAME statements as a
 * Databricks SQL warehouse (src/databricks/queries/*.sql), rewritten only by `toDuckDbSql`.
 * Tables mirror Databricks' shapes: the event log (origin a STRUCT, details a JSON string),
 * system.compute.node_timeline, system.billing.usage and system.billing.list_prices (named
 * system_<schema>_<table> because `system` is a reserved catalog name in DuckDB).
 * Rows are bulk-loaded from a JSON-lines temp file with read_json (fast for ~100k events).
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import {
  createPipelineEventsResolver,
  dayParameters,
  loadQueries,
  PIPELINE_EVENTS_TABLES,
  pipelineEventsUnavailable,
  readsPipelineEvents,
  sqlTemplateFor,
  withPipelineEventsTable,
  type EventSource,
  type QueryName,
  type SqlParams,
  type Warehouse,
} from '../databricks/sql.js';
import { sourceUnavailable } from '../errors.js';
import { UPDATE_TIMELINE_VIEW } from './update-timeline-view.js';
import { toDuckDbSql } from './to-duckdb-sql.js';

export { toDuckDbSql };

/** What the warehouse reads from the demo workspace (structurally a subset of DemoWorkspaceData). */
export interface WarehouseDataPipeline {
  pipeline?: { pipeline_id?: string } | object;
  events: readonly object[];
  nodeTimeline?: readonly object[];
  usage?: readonly object[];
}
export interface WarehouseData {
  pipelines: readonly WarehouseDataPipeline[];
  listPrices: readonly object[];
}

export interface DuckDbWarehouse extends Warehouse {
  /** add event-log rows (an update started by the demo REST server) */
  appendEvents(rows: readonly object[]): Promise<void>;
  appendNodeTimeline(rows: readonly object[]): Promise<void>;
  appendUsage(rows: readonly object[]): Promise<void>;
}

export const ORIGIN_FIELDS: [string, 'VARCHAR' | 'BIGINT'][] = [
  ['cloud', 'VARCHAR'], ['region', 'VARCHAR'], ['org_id', 'BIGINT'], ['user_id', 'BIGINT'], ['pipeline_id', 'VARCHAR'],
  ['pipeline_type', 'VARCHAR'], ['pipeline_name', 'VARCHAR'], ['cluster_id', 'VARCHAR'], ['update_id', 'VARCHAR'],
  ['maintenance_id', 'VARCHAR'], ['table_id', 'VARCHAR'], ['table_name', 'VARCHAR'], ['flow_id', 'VARCHAR'],
  ['flow_name', 'VARCHAR'], ['batch_id', 'BIGINT'], ['request_id', 'VARCHAR'], ['dataset_name', 'VARCHAR'], ['sink_name', 'VARCHAR'],
];
const struct = (fields: [string, string][]) => `STRUCT(${fields.map(([n, t]) => `"${n}" ${t}`).join(', ')})`;

const TABLES = {
  event_log_rows: {
    id: 'VARCHAR',
    sequence: 'JSON',
    origin: struct(ORIGIN_FIELDS),
    timestamp: 'TIMESTAMP',
    message: 'VARCHAR',
    level: 'VARCHAR',
    maturity_level: 'VARCHAR',
    error: `STRUCT("fatal" BOOLEAN, "exceptions" STRUCT("class_name" VARCHAR, "message" VARCHAR)[])`,
    details: 'VARCHAR',
    event_type: 'VARCHAR',
  },
  system_compute_node_timeline: {
    account_id: 'VARCHAR', workspace_id: 'VARCHAR', cluster_id: 'VARCHAR', instance_id: 'VARCHAR', driver: 'BOOLEAN',
    start_time: 'TIMESTAMP', end_time: 'TIMESTAMP', cpu_user_percent: 'DOUBLE', cpu_system_percent: 'DOUBLE',
    cpu_wait_percent: 'DOUBLE', mem_used_percent: 'DOUBLE', mem_swap_percent: 'DOUBLE', network_sent_bytes: 'BIGINT',
    network_received_bytes: 'BIGINT', node_type: 'VARCHAR',
  },
  system_billing_usage: {
    record_id: 'VARCHAR', account_id: 'VARCHAR', workspace_id: 'VARCHAR', sku_name: 'VARCHAR', cloud: 'VARCHAR',
    usage_start_time: 'TIMESTAMP', usage_end_time: 'TIMESTAMP', usage_date: 'DATE', usage_unit: 'VARCHAR',
    usage_quantity: 'DOUBLE', record_type: 'VARCHAR', billing_origin_product: 'VARCHAR',
    usage_metadata: struct([['dlt_pipeline_id', 'VARCHAR'], ['dlt_update_id', 'VARCHAR'], ['dlt_maintenance_id', 'VARCHAR'], ['cluster_id', 'VARCHAR']]),
    product_features: struct([['is_serverless', 'BOOLEAN'], ['is_photon', 'BOOLEAN'], ['dlt_tier', 'VARCHAR']]),
    identity_metadata: struct([['run_as', 'VARCHAR']]),
  },
  system_billing_list_prices: {
    account_id: 'VARCHAR', sku_name: 'VARCHAR', cloud: 'VARCHAR', currency_code: 'VARCHAR', usage_unit: 'VARCHAR',
    price_start_time: 'TIMESTAMP', price_end_time: 'TIMESTAMP',
    pricing: struct([['default', 'DOUBLE'], ['effective_list', struct([['default', 'DOUBLE']])]]),
  },
} as const;
type TableName = keyof typeof TABLES;

/** rows serialised per write when bulk-loading (scale-32 demo workspaces hold ~1M events) */
const LOAD_CHUNK_ROWS = 20_000;

/** Shims for Databricks functions DuckDB lacks or names differently. */
const MACROS = [
  `CREATE MACRO event_log(p) AS TABLE SELECT * FROM event_log_rows WHERE origin.pipeline_id = p`,
  // Databricks' get_json_object gives NULL for malformed JSON; DuckDB's json_extract_string raises
  `CREATE MACRO get_json_object(j, path) AS try(json_extract_string(j, path))`,
  `CREATE MACRO unix_timestamp(t) AS CAST(epoch(t) AS BIGINT)`,
  `CREATE MACRO unix_millis(t) AS epoch_ms(t)`,
  `CREATE MACRO percentile_approx(x, p) AS approx_quantile(x, p)`,
];

/**
 * The pipeline events system table (Beta path, GA path, or both) over the same event rows, named as
 * toDuckDbSql rewrites `system.<schema>.<table>`.
 */
const pipelineEventsView = (table: string) =>
  `CREATE VIEW ${table.replace(/\./g, '_')} AS SELECT id AS pipeline_event_id, origin.pipeline_id AS pipeline_id,
     origin.update_id AS update_id, event_type, origin, message, level, maturity_level, error,
     CAST(details AS JSON) AS details, timestamp AS event_time FROM event_log_rows`;

export interface DuckDbWarehouseOptions {
  /** true: no system.lakeflow.pipeline_update_timeline, as a warehouse without the grant (default: env DLT_DOCTOR_DEMO_REVOKE_UPDATE_TIMELINE=1) */
  revokeUpdateTimeline?: boolean;
  /** which pipeline events tables exist (system.* names); default both the Beta and the GA path */
  pipelineEventsTables?: readonly string[];
  /** as DLT_DOCTOR_PIPELINE_EVENTS_TABLE: use this one, probe nothing */
  pipelineEventsTable?: string | null;
  /**
   * A warehouse session time zone (IANA name, e.g. Asia/Tokyo), as a Databricks warehouse's
   * TIMEZONE parameter (docs.databricks.com/aws/en/sql/language-manual/parameters/timezone): a
   * Databricks TIMESTAMP is an instant shown in the session time zone, so `CAST(:ts AS DATE)` of a
   * timestamp parameter gives that zone's calendar day; this emulates it. TIMESTAMP bounds stay
   * instants. Default UTC (the demo's own setting).
   */
  sessionTimeZone?: string;
  /** a DuckDB database file instead of memory (a big offline bundle: its pages can leave memory) */
  database?: string;
  /** DuckDB's memory_limit, e.g. '200MB' (default: DuckDB's, 80% of RAM) */
  memoryLimit?: string;
  /** DuckDB's worker threads (default: one a core); a small offline bundle needs one */
  threads?: number;
  /**
   * Makes `event_log_rows` itself (a table or a view with its columns) instead of the empty table
   * the demo appends to: an offline bundle loads its events.jsonl with one read_json
   * (src/bundle/offline-events.ts). Runs before the macros and views that read it.
   */
  createEventRows?: (conn: DuckDBConnection) => Promise<void>;
  /**
   * Statements answered with recorded rows instead of running: an offline bundle holds the
   * period's digest-utilization row an export recorded (utilization.json) but not the weeks of
   * node metrics behind it.
   */
  recorded?: Partial<Record<QueryName, readonly Record<string, unknown>[]>>;
  /** statements refused with this reason (SOURCE_UNAVAILABLE): what an offline bundle does not hold */
  refused?: Partial<Record<QueryName, string>>;
}

/** `CAST($p AS DATE)` of a timestamp-valued parameter → its calendar day in `tz` (see sessionTimeZone). */
export function castDateInZone(duckSql: string, values: Record<string, DuckDBValue>, tz: string): string {
  return duckSql.replace(/CAST\(\$([A-Za-z_][A-Za-z0-9_]*) AS DATE\)/g, (whole, name: string) => {
    const v = values[name];
    // a 'YYYY-MM-DD' day is a date already; only a timestamp moves with the zone
    if (typeof v !== 'string' || !v.includes('T')) return whole;
    return `CAST(timezone('${tz}', CAST(CAST($${name} AS TIMESTAMP) AS TIMESTAMPTZ)) AS DATE)`;
  });
}

const iso = (v: unknown): string | null => {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number') return new Date(v).toISOString();
  return String(v);
};
const jsonText = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));
const maybeParse = (v: unknown): unknown => {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return null;
  }
};
const pick = (v: unknown, keys: readonly string[]): Record<string, unknown> | null => {
  const o = maybeParse(v);
  if (!o || typeof o !== 'object') return null;
  return Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k] ?? null]));
};

function eventRow(r: Record<string, unknown>): Record<string, unknown> {
  const err = maybeParse(r.error) as { fatal?: unknown; exceptions?: unknown } | null;
  return {
    id: r.id ?? null,
    sequence: jsonText(r.sequence),
    origin: pick(r.origin, ORIGIN_FIELDS.map(([n]) => n)),
    timestamp: iso(r.timestamp),
    message: r.message ?? null,
    level: r.level ?? null,
    maturity_level: r.maturity_level ?? null,
    error: err && typeof err === 'object'
      ? { fatal: err.fatal ?? null, exceptions: Array.isArray(err.exceptions) ? err.exceptions.map((e) => pick(e, ['class_name', 'message'])) : null }
      : null,
    details: jsonText(r.details),
    event_type: r.event_type ?? null,
  };
}

function nodeRow(r: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const k of Object.keys(TABLES.system_compute_node_timeline)) row[k] = r[k] ?? null;
  row.start_time = iso(r.start_time);
  row.end_time = iso(r.end_time);
  return row;
}

function usageRow(r: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const k of Object.keys(TABLES.system_billing_usage)) row[k] = r[k] ?? null;
  row.usage_start_time = iso(r.usage_start_time);
  row.usage_end_time = iso(r.usage_end_time);
  row.usage_date = iso(r.usage_date ?? r.usage_start_time)?.slice(0, 10) ?? null;
  const meta = pick(r.usage_metadata, ['dlt_pipeline_id', 'dlt_update_id', 'dlt_maintenance_id', 'cluster_id']);
  row.usage_metadata = meta;
  row.product_features = pick(r.product_features, ['is_serverless', 'is_photon', 'dlt_tier']);
  row.identity_metadata = pick(r.identity_metadata, ['run_as']);
  // every demo usage row is a pipeline's; Databricks labels those DLT
  row.billing_origin_product = r.billing_origin_product ?? (meta?.dlt_pipeline_id ? 'DLT' : null);
  row.record_type = r.record_type ?? 'ORIGINAL';
  row.usage_unit = r.usage_unit ?? 'DBU';
  return row;
}

function priceRow(r: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const k of Object.keys(TABLES.system_billing_list_prices)) row[k] = r[k] ?? null;
  row.price_start_time = iso(r.price_start_time);
  row.price_end_time = iso(r.price_end_time);
  row.usage_unit = r.usage_unit ?? 'DBU';
  const pricing = maybeParse(r.pricing) as { default?: unknown; effective_list?: { default?: unknown } } | null;
  row.pricing = pricing
    ? { default: pricing.default ?? null, effective_list: { default: pricing.effective_list?.default ?? pricing.default ?? null } }
    : null;
  return row;
}

const SHAPERS: Record<TableName, (r: Record<string, unknown>) => Record<string, unknown>> = {
  event_log_rows: eventRow,
  system_compute_node_timeline: nodeRow,
  system_billing_usage: usageRow,
  system_billing_list_prices: priceRow,
};

/** DuckDB values → what the Databricks driver returns: bigints as numbers, nested structs likewise. */
export function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

function duckParam(v: SqlParams[string]): DuckDBValue {
  if (v instanceof Date) return v.toISOString();
  return v;
}

type Data = WarehouseData | (() => WarehouseData);
/** statements in flight at once (a diagnosis sends about a dozen in one round) */
const READER_CONNECTIONS = 4;

export async function createDuckDbWarehouse(data: Data, options: DuckDbWarehouseOptions = {}): Promise<DuckDbWarehouse> {
  const tz = options.sessionTimeZone;
  if (tz !== undefined && !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(tz)) throw new Error(`demo session time zone ${tz} is not an IANA name`);
  const config: Record<string, string> = {};
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  if (options.threads) config.threads = String(options.threads);
  const instance = await DuckDBInstance.create(options.database ?? ':memory:', config);
  const conn = await instance.connect();
  await conn.run(`SET TimeZone = 'UTC'`);
  for (const [table, columns] of Object.entries(TABLES)) {
    if (table === 'event_log_rows' && options.createEventRows) continue;
    await conn.run(`CREATE TABLE ${table} (${Object.entries(columns).map(([c, t]) => `"${c}" ${t}`).join(', ')})`);
  }
  if (options.createEventRows) await options.createEventRows(conn);
  for (const m of MACROS) await conn.run(m);
  if (!(options.revokeUpdateTimeline ?? process.env.DLT_DOCTOR_DEMO_REVOKE_UPDATE_TIMELINE === '1')) await conn.run(UPDATE_TIMELINE_VIEW);
  for (const t of options.pipelineEventsTables ?? PIPELINE_EVENTS_TABLES) {
    if (!/^system\.[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/.test(t)) throw new Error(`demo pipeline events table ${t} must be system.<schema>.<table>`);
    await conn.run(pipelineEventsView(t));
  }

  const tmp = mkdtempSync(join(tmpdir(), 'dlt-doctor-duckdb-'));
  let fileSeq = 0;
  let statements = 0;
  let probes = 0;
  let chain: Promise<unknown> = Promise.resolve();
  /**
   * A DuckDB connection runs one statement at a time: loads are serialised on the writer `conn`;
   * statements run on a small pool of reader connections, in parallel as a SQL warehouse runs a
   * diagnosis' statements, each after the loads queued before it (so appended rows are visible).
   */
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const p = chain.then(f, f);
    chain = p.catch(() => undefined);
    return p;
  };

  const load = (table: TableName, rows: readonly object[]) =>
    serial(async () => {
      if (rows.length === 0) return;
      const file = join(tmp, `${table}-${fileSeq++}.jsonl`);
      const shape = SHAPERS[table];
      // in chunks: one string of a million events would pass V8's maximum string length
      writeFileSync(file, '');
      for (let i = 0; i < rows.length; i += LOAD_CHUNK_ROWS) {
        appendFileSync(file, `${rows.slice(i, i + LOAD_CHUNK_ROWS).map((r) => JSON.stringify(shape(r as Record<string, unknown>))).join('\n')}\n`);
      }
      const cols = Object.entries(TABLES[table]).map(([c, t]) => `"${c}": '${t.replace(/'/g, "''")}'`).join(', ');
      try {
        await conn.run(`INSERT INTO ${table} SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {${cols}})`);
      } finally {
        rmSync(file, { force: true });
      }
    });

  // what has been loaded from a live state, per pipeline index, so later calls append only the rest
  const loaded = new Map<number, { events: number; nodes: number; usage: number }>();
  let pricesLoaded = 0;
  const sync = async (d: WarehouseData) => {
    const events: object[] = [];
    const nodes: object[] = [];
    const usage: object[] = [];
    d.pipelines.forEach((p, i) => {
      const seen = loaded.get(i) ?? { events: 0, nodes: 0, usage: 0 };
      events.push(...p.events.slice(seen.events));
      nodes.push(...(p.nodeTimeline ?? []).slice(seen.nodes));
      usage.push(...(p.usage ?? []).slice(seen.usage));
      loaded.set(i, { events: p.events.length, nodes: p.nodeTimeline?.length ?? 0, usage: p.usage?.length ?? 0 });
    });
    const prices = d.listPrices.slice(pricesLoaded);
    pricesLoaded = d.listPrices.length;
    await Promise.all([
      load('event_log_rows', events),
      load('system_compute_node_timeline', nodes),
      load('system_billing_usage', usage),
      load('system_billing_list_prices', prices),
    ]);
  };
  await sync(typeof data === 'function' ? data() : data);

  const readers = await Promise.all(
    Array.from({ length: READER_CONNECTIONS }, async () => {
      const c = await instance.connect();
      await c.run(`SET TimeZone = 'UTC'`);
      return c;
    }),
  );
  const idle = [...readers];
  const waiting: ((c: (typeof readers)[number]) => void)[] = [];
  /** statements on a reader: close() waits for them (a connection closed under a running statement can take the process down) */
  const inFlight = new Set<Promise<unknown>>();
  const onReader = <T>(f: (c: (typeof readers)[number]) => Promise<T>): Promise<T> => {
    const p = onReaderNow(f);
    inFlight.add(p);
    const done = () => inFlight.delete(p);
    p.then(done, done);
    return p;
  };
  const onReaderNow = async <T>(f: (c: (typeof readers)[number]) => Promise<T>): Promise<T> => {
    await chain;
    const c = idle.pop() ?? (await new Promise<(typeof readers)[number]>((r) => waiting.push(r)));
    try {
      return await f(c);
    } finally {
      const next = waiting.shift();
      if (next) next(c);
      else idle.push(c);
    }
  };

  const texts = loadQueries();
  const translated = new Map<string, { sql: string; params: string[] }>();
  const translate = (sql: string) => {
    let t = translated.get(sql);
    if (!t) {
      t = toDuckDbSql(sql);
      translated.set(sql, t);
    }
    return t;
  };
  /** the Databricks text → DuckDB, run with its parameters (derived day bounds included) */
  const run = async (name: QueryName, databricksSql: string, params: SqlParams) => {
    const { sql, params: names } = translate(databricksSql);
    const all = { ...params, ...dayParameters(databricksSql, params) };
    const values: Record<string, DuckDBValue> = {};
    for (const n of names) {
      if (!(n in all)) throw new Error(`${name}.sql needs parameter :${n}`);
      values[n] = duckParam(all[n] ?? null);
    }
    const text = tz && tz !== 'UTC' ? castDateInZone(sql, values, tz) : sql;
    const reader = await onReader((c) => c.runAndReadAll(text, values));
    return reader.getRowObjectsJS().map((r) => plain(r) as Record<string, unknown>);
  };
  // the same resolution as a live warehouse: the configured table, else the first that answers
  const resolver = createPipelineEventsResolver({
    configured: options.pipelineEventsTable ?? null,
    probe: async (table) => {
      probes++;
      await run('pipeline-events-probe', withPipelineEventsTable(texts.base['pipeline-events-probe'], table), {});
    },
    isMissing: (err) => err instanceof Error && /does not exist/i.test(err.message),
  });

  return {
    async query(name, params, queryOptions) {
      if (typeof data === 'function') await sync(data());
      // the demo has no published tables: a `table` source reads the same event log
      const requested = queryOptions?.eventSource ?? { kind: 'event_log' };
      const source: EventSource = requested.kind === 'table' ? { kind: 'event_log' } : requested;
      let sql = sqlTemplateFor(name, source, texts);
      if (readsPipelineEvents(sql)) {
        const table = await resolver.resolve();
        if (table === null) throw pipelineEventsUnavailable(name, resolver.candidates, '<principal>');
        sql = withPipelineEventsTable(sql, table);
      }
      statements++;
      const refusal = options.refused?.[name];
      if (refusal) throw sourceUnavailable(refusal);
      const recorded = options.recorded?.[name];
      const rows = recorded ? recorded.map((r) => ({ ...r })) : await run(name, sql, params);
      return (queryOptions?.maxRows ? rows.slice(0, queryOptions.maxRows) : rows) as never;
    },
    appendEvents: (rows) => load('event_log_rows', rows),
    appendNodeTimeline: (rows) => load('system_compute_node_timeline', rows),
    appendUsage: (rows) => load('system_billing_usage', rows),
    async close() {
      await chain;
      await Promise.allSettled([...inFlight]);
      for (const c of readers) c.closeSync();
      conn.closeSync();
      instance.closeSync();
      rmSync(tmp, { recursive: true, force: true });
    },
    stats: () => ({ statements, probes }),
  };
}

