/**
 * Live-workspace benchmark: `npx tsx bench/live.ts [--latency MS] [--runs N] [--concurrency C]`.
 *
 * Runs on the demo workspace (generated data behind the demo REST server and DuckDB), with a fixed
 * latency injected before every warehouse statement, as a Databricks SQL warehouse has:
 *   (a) wall time of one `why-slow <pipeline>` (fresh REST client and source, so nothing is cached)
 *       ÷ its slowest statement as observed (L plus the demo DuckDB's own time, queueing included).
 *       collect runs its independent statements in one parallel round when REST names the update,
 *       so the target is ≤ 1.3 (two rounds would be ≥ 2). Wall ÷ L is printed too: since issue 16
 *       a diagnosis sends 11 summary statements at once, and on this 2-core machine DuckDB's time
 *       running them (up to ~250 ms) adds to L where a Databricks warehouse runs them concurrently.
 *   (b) C (default 20) concurrent `why-slow` of one pipeline: REST requests (rest client stats())
 *       and SQL statements (warehouse stats()) must equal those of ONE why-slow.
 * Prints both figures; exits 1 when a target is missed.
 */
import { runCommandArgv } from '../commands/index.js';
import type { Reply } from '../commands/types.js';
import { createWorkspaceSource } from '../src/databricks/collect.js';
import { createRestClient } from '../src/databricks/rest.js';
import type { Warehouse } from '../src/databricks/sql.js';
import { generateDemoWorkspace } from '../src/demo/generate.js';
import { startDemoRestServer } from '../src/demo/rest-server.js';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '../src/demo/warehouse.js';

const TARGET_RATIO = 1.3;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} needs a positive number`);
  return v;
}

const LATENCY_MS = arg('--latency', 300);
const RUNS = arg('--runs', 5);
const CONCURRENCY = arg('--concurrency', 20);
const TOKEN = 'bench-live-token';
const SCENARIOS = ['cpu-saturation', 'memory', 'io', 'serverless-healthy'];

/** the DuckDB warehouse behind a fixed per-statement latency, counting statements */
function withLatency(duck: DuckDbWarehouse, ms: number): Warehouse & { slowestMs: () => number } {
  let statements = 0;
  let slowest = 0;
  return {
    async query(name, params, options) {
      statements++;
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, ms));
      const rows = await duck.query(name, params, options);
      slowest = Math.max(slowest, performance.now() - t0);
      return rows as never;
    },
    close: async () => undefined,
    stats: () => ({ statements }),
    slowestMs: () => slowest,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<number> {
  const data = generateDemoWorkspace();
  const server = await startDemoRestServer(data, { token: TOKEN, now: () => data.now });
  const duck = await createDuckDbWarehouse(data);
  const fresh = () => {
    const rest = createRestClient({ host: server.url, auth: { kind: 'pat', token: TOKEN } });
    const warehouse = withLatency(duck, LATENCY_MS);
    const source = createWorkspaceSource({ rest, warehouse, kind: 'demo', host: data.host, now: () => data.now });
    return { rest, warehouse, source };
  };
  const whySlow = (source: ReturnType<typeof fresh>['source'], name: string): Promise<Reply> =>
    runCommandArgv(['why-slow', name], { source, surface: 'cli', now: () => new Date() });
  const nameOf = (scenario: string) => String(data.pipelines.find((p) => p.scenario === scenario)!.pipeline.name);
  let failed = false;

  try {
    // warm up: DuckDB's first statements and the module code paths
    for (const s of SCENARIOS) await whySlow(fresh().source, nameOf(s));

    console.log(`(a) one why-slow, ${LATENCY_MS} ms injected before every SQL statement, median of ${RUNS} runs`);
    console.log(`    ${'pipeline (scenario)'.padEnd(46)}wall ms    ÷ L  ÷ slowest  statements`);
    for (const s of SCENARIOS) {
      const walls: number[] = [];
      const ratios: number[] = [];
      let statements = 0;
      for (let i = 0; i < RUNS; i++) {
        const f = fresh();
        const t0 = performance.now();
        const reply = await whySlow(f.source, nameOf(s));
        walls.push(performance.now() - t0);
        ratios.push(walls[walls.length - 1]! / f.warehouse.slowestMs());
        if (reply.kind !== 'diagnosis') throw new Error(`why-slow ${nameOf(s)}: ${JSON.stringify(reply)}`);
        statements = f.warehouse.stats().statements;
      }
      const wall = median(walls);
      const ratio = median(ratios);
      const ok = ratio <= TARGET_RATIO;
      if (!ok) failed = true;
      console.log(`    ${`${nameOf(s)} (${s})`.padEnd(46)}${wall.toFixed(0).padStart(7)} ${(wall / LATENCY_MS).toFixed(2).padStart(6)} ${ratio.toFixed(2).padStart(9)}   ${String(statements).padStart(3)}   ${ok ? 'ok' : `MISSED (target ÷ slowest ≤ ${TARGET_RATIO})`}`);
    }

    const name = nameOf('cpu-saturation');
    const one = fresh();
    await whySlow(one.source, name);
    const single = { rest: one.rest.stats().total, sql: one.warehouse.stats().statements };
    const many = fresh();
    const t0 = performance.now();
    const replies = await Promise.all(Array.from({ length: CONCURRENCY }, () => whySlow(many.source, name)));
    const wall = performance.now() - t0;
    if (replies.some((r) => r.kind !== 'diagnosis')) throw new Error('a concurrent why-slow failed');
    const together = { rest: many.rest.stats().total, sql: many.warehouse.stats().statements };
    const ok = together.rest === single.rest && together.sql === single.sql;
    if (!ok) failed = true;
    console.log(`(b) ${CONCURRENCY} concurrent why-slow ${name}: ${together.rest} REST requests, ${together.sql} SQL statements (one why-slow: ${single.rest} and ${single.sql}); wall ${wall.toFixed(0)} ms  ${ok ? 'ok' : 'MISSED (target: the calls of one)'}`);
  } finally {
    await server.close();
    await duck.close();
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
