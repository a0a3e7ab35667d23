/**
 * Reads an evidence bundle (CONTRACT.md §1): a folder, a .zip or a .tar.gz of one (optionally with a
 * single top-level folder inside). Everything is streamed: events.jsonl goes line by line into an
 * EventAccumulator and is never held as one string.
 */
import { createReadStream } from 'node:fs';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import yauzl from 'yauzl';
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

export interface ReadBundleStats {
  events: number;
  skipped: number;
  /** line numbers (1-based) of the first 20 malformed lines of events.jsonl */
  skippedLines: number[];
}

const BUNDLE_FILES = ['pipeline.json', 'updates.json', 'events.jsonl', 'events.json', 'node_timeline.jsonl', 'usage.jsonl', 'list_prices.jsonl', 'utilization.json', 'node_types.json'] as const;
type BundleFile = (typeof BUNDLE_FILES)[number];
const MAX_SKIPPED_LINES = 20;
const READ_CHUNK = 1 << 20;

/** U+FEFF: a UTF-8 byte-order mark some editors and Windows tools write at the start of a text file */
const BOM = 0xfeff;

/**
 * Calls `onLine` for each line of `input` (readline over the stream; `\r\n` tolerated, and a UTF-8
 * byte-order mark at the start of the first line dropped). Exported so the benchmark measures its
 * baseline with the very same reader.
 */
export async function forEachLine(input: Readable, onLine: (line: string, lineNo: number) => void): Promise<void> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  let failure: unknown = null;
  rl.on('line', (line) => {
    n++;
    if (failure !== null) return;
    try {
      onLine(n === 1 && line.charCodeAt(0) === BOM ? line.slice(1) : line, n);
    } catch (err) {
      failure = err;
      rl.close();
      input.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    input.once('error', reject);
    rl.once('close', resolve);
  });
  if (failure !== null) throw failure;
}

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

/** A bundle's entries, whatever holds them: `visit` is called once per known file with a fresh stream. */
type Visit = (file: BundleFile, open: () => Promise<Readable>) => Promise<void>;

/** `name` inside the bundle (optionally under one top-level folder) → the bundle file it is */
function bundleFileOf(entryName: string): { file: BundleFile; depth: number } | null {
  const parts = entryName.replace(/^\.\//, '').split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.length > 2 || parts[0] === '__MACOSX') return null;
  const base = parts[parts.length - 1]!;
  return (BUNDLE_FILES as readonly string[]).includes(base) ? { file: base as BundleFile, depth: parts.length } : null;
}

async function visitFolder(dir: string, visit: Visit): Promise<void> {
  let root = dir;
  const names = await readdir(dir);
  if (!names.includes('pipeline.json')) {
    const sub = names.filter((n) => !n.startsWith('.') && n !== '__MACOSX');
    if (sub.length === 1 && (await stat(join(dir, sub[0]!))).isDirectory()) root = join(dir, sub[0]!);
  }
  const present = new Set(root === dir ? names : await readdir(root));
  for (const f of BUNDLE_FILES) {
    if (present.has(f)) await visit(f, async () => createReadStream(join(root, f), { highWaterMark: READ_CHUNK }));
  }
}

async function visitZip(path: string, visit: Visit): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  try {
    const found = new Map<BundleFile, { entry: yauzl.Entry; depth: number }>();
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        const m = bundleFileOf(entry.fileName);
        if (m && !entry.fileName.endsWith('/')) {
          const prev = found.get(m.file);
          if (!prev || m.depth < prev.depth) found.set(m.file, { entry, depth: m.depth });
        }
        zip.readEntry();
      });
      zip.once('end', resolve);
      zip.once('error', reject);
      zip.readEntry();
    });
    for (const f of BUNDLE_FILES) {
      const hit = found.get(f);
      if (hit) await visit(f, () => zip.openReadStreamPromise(hit.entry));
    }
  } finally {
    zip.close();
  }
}

async function visitTarGz(path: string, visit: Visit): Promise<void> {
  const extract = tar.extract();
  const source = createReadStream(path, { highWaterMark: READ_CHUNK });
  const gunzip = createGunzip();
  const failed = new Promise<never>((_, reject) => {
    source.once('error', reject);
    gunzip.once('error', reject);
  });
  failed.catch(() => undefined);
  source.pipe(gunzip).pipe(extract);
  const seen = new Set<BundleFile>();
  const run = async () => {
    for await (const entry of extract) {
      const m = entry.header.type === 'file' ? bundleFileOf(entry.header.name) : null;
      if (m && !seen.has(m.file)) {
        seen.add(m.file);
        // entries are streamx streams: wrap for readline, and drain whatever a visitor leaves
        let done = false;
        const finished = new Promise<void>((resolve) => {
          const end = () => {
            done = true;
            resolve();
          };
          entry.once('end', end);
          entry.once('close', end);
        });
        await visit(m.file, async () => Readable.from(entry));
        if (!done) {
          entry.resume();
          await finished;
        }
      } else {
        entry.resume();
      }
    }
  };
  try {
    await Promise.race([run(), failed]);
  } finally {
    source.destroy();
  }
}

async function sniff(path: string): Promise<'zip' | 'targz' | null> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(4);
    await fh.read(buf, 0, 4, 0);
    if (buf[0] === 0x50 && buf[1] === 0x4b) return 'zip';
    if (buf[0] === 0x1f && buf[1] === 0x8b) return 'targz';
    return null;
  } finally {
    await fh.close();
  }
}

async function streamToString(s: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  const text = Buffer.concat(chunks).toString('utf8');
  return text.charCodeAt(0) === BOM ? text.slice(1) : text;
}

interface RowsResult<T> {
  rows: T[];
  skipped: number;
}

async function readRows<S extends z.ZodType>(s: Readable, schema: S): Promise<RowsResult<z.infer<S>>> {
  const rows: z.infer<S>[] = [];
  let skipped = 0;
  await forEachLine(s, (line) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      skipped++;
      return;
    }
    const r = schema.safeParse(v);
    if (r.success) rows.push(r.data);
    else skipped++;
  });
  return { rows, skipped };
}

function lineList(lines: number[], total: number): string {
  const shown = lines.slice(0, 5).join(', ');
  return total > 5 ? `${shown}, …` : shown;
}

export async function readBundle(
  path: string,
  opts: { updateId?: string } = {},
): Promise<{ evidence: Evidence; stats: ReadBundleStats }> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw badBundle(`cannot read bundle ${path}`, err);
  }
  let walk: (visit: Visit) => Promise<void>;
  if (info.isDirectory()) walk = (v) => visitFolder(path, v);
  else {
    const kind = await sniff(path);
    if (kind === 'zip') walk = (v) => visitZip(path, v);
    else if (kind === 'targz') walk = (v) => visitTarGz(path, v);
    else throw badBundle(`${path} is not a folder, a .zip or a .tar.gz`);
  }

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
    await walk(async (file, openStream) => {
      switch (file) {
        case 'pipeline.json': {
          const parsed = GetPipelineSchema.safeParse(parseJson(await streamToString(await openStream()), file));
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            throw badBundle(`pipeline.json in ${path} is not a pipeline: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
          }
          got.pipeline = parsed.data;
          break;
        }
        case 'updates.json': {
          const body = parseJson(await streamToString(await openStream()), file);
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
          await forEachLine(await openStream(), (line, lineNo) => {
            if (line.length === 0 || (line.length < 8 && line.trim() === '')) return;
            let v: unknown;
            try {
              v = JSON.parse(line);
            } catch {
              skip(lineNo);
              return;
            }
            const row = parseEventRow(v);
            if (row === null) skip(lineNo);
            else acc.add(row);
          });
          break;
        }
        case 'events.json': {
          if (got.eventsFile !== null) return;
          got.eventsFile = file;
          const body = parseJson(await streamToString(await openStream()), file);
          const list = Array.isArray(body) ? body : (body as { events?: unknown } | null)?.events;
          if (!Array.isArray(list)) throw badBundle(`events.json in ${path} does not hold an array of events`);
          list.forEach((v, i) => {
            const row = parseEventRow(v);
            if (row === null) skip(i + 1);
            else acc.add(row);
          });
          break;
        }
        case 'node_timeline.jsonl': {
          const r = await readRows(await openStream(), NodeTimelineRowSchema);
          got.nodeTimeline = r.rows;
          if (r.skipped) notes.push(`skipped ${r.skipped} malformed rows of node_timeline.jsonl`);
          break;
        }
        case 'usage.jsonl': {
          const r = await readRows(await openStream(), UsageRowSchema);
          got.usage = r.rows;
          if (r.skipped) notes.push(`skipped ${r.skipped} malformed rows of usage.jsonl`);
          break;
        }
        case 'utilization.json': {
          // optional: the digest-utilization row over the cost period; a bad one is a note, never fatal
          let body: unknown = null;
          try {
            body = JSON.parse(await streamToString(await openStream()));
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
            body = JSON.parse(await streamToString(await openStream()));
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
          const r = await readRows(await openStream(), ListPriceRowSchema);
          got.prices = r.rows;
          if (r.skipped) notes.push(`skipped ${r.skipped} malformed rows of list_prices.jsonl`);
          break;
        }
      }
    });
  } catch (err) {
    if (err instanceof DoctorError) throw err;
    throw badBundle(`cannot read bundle ${path}: ${err instanceof Error ? err.message : String(err)}`, err);
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
