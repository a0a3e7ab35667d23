/**
 * events.jsonl into the offline bundle's DuckDB in ONE read_json pass (issue 16 item 2), kept small
 * enough for a million-event bundle: the few events the statements read whole (definitions, plans,
 * progress, errors, everything but the two high-volume kinds) keep their text as it is; the bulk,
 * flow_progress and cluster_resources without an error, keep only the typed fields the statements
 * read (src/databricks/queries/: FlowProgress.metrics, data_quality.dropped_records, status;
 * ClusterResources nested and flat, docs.databricks.com/aws/en/ldp/monitor-event-log-schema).
 * `event_log_rows` is a view that gives every row back in the event log's own shape (details as
 * the JSON text get_json_object reads; the kept fields only for the bulk), so the statements run
 * unchanged, as on a workspace.
 *
 * Both shapes the bundle reader accepted (CONTRACT §1) load the same way: `details`, `origin` and
 * `error` read as VARCHAR give the text of an object and the content of a JSON string alike, which
 * json_transform parses; a timestamp is ISO text (with or without a zone; none means UTC) or epoch
 * milliseconds. A line read_json cannot parse becomes an all-NULL row, and a row without an event
 * type or a timestamp is not an event: both are counted as malformed, by their place in the file
 * (the table keeps the file's order; read_json skips blank lines, so a line number is the row's
 * place plus the blank lines before it).
 */
import { writeFile } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ORIGIN_FIELDS } from '../demo/warehouse.js';

const FLOW_METRICS = [
  'num_output_rows', 'num_upserted_rows', 'num_deleted_rows', 'num_output_bytes', 'executor_time_ms', 'executor_cpu_time_ms',
  'backlog_bytes', 'backlog_records', 'backlog_files', 'backlog_seconds',
] as const;
const TASK_SLOT_METRICS = ['num_executors', 'num_task_slots', 'avg_num_task_slots', 'avg_task_slot_utilization', 'avg_num_queued_tasks'] as const;
const AUTOSCALE_INFO = ['optimal_num_executors', 'latest_requested_num_executors'] as const;

const doubles = (names: readonly string[]) => names.map((n) => `"${n}":"DOUBLE"`).join(',');
/** the typed fields of a bulk event's details that any statement reads (test/bundle/offline-events.test.ts checks the list against the statements) */
export const FLOW_PROGRESS_SHAPE = `{"flow_progress":{"status":"VARCHAR","metrics":{${doubles(FLOW_METRICS)}},"data_quality":{"dropped_records":"DOUBLE"}}}`;
export const CLUSTER_RESOURCES_SHAPE =
  `{"cluster_resources":{"task_slot_metrics":{${doubles(TASK_SLOT_METRICS)}},"autoscale_info":{${doubles(AUTOSCALE_INFO)},"state":"VARCHAR"},` +
  `${doubles([...TASK_SLOT_METRICS, ...AUTOSCALE_INFO, 'requested_num_executors'])},"state":"VARCHAR"}}`;
/** the JSON paths the kept fields answer (beside the two objects themselves) */
export const KEPT_PATHS: readonly string[] = [
  '$.flow_progress.status',
  '$.flow_progress.metrics',
  ...FLOW_METRICS.map((m) => `$.flow_progress.metrics.${m}`),
  '$.flow_progress.data_quality.dropped_records',
  '$.cluster_resources',
  ...TASK_SLOT_METRICS.flatMap((m) => [`$.cluster_resources.task_slot_metrics.${m}`, `$.cluster_resources.${m}`]),
  ...AUTOSCALE_INFO.flatMap((m) => [`$.cluster_resources.autoscale_info.${m}`, `$.cluster_resources.${m}`]),
  '$.cluster_resources.requested_num_executors',
  '$.cluster_resources.autoscale_info.state',
  '$.cluster_resources.state',
];

const ORIGIN_SHAPE = `{${ORIGIN_FIELDS.map(([n, t]) => `"${n}":"${t}"`).join(',')}}`;
const ERROR_SHAPE = '{"fatal":"BOOLEAN","exceptions":[{"class_name":"VARCHAR","message":"VARCHAR"}]}';
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export interface LoadEventsOptions {
  /** the events file, as DuckDB may open it */
  file: string;
  /** the bundle's pipeline: every event is this pipeline's (a bundle holds one) */
  pipelineId: string;
  /** a longer line is not read (maxLineBytes) */
  maxLineBytes: number;
  /**
   * Judges the rows read_json could not read or that are no events (their places among the
   * non-blank lines) line by line: the lines that are events after all (their text), and the
   * malformed ones (1-based line numbers, the first 20, and how many).
   */
  recheck(places: number[]): Promise<{ events: { line: string; lineNo: number }[]; malformedLines: number[]; malformedCount: number }>;
  /** a scratch file for the lines loaded again */
  recheckFile: string;
}

export interface LoadedEvents {
  /** rows of events (valid) */
  events: number;
  /** lines that are not events: their 1-based numbers (the first 20) and how many */
  malformed: { count: number; first: number[] };
  /** the newest event time (epoch ms), null without events */
  newestMs: number | null;
  detailed: number;
  /** distinct update ids */
  updates: number;
}

/** the rows of `file`, typed and trimmed (the bulk's kept fields), in the file's order */
function selectRows(file: string, maxLineBytes: number): string {
  return `WITH raw AS (
  SELECT * FROM read_json(${sqlString(file)}, format = 'newline_delimited', ignore_errors = true, maximum_object_size = ${Math.max(1024, Math.floor(maxLineBytes))},
    columns = {id: 'VARCHAR', sequence: 'VARCHAR', origin: 'VARCHAR', timestamp: 'VARCHAR', message: 'VARCHAR', level: 'VARCHAR',
               maturity_level: 'VARCHAR', error: 'VARCHAR', details: 'VARCHAR', event_type: 'VARCHAR'})
),
t AS (
  SELECT * REPLACE (nullif(details, '') AS details),
    coalesce(CAST(try_cast(timestamp AS TIMESTAMPTZ) AS TIMESTAMP),
      CASE WHEN abs(try_cast(timestamp AS DOUBLE)) <= 8.64e15 THEN epoch_ms(CAST(try_cast(timestamp AS DOUBLE) AS BIGINT)) END) AS ts,
    json_valid(origin) AS origin_valid,
    event_type IN ('flow_progress', 'cluster_resources') AND error IS NULL AND nullif(details, '') IS NOT NULL
      AND coalesce(upper(level), '') NOT IN ('ERROR', 'WARN') AS bulk,
    json_transform(CASE WHEN json_valid(origin) THEN origin END, '{"update_id":"VARCHAR","flow_name":"VARCHAR","cluster_id":"VARCHAR","dataset_name":"VARCHAR"}') AS o
  FROM raw
),
k AS (
  SELECT *,
    CASE WHEN bulk AND event_type = 'flow_progress' AND json_valid(details) THEN json_transform(details, '${FLOW_PROGRESS_SHAPE}') END AS fp,
    CASE WHEN bulk AND event_type = 'cluster_resources' AND json_valid(details) THEN json_transform(details, '${CLUSTER_RESOURCES_SHAPE}') END AS cr
  FROM t
)
SELECT event_type IS NOT NULL AND ts IS NOT NULL AND (origin IS NULL OR (origin_valid AND json_type(CASE WHEN origin_valid THEN origin END) = 'OBJECT'))
    AND CASE WHEN bulk THEN fp IS NOT NULL OR cr IS NOT NULL
             ELSE details IS NULL OR coalesce(json_type(CASE WHEN json_valid(details) THEN details END) = 'OBJECT', false) END AS ok,
  id, ts, event_type, level, o.update_id AS update_id, o.flow_name AS flow_name, o.cluster_id AS cluster_id, o.dataset_name AS dataset_name,
  CASE WHEN NOT bulk AND origin_valid THEN json_transform(origin, '${ORIGIN_SHAPE}') END AS origin_full,
  CASE WHEN NOT bulk THEN sequence END AS sequence,
  CASE WHEN NOT bulk THEN message END AS message,
  CASE WHEN NOT bulk THEN maturity_level END AS maturity_level,
  json_transform(CASE WHEN json_valid(error) THEN error END, '${ERROR_SHAPE}') AS error,
  CASE WHEN NOT bulk THEN details END AS details_text,
  fp, cr
FROM k`;
}

export async function loadEvents(conn: DuckDBConnection, o: LoadEventsOptions): Promise<LoadedEvents> {
  await conn.run(`CREATE TABLE bundle_events AS ${selectRows(o.file, o.maxLineBytes)}`);
  let malformed = { count: 0, first: [] as number[] };
  const listed = (await conn.runAndReadAll('SELECT list(rowid ORDER BY rowid) AS r FROM bundle_events WHERE NOT ok')).getRowObjectsJS()[0]?.r as bigint[] | null;
  const bad = (listed ?? []).map(Number);
  if (bad.length > 0) {
    // read_json fails a line together with the next one when the first is cut short (it reads on
    // across the line break): each line it failed is judged on its own, and the events among them
    // are loaded again
    const verdict = await o.recheck(bad);
    await conn.run('DELETE FROM bundle_events WHERE NOT ok');
    let lines = verdict.malformedLines;
    let count = verdict.malformedCount;
    if (verdict.events.length > 0) {
      await writeFile(o.recheckFile, `${verdict.events.map((e) => e.line).join('\n')}\n`);
      await conn.run(`CREATE TEMP TABLE bundle_recheck AS ${selectRows(o.recheckFile, o.maxLineBytes)}`);
      const still = (await conn.runAndReadAll('SELECT rowid AS r FROM bundle_recheck WHERE NOT ok ORDER BY rowid')).getRowObjectsJS().map((r) => verdict.events[Number(r.r)]!.lineNo);
      await conn.run('INSERT INTO bundle_events SELECT * FROM bundle_recheck WHERE ok');
      await conn.run('DROP TABLE bundle_recheck');
      count += still.length;
      lines = [...lines, ...still].sort((a, b) => a - b);
    }
    malformed = { count, first: lines.slice(0, 20) };
  }
  const originField = ([n]: [string, string]) => {
    if (n === 'pipeline_id') return `pipeline_id := ${sqlString(o.pipelineId)}`;
    if (n === 'update_id' || n === 'flow_name' || n === 'cluster_id' || n === 'dataset_name') return `${n} := ${n}`;
    return `${n} := origin_full.${n}`;
  };
  await conn.run(`CREATE VIEW event_log_rows AS
SELECT id, CAST(sequence AS JSON) AS sequence,
  struct_pack(${ORIGIN_FIELDS.map(originField).join(', ')}) AS origin,
  ts AS timestamp, message, level, maturity_level,
  error,
  CASE WHEN details_text IS NOT NULL THEN details_text
       WHEN fp IS NOT NULL THEN CAST(to_json(fp) AS VARCHAR)
       WHEN cr IS NOT NULL THEN CAST(to_json(cr) AS VARCHAR) END AS details,
  event_type
FROM bundle_events WHERE ok`);
  const counts = await conn.runAndReadAll(`SELECT count_if(ok) AS events, epoch_ms(MAX(CASE WHEN ok THEN ts END)) AS newest,
      count_if(ok AND (details_text IS NOT NULL OR fp IS NOT NULL OR cr IS NOT NULL)) AS detailed,
      COUNT(DISTINCT CASE WHEN ok THEN update_id END) AS updates FROM bundle_events`);
  const row = counts.getRowObjectsJS()[0] as { events: bigint; newest: bigint | null; detailed: bigint; updates: bigint };
  return {
    events: Number(row.events),
    malformed,
    newestMs: row.newest === null ? null : Number(row.newest),
    detailed: Number(row.detailed),
    updates: Number(row.updates),
  };
}
