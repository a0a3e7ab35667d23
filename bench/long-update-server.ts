/**
 * The warehouse side of bench/long-update.ts, in its own process as a real SQL warehouse is: the
 * demo DuckDB warehouse holding one long continuous update (test/support/long-update.ts), loaded in
 * chunks, and the demo REST server. Statements arrive over HTTP (POST /query {name, params},
 * dates as {"$date": ms}) and rows go back as JSON, so the bot process holds only what it is sent.
 *   npx tsx bench/long-update-server.ts --flows 50 --days 7 --every 15
 * Prints one JSON line {rest, sql, events, loadMs} when ready; runs until killed.
 */
import { createServer } from 'node:http';
import type { QueryName, SqlParams } from '../src/databricks/sql.js';
import { startDemoRestServer } from '../src/demo/rest-server.js';
import { createDuckDbWarehouse } from '../src/demo/warehouse.js';
import { longUpdateWorkspace } from '../test/support/long-update.js';

export const BENCH_NOW = Date.parse('2026-11-30T12:00:00.000Z');
export const BENCH_TOKEN = 'long-update-bench';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} needs a positive number`);
  return v;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const lu = longUpdateWorkspace({ now: BENCH_NOW, flows: arg('--flows', 50), days: arg('--days', 7), everyS: arg('--every', 15), behindMin: 180 });
  const data = {
    now: BENCH_NOW, workspaceId: '1234567890123456', host: 'demo.cloud.databricks.com',
    pipelines: [{ pipeline: lu.pipeline, updates: lu.updates, events: [], nodeTimeline: [], usage: [] }],
    listPrices: [], nodeTypes: [],
  };
  const wh = await createDuckDbWarehouse(data);
  let events = 0;
  for (const c of lu.chunks(100_000)) {
    events += c.length;
    await wh.appendEvents(c);
  }
  for (const c of lu.nodeChunks(100_000)) await wh.appendNodeTimeline(c);
  const rest = await startDemoRestServer(data as never, { token: BENCH_TOKEN, now: () => BENCH_NOW });
  const sql = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const q = JSON.parse(body, (_k, v: unknown) => (v && typeof v === 'object' && '$date' in v ? new Date(Number((v as { $date: number }).$date)) : v)) as { name: QueryName; params: SqlParams; options?: object };
      wh.query(q.name, q.params, q.options as never).then(
        (rows) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
        },
      );
    });
  });
  await new Promise<void>((r) => sql.listen(0, '127.0.0.1', () => r()));
  const port = (sql.address() as { port: number }).port;
  console.log(JSON.stringify({ rest: rest.url, sql: `http://127.0.0.1:${port}/query`, events, loadMs: Math.round(performance.now() - t0) }));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
