/**
 * Writes an evidence bundle folder (CONTRACT.md §1) from Databricks' own shapes, as
 * `dlt-doctor export` and the fixture script produce it. Rows are streamed to disk with backpressure.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { redactDeep } from '../redact.js';

export type Rows = Iterable<unknown> | AsyncIterable<unknown>;

export interface BundleParts {
  /** body of GET /api/2.0/pipelines/{id} */
  pipeline: unknown;
  /** body of GET …/updates (`{ updates: […] }`) or its `updates` array; null/undefined = no updates.json */
  updates?: unknown[] | { updates?: unknown } | null;
  /** event log rows as `SELECT * FROM event_log(…)` returns them */
  events: Rows;
  nodeTimeline?: Rows | null;
  usage?: Rows | null;
  listPrices?: Rows | null;
  /** the digest-utilization row of the pipeline over the cost period (utilization.json) */
  utilization?: Record<string, unknown> | null;
  /** `node_types[]` of GET /api/2.1/clusters/list-node-types; null/undefined = no node_types.json */
  nodeTypes?: unknown[] | null;
}

export interface WriteBundleStats {
  events: number;
  nodeTimeline: number;
  usage: number;
  listPrices: number;
}

/** JSON for rows from the SQL driver: Dates become ISO strings (JSON.stringify's default), bigints numbers or strings */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  return value;
}

async function writeJsonl(path: string, rows: Rows): Promise<number> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = once(out, 'error').then(([err]) => {
    throw err;
  });
  failed.catch(() => undefined);
  let n = 0;
  try {
    for await (const row of rows as AsyncIterable<unknown>) {
      n++;
      if (!out.write(`${JSON.stringify(redactDeep(row), replacer)}\n`)) await Promise.race([once(out, 'drain'), failed]);
    }
  } finally {
    out.end();
  }
  await Promise.race([once(out, 'finish'), failed]);
  return n;
}

export async function writeBundle(dir: string, parts: BundleParts): Promise<WriteBundleStats> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'pipeline.json'), `${JSON.stringify(redactDeep(parts.pipeline), replacer, 2)}\n`);
  if (parts.updates !== undefined && parts.updates !== null) {
    const body = Array.isArray(parts.updates) ? { updates: parts.updates } : parts.updates;
    await writeFile(join(dir, 'updates.json'), `${JSON.stringify(redactDeep(body), replacer, 2)}\n`);
  }
  if (parts.nodeTypes) await writeFile(join(dir, 'node_types.json'), `${JSON.stringify(redactDeep({ node_types: parts.nodeTypes }), replacer, 2)}\n`);
  const stats: WriteBundleStats = { events: 0, nodeTimeline: 0, usage: 0, listPrices: 0 };
  stats.events = await writeJsonl(join(dir, 'events.jsonl'), parts.events);
  if (parts.nodeTimeline) stats.nodeTimeline = await writeJsonl(join(dir, 'node_timeline.jsonl'), parts.nodeTimeline);
  if (parts.usage) stats.usage = await writeJsonl(join(dir, 'usage.jsonl'), parts.usage);
  if (parts.listPrices) stats.listPrices = await writeJsonl(join(dir, 'list_prices.jsonl'), parts.listPrices);
  if (parts.utilization) await writeFile(join(dir, 'utilization.json'), `${JSON.stringify(redactDeep(parts.utilization), replacer, 2)}\n`);
  return stats;
}
