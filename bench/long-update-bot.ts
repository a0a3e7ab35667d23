/**
 * The bot side of bench/long-update.ts: one `why-slow sensor_stream` against the warehouse process
 * (bench/long-update-server.ts), with a fixed latency injected before every statement as in
 * bench/live.ts. Prints one JSON line: wall ms, each statement's observed ms and rows, the rows
 * moved in all, this process's peak RSS, the verdict and the window.
 *   npx tsx bench/long-update-bot.ts <rest url> <sql url> <latency ms>
 */
import { runCommandArgv } from '../commands/index.js';
import { createWorkspaceSource } from '../src/databricks/collect.js';
import { createRestClient } from '../src/databricks/rest.js';
import type { Warehouse } from '../src/databricks/sql.js';
import { LONG_PIPELINE_NAME } from '../test/support/long-update.js';

const BENCH_NOW = Date.parse('2026-11-30T12:00:00.000Z');
const [restUrl, sqlUrl, latencyArg] = process.argv.slice(2);
const latency = Number(latencyArg ?? 300);

async function main(): Promise<void> {
  const statements: { name: string; ms: number; rows: number }[] = [];
  const warehouse: Warehouse = {
    query: (async (name: string, params: Record<string, unknown>, options?: object) => {
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, latency));
      const body = JSON.stringify({ name, params, options }, function (this: Record<string, unknown>, k: string, v: unknown) {
        const raw = this[k];
        return raw instanceof Date ? { $date: raw.getTime() } : v;
      });
      const res = await fetch(sqlUrl!, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      const rows = (await res.json()) as Record<string, unknown>[] | { error: string };
      if (!Array.isArray(rows)) throw new Error(rows.error);
      statements.push({ name, ms: performance.now() - t0, rows: rows.length });
      return rows;
    }) as Warehouse['query'],
    close: async () => undefined,
    stats: () => ({ statements: statements.length }),
  };
  const rest = createRestClient({ host: restUrl!, auth: { kind: 'pat', token: 'long-update-bench' }, cacheTtlMs: 0, rateLimit: false });
  const source = createWorkspaceSource({ rest, warehouse, kind: 'demo', host: 'dbc-demo.cloud.databricks.com', now: () => BENCH_NOW, collectCacheTtlMs: 0 });
  const t0 = performance.now();
  const reply = await runCommandArgv(['why-slow', LONG_PIPELINE_NAME], { source, surface: 'cli', now: () => new Date(BENCH_NOW) });
  const wallMs = performance.now() - t0;
  if (reply.kind !== 'diagnosis') throw new Error(`not a diagnosis: ${JSON.stringify(reply).slice(0, 300)}`);
  console.log(JSON.stringify({
    wallMs: Math.round(wallMs),
    statements: statements.map((s) => ({ ...s, ms: Math.round(s.ms) })),
    rows: statements.reduce((n, s) => n + s.rows, 0),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    verdict: reply.diagnosis.verdict.bottleneck,
    window: reply.diagnosis.window ?? null,
  }));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
