/**
 * Reads an evidence bundle (CONTRACT.md §1): a folder, a .zip or a .tar.gz of one (optionally with a
 * single top-level folder inside). The bundle's other files are read by files.ts; here events.jsonl
 * is streamed line by line into an EventAccumulator and never held as one string; the line length
 * and the distinct updates are capped (src/bundle/limits.ts; a breach is BAD_BUNDLE).
 *
 * `engine: 'warehouse'` (or DLT_DOCTOR_BUNDLE_ENGINE=warehouse) reads it instead as an offline
 * workspace: the embedded DuckDB and the live collector's statements (offline.ts, issue 16 item 2).
 * It is not the default yet: on a 2-core machine it is slower and larger than this reader on the
 * 1M-event bench bundle (BENCHMARKS.md).
 */
import type { CostInfo, Evidence } from '../diagnosis/evidence.js';
import { EventAccumulator, buildEvidence, costFromRows } from '../diagnosis/build-evidence/index.js';
import { parseWorkerLoad } from '../digest/utilization.js';
import type { EventRow, UsageRow } from '../databricks/schemas.js';
import { DoctorError } from '../errors.js';
import { cannotBeEvent, MAX_SKIPPED_LINES, mayBeObject, parseEventRow, tryParse, UNPARSABLE } from './event-rows.js';
import { lineList, readBundleFiles, readEventsJson } from './files.js';
import { forEachLine } from './line-splitter.js';
import { limitExceeded, resolveLimits, type BundleLimits } from './limits.js';
import { readBundleOffline } from './offline.js';

export { forEachLine } from './line-splitter.js';
export { DEFAULT_BUNDLE_LIMITS, type BundleLimits } from './limits.js';
export { parseEventRow } from './event-rows.js';

export interface ReadBundleStats {
  events: number;
  skipped: number;
  /** line numbers (1-based) of the first 20 malformed lines of events.jsonl */
  skippedLines: number[];
}

export { MAX_SKIPPED_LINES } from './event-rows.js';

export interface ReadBundleOptions {
  updateId?: string;
  /** as `--window` (the offline workspace; this reader reads the whole update) */
  windowMinutes?: number;
  /** overrides of DEFAULT_BUNDLE_LIMITS (the CLI fills them from DLT_DOCTOR_BUNDLE_*) */
  limits?: Partial<BundleLimits>;
  /** 'js' (default) or 'warehouse': the offline workspace (offline.ts); default from DLT_DOCTOR_BUNDLE_ENGINE */
  engine?: 'js' | 'warehouse';
}

export async function readBundle(path: string, opts: ReadBundleOptions = {}): Promise<{ evidence: Evidence; stats: ReadBundleStats }> {
  const engine = opts.engine ?? (process.env.DLT_DOCTOR_BUNDLE_ENGINE === 'warehouse' ? 'warehouse' : 'js');
  if (engine === 'warehouse') return readBundleOffline(path, opts);
  const limits = resolveLimits(opts.limits);
  const acc = new EventAccumulator();
  const stats: ReadBundleStats = { events: 0, skipped: 0, skippedLines: [] };
  const addEvent = (row: EventRow) => {
    acc.add(row);
    if (acc.updateCount > limits.maxUpdates) throw limitExceeded('maxUpdates', `events have over ${limits.maxUpdates} distinct updates`);
  };
  const skip = (lineNo: number) => {
    stats.skipped++;
    if (stats.skippedLines.length < MAX_SKIPPED_LINES) stats.skippedLines.push(lineNo);
  };
  const got = await readBundleFiles(path, limits, async (file, openStream) => {
    if (file === 'events.jsonl') {
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
      return;
    }
    const list = await readEventsJson(await openStream(), path, limits);
    list.forEach((v, i) => {
      const row = cannotBeEvent(v) ? null : parseEventRow(v);
      if (row === null) skip(i + 1);
      else addEvent(row);
    });
  });

  const notes = [...got.notes];
  stats.events = acc.count;
  if (stats.skipped > 0) {
    notes.unshift(`skipped ${stats.skipped} malformed ${got.eventsFile === 'events.json' ? 'entries' : 'lines'} of ${got.eventsFile} (first: ${lineList(stats.skippedLines, stats.skipped)})`);
  }
  if (acc.count === 0) throw new DoctorError('NO_EVENTS', stats.skipped > 0 ? `no events: all ${stats.skipped} lines of ${got.eventsFile} are malformed` : 'no events');

  const p = got.pipeline;
  const updateId = acc.selectUpdateId(opts.updateId, got.updates);
  let cost: CostInfo | null = null;
  const usageRows: UsageRow[] | null = got.usage;
  if (usageRows !== null) {
    // a bundle is read offline: the cost period ends at the last usage record, not today
    let now = 0;
    for (const r of usageRows) if (r.usage_end_time > now) now = r.usage_end_time;
    cost = costFromRows(usageRows, got.prices ?? [], { pipelineId: p.pipeline_id, updateId, now });
    if (cost !== null && got.prices === null) notes.push('no list_prices.jsonl: dollar amounts are 0');
    const load = got.utilization ? parseWorkerLoad(got.utilization) : null;
    if (cost !== null && load !== null) cost.periodLoad = load;
  }
  const evidence = buildEvidence({ pipeline: p, updates: got.updates, events: acc, nodeTimeline: got.nodeTimeline, cost, nodeTypes: got.nodeTypes, updateId, notes });
  return { evidence, stats };
}
