/**
 * The files of an evidence bundle (CONTRACT.md §1) other than its events, read and validated the
 * same way for both readers (read.ts, offline.ts): pipeline.json, updates.json, the optional
 * node_timeline / usage / list_prices rows, utilization.json and node_types.json. The events file
 * (events.jsonl, or events.json) is handed to the caller, which reads it its own way. What a
 * bundle may cost is capped (src/bundle/limits.ts): the containers (src/bundle/containers.ts)
 * enforce regular files, the entry count and the decompressed-byte budget; this file the size of
 * whole-JSON files and the rows of the other .jsonl files. Every breach is BAD_BUNDLE.
 */
import type { z } from 'zod';
import {
  GetPipelineSchema,
  ListPriceRowSchema,
  NodeTimelineRowSchema,
  NodeTypeSchema,
  UpdateInfoSchema,
  UsageRowSchema,
  type ListPriceRow,
  type NodeTimelineRow,
  type RawNodeType,
  type RawPipeline,
  type RawUpdate,
  type UsageRow,
} from '../databricks/schemas.js';
import { parseWorkerLoad } from '../digest/utilization.js';
import { DoctorError, badBundle } from '../errors.js';
import { openContainer, type BundleFile } from './containers.js';
import { mayBeObject, tryParse, UNPARSABLE } from './event-rows.js';
import { forEachLine } from './line-splitter.js';
import { formatBytes, limitExceeded, type BundleLimits } from './limits.js';

/** U+FEFF: a UTF-8 byte-order mark some editors and Windows tools write at the start of a text file */
const BOM = 0xfeff;

export interface BundleFiles {
  eventsFile: 'events.jsonl' | 'events.json' | null;
  pipeline: RawPipeline | null;
  /** pipeline.json's spec as written (what a PUT would round-trip) */
  rawSpec: Record<string, unknown> | null;
  updates: RawUpdate[] | null;
  nodeTimeline: NodeTimelineRow[] | null;
  usage: UsageRow[] | null;
  prices: ListPriceRow[] | null;
  /** the digest-utilization row an export recorded (checked with parseWorkerLoad) */
  utilization: Record<string, unknown> | null;
  nodeTypes: RawNodeType[] | null;
  /** notes on what was skipped */
  notes: string[];
}

/** the bundle's events file: its decompressed bytes, its declared size, and the file itself when it is one on disk */
export type OnEvents = (file: 'events.jsonl' | 'events.json', open: () => Promise<AsyncIterable<Buffer>>, size: number, localPath?: string) => Promise<void>;

/** Walks the bundle at `path`; the first events file goes to `onEvents`. Missing pipeline.json or events: BAD_BUNDLE. */
export async function readBundleFiles(path: string, limits: BundleLimits, onEvents: OnEvents): Promise<BundleFiles & { pipeline: RawPipeline; eventsFile: 'events.jsonl' | 'events.json' }> {
  const container = await openContainer(path, limits);
  const got: BundleFiles = { eventsFile: null, pipeline: null, rawSpec: null, updates: null, nodeTimeline: null, usage: null, prices: null, utilization: null, nodeTypes: null, notes: [] };
  const notes = got.notes;
  const parseJson = (text: string, file: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw badBundle(`${file} in ${path} is not valid JSON`, err);
    }
  };
  try {
    await container.walk(async (file, openStream, size, localPath) => {
      const isJsonl = file.endsWith('.jsonl');
      if (!isJsonl && size > limits.maxJsonBytes) throw tooBigJson(file, limits.maxJsonBytes);
      const text = () => openStream().then((s) => streamToString(s, file, limits.maxJsonBytes));
      switch (file) {
        case 'pipeline.json': {
          const body = parseJson(await text(), file);
          const parsed = GetPipelineSchema.safeParse(body);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            throw badBundle(`pipeline.json in ${path} is not a pipeline: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
          }
          got.pipeline = parsed.data;
          const spec = (body as { spec?: unknown }).spec;
          got.rawSpec = spec && typeof spec === 'object' && !Array.isArray(spec) ? (spec as Record<string, unknown>) : null;
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
        case 'events.jsonl':
        case 'events.json': {
          if (got.eventsFile !== null) return;
          got.eventsFile = file;
          await onEvents(file, openStream, size, localPath);
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
          if (parseWorkerLoad(body) === null) notes.push('utilization.json is not a utilization row: ignored');
          else got.utilization = body as Record<string, unknown>;
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
  return { ...got, pipeline: got.pipeline, eventsFile: got.eventsFile };
}

/** A whole-JSON file as text, refused once it passes `max` bytes (never buffered beyond that). */
export async function streamToString(s: AsyncIterable<Buffer>, file: BundleFile, max: number): Promise<string> {
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

export const tooBigJson = (file: BundleFile, max: number) => limitExceeded('maxJsonBytes', `${file} is over ${formatBytes(max)}`);

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

export function lineList(lines: number[], total: number): string {
  const shown = lines.slice(0, 5).join(', ');
  return total > 5 ? `${shown}, …` : shown;
}


/** events.json: a JSON array of events, or an object holding one as `events` (BAD_BUNDLE otherwise) */
export async function readEventsJson(s: AsyncIterable<Buffer>, path: string, limits: BundleLimits): Promise<unknown[]> {
  let body: unknown;
  try {
    body = JSON.parse(await streamToString(s, 'events.json', limits.maxJsonBytes));
  } catch (err) {
    if (err instanceof DoctorError) throw err;
    throw badBundle(`events.json in ${path} is not valid JSON`, err);
  }
  const list = Array.isArray(body) ? body : (body as { events?: unknown } | null)?.events;
  if (!Array.isArray(list)) throw badBundle(`events.json in ${path} does not hold an array of events`);
  return list;
}
