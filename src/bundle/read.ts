/**
 * Reads an evidence bundle (CONTRACT.md §1): a folder, a .zip or a .tar.gz of one (optionally with a
 * single top-level folder inside). Everything is streamed: events.jsonl goes line by line into an
 * EventAccumulator and is never held as one string. What a bundle may cost is capped
 * (src/bundle/limits.ts): the containers (src/bundle/containers.ts) enforce regular files, the entry
 * count and the decompressed-byte budget; this file the line length, the size of whole-JSON files,
 * the distinct updates and the rows of the other .jsonl files. Every breach is BAD_BUNDLE.
 */
import type { z } from 'zod';
import {
  EventRowSchema,
  MAX_DATE_MS,
  GetPipelineSchema,
  ListPriceRowSchema,
  NodeTimelineRowSchema,
  NodeTypeSchema,
  UpdateInfoSchema,
  UsageRowSchema,
  type EventRow,
  type ListPriceRow,
  type NodeTimelineRow,
  type RawNodeType,
  type RawPipeline,
  type RawUpdate,
  type UsageRow,
} from '../databricks/schemas.js';
import type { CostInfo, Evidence } from '../diagnosis/evidence.js';
import { EventAccumulator, buildEvidence, costFromRows } from '../diagnosis/build-evidence/index.js';
import type { WorkerLoad } from '../diagnosis/right-size.js';
import { parseWorkerLoad } from '../digest/utilization.js';
import { DoctorError, badBundle } from '../errors.js';
import { openContainer, type BundleFile } from './containers.js';
import { forEachLine } from './line-splitter.js';
import { formatBytes, limitExceeded, resolveLimits, type BundleLimits } from './limits.js';

export { forEachLine } from './line-splitter.js';
export { DEFAULT_BUNDLE_LIMITS, type BundleLimits } from './limits.js';

export interface ReadBundleStats {
  events: number;
  skipped: number;
  /** line numbers (1-based) of the first 20 malformed lines of events.jsonl */
  skippedLines: number[];
}

const MAX_SKIPPED_LINES = 20;

/** U+FEFF: a UTF-8 byte-order mark some editors and Windows tools write at the start of a text file */
const BOM = 0xfeff;

const ORIGIN_STRING_FIELDS = ['pipeline_id', 'pipeline_name', 'update_id', 'cluster_id', 'flow_id', 'flow_name', 'dataset_name', 'table_name', 'maintenance_id'] as const;

function optString(v: unknown): boolean {
  return v === undefined || v === null || typeof v === 'string';
}

function optNumber(v: unknown): boolean {
  return v === undefined || v === null || typeof v === 'number';
}

/**
 * Validates a JSON-parsed event row. The common shape (ISO timestamp ending in Z, `origin` and
 * `details` as objects or a `details` JSON string, no `error`) is checked by hand because zod is
 * several times slower than JSON.parse on this hot path; anything else goes through EventRowSchema.
 * Both accept and produce the same thing.
 */
export function parseEventRow(raw: unknown): EventRow | null {
  const fast = fastEventRow(raw);
  if (fast !== null) return fast;
  const parsed = EventRowSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

function fastEventRow(raw: unknown): EventRow | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const o = raw as Record<string, unknown>;
  const eventType = o.event_type;
  if (typeof eventType !== 'string') return null;
  const ts = o.timestamp;
  let t: number;
  if (typeof ts === 'string' && ts.charCodeAt(ts.length - 1) === 90 /* Z */) t = Date.parse(ts);
  else if (typeof ts === 'number') t = ts;
  else return null;
  if (!Number.isFinite(t) || Math.abs(t) > MAX_DATE_MS) return null;
  const { id, level, message, maturity_level: maturity } = o;
  if (!optString(id) || !optString(level) || !optString(message) || !optString(maturity)) return null;
  if (o.error !== undefined && o.error !== null) return null;
  const origin = o.origin;
  if (origin !== undefined && origin !== null) {
    if (typeof origin !== 'object' || Array.isArray(origin)) return null;
    const or = origin as Record<string, unknown>;
    for (const k of ORIGIN_STRING_FIELDS) if (!optString(or[k])) return null;
    if (!optNumber(or.batch_id) || !optNumber(or.org_id)) return null;
  }
  let details = o.details;
  if (typeof details === 'string') {
    if (details === '') details = null;
    else {
      try {
        details = JSON.parse(details);
      } catch {
        return null;
      }
    }
  }
  if (details !== undefined && details !== null && (typeof details !== 'object' || Array.isArray(details))) return null;
  return {
    id: id as string | null | undefined,
    timestamp: t,
    event_type: eventType,
    level: level as string | null | undefined,
    message: message as string | null | undefined,
    maturity_level: maturity as string | null | undefined,
    origin: (origin ?? null) as EventRow['origin'],
    error: null,
    details: (details ?? null) as EventRow['details'],
  };
}

/**
 * Cheap refusals that keep CPU linear and small on hostile lines, each giving exactly what the full
 * path would (the line is skipped): a line whose first non-blank character is not `{` cannot parse
 * to an object, so JSON.parse (whose SyntaxError costs microseconds) is not called; a parsed value
 * without a string `event_type` and a string or number `timestamp` fails EventRowSchema too (JSON
 * has no Date or bigint), so zod's slow error path is not taken.
 */
function mayBeObject(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 123 /* { */) return true;
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return false;
}

const UNPARSABLE: unique symbol = Symbol('unparsable');

/**
 * JSON.parse, or UNPARSABLE. The SyntaxError of a bad line is never looked at, so no stack trace is
 * captured for it (about half of its cost; JSON.parse is synchronous, nothing else runs meanwhile).
 */
function tryParse(line: string): unknown {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return JSON.parse(line);
  } catch {
    return UNPARSABLE;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function cannotBeEvent(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return true;
  const o = v as Record<string, unknown>;
  const ts = typeof o.timestamp;
  return typeof o.event_type !== 'string' || (ts !== 'string' && ts !== 'number');
}

/** A whole-JSON file as text, refused once it passes `max` bytes (never buffered beyond that). */
async function streamToString(s: AsyncIterable<Buffer>, file: BundleFile, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const c of s) {
    bytes += c.length;
    if (bytes > max) throw tooBigJson(file, max);
    chunks.push(c);
  }
  const text = Buffer.concat(chunks, bytes).toString('utf8');
  return text.charCodeAt(0) === BOM ? text.slice(1) : text;
}

const tooBigJson = (file: BundleFile, max: number) => limitExceeded('maxJsonBytes', `${file} is over ${formatBytes(max)}`);

interface RowsResult<T> {
  rows: T[];
  skipped: number;
}

async function readRows<S extends z.ZodType>(s: AsyncIterable<Buffer>, schema: S, file: BundleFile, limits: BundleLimits): Promise<RowsResult<z.infer<S>>> {
  const rows: z.infer<S>[] = [];
  let skipped = 0;
  await forEachLine(
    s,
    (line) => {
      if (line.trim() === '') return;
      const v = mayBeObject(line) ? tryParse(line) : UNPARSABLE;
      if (v === UNPARSABLE) {
        skipped++;
        return;
      }
      const r = schema.safeParse(v);
      if (!r.success) skipped++;
      else if (rows.length >= limits.maxRows) throw limitExceeded('maxRows', `${file} has over ${limits.maxRows} rows`);
      else rows.push(r.data);
    },
    { maxLineBytes: limits.maxLineBytes, file },
  );
  return { rows, skipped };
}

function lineList(lines: number[], total: number): string {
  const shown = lines.slice(0, 5).join(', ');
  return total > 5 ? `${shown}, …` : shown;
}

export interface ReadBundleOptions {
  updateId?: string;
  /** overrides of DEFAULT_BUNDLE_LIMITS (the CLI fills them from DLT_DOCTOR_BUNDLE_*) */
  limits?: Partial<BundleLimits>;
}

export async function readBundle(path: string, opts: ReadBundleOptions = {}): Promise<{ evidence: Evidence; stats: ReadBundleStats }> {
  const limits = resolveLimits(opts.limits);
  const container = await openContainer(path, limits);
  const acc = new EventAccumulator();
  const stats: ReadBundleStats = { events: 0, skipped: 0, skippedLines: [] };
  // filled by the visitor (an object, so TypeScript does not narrow the fields to null)
  const got: {
    eventsFile: 'events.jsonl' | 'events.json' | null;
    pipeline: RawPipeline | null;
    updates: RawUpdate[] | null;
    nodeTimeline: NodeTimelineRow[] | null;
    usage: UsageRow[] | null;
    prices: ListPriceRow[] | null;
    utilization: WorkerLoad | null;
    nodeTypes: RawNodeType[] | null;
  } = { eventsFile: null, pipeline: null, updates: null, nodeTimeline: null, usage: null, prices: null, utilization: null, nodeTypes: null };
  const notes: string[] = [];
  const addEvent = (row: EventRow) => {
    acc.add(row);
    if (acc.updateCount > limits.maxUpdates) throw limitExceeded('maxUpdates', `events have over ${limits.maxUpdates} distinct updates`);
  };
  const skip = (lineNo: number) => {
    stats.skipped++;
    if (stats.skippedLines.length < MAX_SKIPPED_LINES) stats.skippedLines.push(lineNo);
  };
  const parseJson = (text: string, file: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw badBundle(`${file} in ${path} is not valid JSON`, err);
    }
  };

  try {
    await container.walk(async (file, openStream, size) => {
      const isJsonl = file.endsWith('.jsonl');
      if (!isJsonl && size > limits.maxJsonBytes) throw tooBigJson(file, limits.maxJsonBytes);
      const text = () => openStream().then((s) => streamToString(s, file, limits.maxJsonBytes));
      switch (file) {
        case 'pipeline.json': {
          const parsed = GetPipelineSchema.safeParse(parseJson(await text(), file));
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            throw badBundle(`pipeline.json in ${path} is not a pipeline: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
          }
          got.pipeline = parsed.data;
          break;
        }
        case 'updates.json': {
          const body = parseJson(await text(), file);
          const list = Array.isArray(body) ? body : (body as { updates?: unknown } | null)?.updates;
          got.updates = [];
          let bad = 0;
          for (const u of Array.isArray(list) ? list : []) {
            const r = UpdateInfoSchema.safeParse(u);
            if (r.success) got.updates.push(r.data);
            else bad++;
          }
          if (bad > 0) notes.push(`skipped ${bad} malformed updates of updates.json`);
          break;
        }
        case 'events.jsonl': {
          if (got.eventsFile !== null) return;
          got.eventsFile = file;
          await forEachLine(
            await openStream(),
            (line, lineNo) => {
              if (line.length === 0 || (line.length < 8 && line.trim() === '')) return;
              if (!mayBeObject(line)) {
                skip(lineNo);
                return;
              }
              const v = tryParse(line);
              const row = v === UNPARSABLE || cannotBeEvent(v) ? null : parseEventRow(v);
              if (row === null) skip(lineNo);
              else addEvent(row);
            },
            { maxLineBytes: limits.maxLineBytes, file },
          );
          break;
        }
        case 'events.json': {
          if (got.eventsFile !== null) return;
          got.eventsFile = file;
          const body = parseJson(await text(), file);
          const list = Array.isArray(body) ? body : (body as { events?: unknown } | null)?.events;
          if (!Array.isArray(list)) throw badBundle(`events.json in ${path} does not hold an array of events`);
          list.forEach((v, i) => {
            const row = cannotBeEvent(v) ? null : parseEventRow(v);
            if (row === null) skip(i + 1);
            else addEvent(row);
          });
          break;
        }
        case 'node_timeline.jsonl': {
          const r = await readRows(await openStream(), NodeTimelineRowSchema, file, limits);
          got.nodeTimeline = r.rows;
          if (r.skipped) notes.push(`skipped ${r.skipped} malformed rows of node_timeline.jsonl`);
          break;
        }
        case 'usage.jsonl': {
          const r = await readRows(await openStream(), UsageRowSchema, file, limits);
          got.usage = r.rows;
          if (r.skipped) notes.push(`skipped ${r.skipped} malformed rows of usage.jsonl`);
          break;
        }
        case 'utilization.json': {
          // optional: the digest-utilization row over the cost period; a bad one is a note, never fatal
          let body: unknown = null;
          try {
            body = JSON.parse(await text());
          } catch {
            body = null;
          }
          got.utilization = parseWorkerLoad(body);
          if (got.utilization === null) notes.push('utilization.json is not a utilization row: ignored');
          break;
        }
        case 'node_types.json': {
          // optional: a malformed file is a note (suggested node types then go unchecked), never fatal
          let body: unknown;
          try {
            body = JSON.parse(await text());
          } catch {
            notes.push('node_types.json is not valid JSON: suggested node types are not checked against the workspace');
            break;
          }
          const list = Array.isArray(body) ? body : (body as { node_types?: unknown } | null)?.node_types;
          got.nodeTypes = [];
          let bad = 0;
          for (const n of Array.isArray(list) ? list : []) {
            const r = NodeTypeSchema.safeParse(n);
            if (r.success) got.nodeTypes.push(r.data);
            else bad++;
          }
          if (bad > 0) notes.push(`skipped ${bad} malformed node types of node_types.json`);
          break;
        }
        case 'list_prices.jsonl': {
          const r = await readRows(await openStream(), ListPriceRowSchema, file, limits);
          got.prices = r.rows;
          if (r.skipped) notes.push(`skipped ${r.skipped} malformed rows of list_prices.jsonl`);
          break;
        }
      }
    });
  } catch (err) {
    if (err instanceof DoctorError) throw err;
    throw badBundle(`cannot read bundle ${path}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, err);
  } finally {
    await container.close();
  }

  if (got.pipeline === null) throw badBundle(`no pipeline.json in ${path}`);
  if (got.eventsFile === null) throw badBundle(`no events.jsonl in ${path}`);
  stats.events = acc.count;
  if (stats.skipped > 0) {
    notes.unshift(`skipped ${stats.skipped} malformed ${got.eventsFile === 'events.json' ? 'entries' : 'lines'} of ${got.eventsFile} (first: ${lineList(stats.skippedLines, stats.skipped)})`);
  }
  if (acc.count === 0) throw new DoctorError('NO_EVENTS', stats.skipped > 0 ? `no events: all ${stats.skipped} lines of ${got.eventsFile} are malformed` : 'no events');

  const p: RawPipeline = got.pipeline;
  const updateId = acc.selectUpdateId(opts.updateId, got.updates);
  let cost: CostInfo | null = null;
  const usageRows: UsageRow[] | null = got.usage;
  if (usageRows !== null) {
    // a bundle is read offline: the cost period ends at the last usage record, not today
    let now = 0;
    for (const r of usageRows) if (r.usage_end_time > now) now = r.usage_end_time;
    cost = costFromRows(usageRows, got.prices ?? [], { pipelineId: p.pipeline_id, updateId, now });
    if (cost !== null && got.prices === null) notes.push('no list_prices.jsonl: dollar amounts are 0');
    if (cost !== null && got.utilization !== null) cost.periodLoad = got.utilization;
  }
  const evidence = buildEvidence({ pipeline: p, updates: got.updates, events: acc, nodeTimeline: got.nodeTimeline, cost, nodeTypes: got.nodeTypes, updateId, notes });
  return { evidence, stats };
}
