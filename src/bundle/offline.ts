/**
 * An evidence bundle (CONTRACT.md §1) read as an offline workspace (issue 16 item 2): its
 * events.jsonl is loaded into an embedded DuckDB with one read_json pass (offline-events.ts; from an
 * archive it is streamed to a temporary file first, a line over maxLineBytes refused on the way),
 * its other .jsonl files become the system tables they were exported from, pipeline.json /
 * updates.json / node_types.json are served as the REST API (offline-rest.ts), and the SAME
 * collector and statements as a live diagnosis (src/databricks/collect.ts) build the evidence.
 * A bundle exported without a warehouse holds REST's events (no details): they are served as
 * `GET …/events` and diagnosed as a workspace without a warehouse is.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { createWorkspaceSource } from '../databricks/collect.js';
import { EventRowSchema, type EventRow, type RawPipeline } from '../databricks/schemas.js';
import type { Evidence } from '../diagnosis/evidence.js';
import { createDuckDbWarehouse, plain } from '../demo/warehouse.js';
import { DoctorError, badBundle } from '../errors.js';
import { openRegular } from './containers.js';
import { cannotBeEvent, MAX_SKIPPED_LINES, mayBeObject, parseEventRow, tryParse, UNPARSABLE } from './event-rows.js';
import { lineList, readBundleFiles, readEventsJson } from './files.js';
import { forEachLine } from './line-splitter.js';
import { limitExceeded, lineTooLong, resolveLimits, type BundleLimits } from './limits.js';
import { loadEvents, type LoadedEvents } from './offline-events.js';
import { createOfflineRest } from './offline-rest.js';
import type { ReadBundleOptions, ReadBundleStats } from './read.js';

export async function readBundleOffline(path: string, opts: ReadBundleOptions = {}): Promise<{ evidence: Evidence; stats: ReadBundleStats }> {
  const limits = resolveLimits(opts.limits);
  const tmp = mkdtempSync(join(tmpdir(), 'dlt-doctor-bundle-'));
  const stats: ReadBundleStats = { events: 0, skipped: 0, skippedLines: [] };
  const ev: { path: string | null; inPlace: boolean; bytes: number } = { path: null, inPlace: false, bytes: 0 };
  try {
    const got = await readBundleFiles(path, limits, async (file, openStream, size, localPath) => {
      if (file === 'events.jsonl') {
        ev.bytes = size;
        if (localPath !== undefined && !(await startsWithBom(localPath))) {
          await checkLines(await openStream(), limits.maxLineBytes);
          ev.path = localPath;
          ev.inPlace = true;
        } else {
          ev.path = join(tmp, 'events.jsonl');
          await copyWithoutBom(await openStream(), ev.path, limits.maxLineBytes);
        }
        return;
      }
      const list = await readEventsJson(await openStream(), path, limits);
      // one entry a line: DuckDB reads them as events.jsonl, and an entry's place is its line
      ev.path = join(tmp, 'events.jsonl');
      ev.bytes = await writeLines(ev.path, list);
    });
    const notes = [...got.notes];
    if (ev.path === null) throw badBundle(`no events.jsonl in ${path}`);
    const p: RawPipeline = got.pipeline;
    const eventsFile = got.eventsFile;
    const eventsPath = ev.path;

    // the folder's own events.jsonl is checked again just before DuckDB opens it: a FIFO swapped
    // in would block the read (DuckDB reads /proc/self/fd/N single-threaded, so the path is given)
    const held = ev.inPlace ? await openRegular(eventsPath, eventsFile) : null;
    let loaded: LoadedEvents | null = null;
    /** a bundle exported without a warehouse holds REST's events (no details): they are read as REST lists them */
    let restEvents: EventRow[] | null = null;
    const warehouse = await (async () => {
      try {
        return await createDuckDbWarehouse(
          { pipelines: [{ pipeline: p, events: [], nodeTimeline: got.nodeTimeline ?? [], usage: got.usage ?? [] }], listPrices: got.prices ?? [] },
          {
            revokeUpdateTimeline: false,
            // past 64 MiB of events the tables live in a temporary database file, so their pages can leave memory
            ...(ev.bytes > 64 * 1024 * 1024 ? { database: join(tmp, 'bundle.duckdb'), memoryLimit: BIG_BUNDLE_MEMORY } : { threads: 1 }),
            createEventRows: async (conn) => {
              loaded = await loadEvents(conn, {
                file: eventsPath,
                pipelineId: p.pipeline_id,
                maxLineBytes: limits.maxLineBytes,
                recheck: (places) => recheckLines(eventsPath, places, limits),
                recheckFile: join(tmp, 'recheck.jsonl'),
              });
              if (loaded.events > 0 && loaded.detailed === 0) restEvents = await newestEvents(conn);
            },
            recorded: {
              // what the export recorded, not weeks of node metrics the bundle does not hold
              'digest-utilization': got.utilization ? [{ ...got.utilization, pipeline_id: got.utilization.pipeline_id ?? p.pipeline_id }] : [],
              ...(got.usage === null ? { 'pipeline-cost': [], 'update-cost': [] } : {}),
            },
            refused: got.nodeTimeline === null ? { 'node-timeline-buckets': 'the bundle has no node_timeline.jsonl' } : {},
          },
        );
      } catch (err) {
        if (err instanceof DoctorError) throw err;
        // read_json stops at a line over maximum_object_size (the maxLineBytes limit)
        if (/maximum_object_size/.test(duckMessage(err))) throw lineTooLong(eventsFile, limits.maxLineBytes);
        throw badBundle(`cannot read ${eventsFile} in ${path}: ${duckMessage(err)}`, err);
      } finally {
        await held?.fh.close();
      }
    })();
    try {
      const l = loaded as LoadedEvents | null;
      if (l === null) throw badBundle(`cannot read ${eventsFile} in ${path}`);
      if (l.updates > limits.maxUpdates) throw limitExceeded('maxUpdates', `events have over ${limits.maxUpdates} distinct updates`);
      stats.events = l.events;
      stats.skipped = l.malformed.count;
      if (l.malformed.count > 0) {
        stats.skippedLines = l.malformed.first;
        notes.unshift(`skipped ${stats.skipped} malformed ${eventsFile === 'events.json' ? 'entries' : 'lines'} of ${eventsFile} (first: ${lineList(stats.skippedLines, stats.skipped)})`);
      }
      if (l.events === 0) throw new DoctorError('NO_EVENTS', stats.skipped > 0 ? `no events: all ${stats.skipped} lines of ${eventsFile} are malformed` : 'no events');
      if (got.usage !== null && got.prices === null) notes.push('no list_prices.jsonl: dollar amounts are 0');
      // a bundle is read offline: "now" is the newest thing it holds, not today
      let now = l.newestMs ?? 0;
      for (const r of got.usage ?? []) if (r.usage_end_time > now) now = r.usage_end_time;
      const rest = restEvents as EventRow[] | null;
      const source = createWorkspaceSource({
        rest: createOfflineRest({ pipeline: p, rawSpec: got.rawSpec, updates: got.updates, nodeTypes: got.nodeTypes, ...(rest ? { events: rest } : {}) }),
        // REST's events alone: diagnosed as a workspace without a warehouse is
        warehouse: rest ? null : warehouse,
        kind: 'demo',
        host: 'bundle',
        now: () => now,
        collectCacheTtlMs: 0,
        offline: true,
      });
      const evidence = await source.collect(p.pipeline_id, {
        ...(opts.updateId !== undefined ? { updateId: opts.updateId } : {}),
        ...(opts.windowMinutes !== undefined ? { windowMinutes: opts.windowMinutes } : {}),
      });
      evidence.notes.unshift(...notes);
      return { evidence, stats };
    } finally {
      await warehouse.close();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** as many events as `GET …/events` gives a REST-only diagnosis (src/databricks/rest.ts maxEvents) */
const REST_EVENTS = 1000;

/** the newest events, as REST lists them (newest first), from the loaded event log */
async function newestEvents(conn: DuckDBConnection): Promise<EventRow[]> {
  const rows = (await conn.runAndReadAll(`SELECT * FROM event_log_rows ORDER BY timestamp DESC, id DESC LIMIT ${REST_EVENTS}`)).getRowObjectsJS();
  const out: EventRow[] = [];
  for (const r of rows) {
    const parsed = EventRowSchema.safeParse(plain(r));
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** DuckDB's memory for a big bundle's tables: 160 MB ran out of memory on the 1M-event bench bundle */
const BIG_BUNDLE_MEMORY = '400MB';

/** the first line of a DuckDB error, without its "Possible solutions" advice */
function duckMessage(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
}

async function startsWithBom(file: string): Promise<boolean> {
  const { fh } = await openRegular(file, file);
  try {
    const b = Buffer.alloc(3);
    const { bytesRead } = await fh.read(b, 0, 3, 0);
    return bytesRead === 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  } finally {
    await fh.close();
  }
}

/** the chunks of `from`, without a UTF-8 byte-order mark at the start; a line over `max` bytes throws the limit */
async function* guarded(from: AsyncIterable<Buffer>, max: number): AsyncGenerator<Buffer> {
  let first = true;
  let line = 0;
  for await (const chunk of from) {
    let c = chunk;
    if (first) {
      first = false;
      if (c.length >= 3 && c[0] === 0xef && c[1] === 0xbb && c[2] === 0xbf) c = c.subarray(3);
    }
    let at = 0;
    for (let nl = c.indexOf(0x0a, at); nl !== -1; nl = c.indexOf(0x0a, at)) {
      if (line + nl - at > max) throw lineTooLong('events.jsonl', max);
      line = 0;
      at = nl + 1;
    }
    line += c.length - at;
    if (line > max) throw lineTooLong('events.jsonl', max);
    yield c;
  }
}

/** the stream to `to`, guarded (an archive's one 900 MiB line is refused before it is all on disk) */
async function copyWithoutBom(from: AsyncIterable<Buffer>, to: string, maxLineBytes: number): Promise<void> {
  await pipeline(Readable.from(guarded(from, maxLineBytes)), createWriteStream(to));
}

/**
 * A folder's events.jsonl is read in place, and read_json's buffer takes lines well past
 * maximum_object_size: the line lengths are checked first (a newline scan, no parse).
 */
async function checkLines(from: AsyncIterable<Buffer>, maxLineBytes: number): Promise<void> {
  for await (const _ of guarded(from, maxLineBytes)) {
    // the guard throws; nothing else to do with the bytes
  }
}

/** each entry of events.json as one line of JSON (its bytes) */
async function writeLines(to: string, list: unknown[]): Promise<number> {
  const out = createWriteStream(to);
  let bytes = 0;
  for (const v of list) {
    // an entry that is not an object stays on its line, so DuckDB counts it malformed in its place
    const line = `${v !== null && typeof v === 'object' && !Array.isArray(v) ? JSON.stringify(v) : '[]'}\n`;
    bytes += line.length;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return bytes;
}

/**
 * The lines at `places` (0-based among the non-blank lines, as read_json counts them) judged one by
 * one as the contract reads an event; also refuses a line over maxLineBytes, as reading it would.
 */
async function recheckLines(file: string, places: number[], limits: BundleLimits) {
  // places are sorted: walk them with the lines
  let next = 0;
  const events: { line: string; lineNo: number }[] = [];
  const malformedLines: number[] = [];
  let malformedCount = 0;
  let place = -1;
  let seen = 0;
  const { fh } = await openRegular(file, 'events.jsonl');
  try {
    await forEachLine(
      fh.createReadStream({ highWaterMark: 1 << 20, autoClose: false }),
      (line, lineNo) => {
        if (line.trim() === '') return;
        place++;
        if (places[next] !== place) return;
        next++;
        seen++;
        const v = mayBeObject(line) ? tryParse(line) : UNPARSABLE;
        if (v !== UNPARSABLE && !cannotBeEvent(v) && parseEventRow(v) !== null) events.push({ line, lineNo });
        else {
          malformedCount++;
          if (malformedLines.length < MAX_SKIPPED_LINES) malformedLines.push(lineNo);
        }
      },
      { maxLineBytes: limits.maxLineBytes, file: 'events.jsonl' },
    );
  } finally {
    await fh.close();
  }
  // rows read_json made of text this reader does not count as a line (a lone CR ends a line here)
  malformedCount += places.length - seen;
  return { events, malformedLines, malformedCount };
}
