/**
 * Issue 16 benchmark: one live `why-slow` of a week-long continuous update moves summaries, not rows.
 *   npx tsx bench/long-update.ts [--latency MS]
 * The warehouse (demo DuckDB + REST server, bench/long-update-server.ts) runs in its own process
 * holding a continuous update of 50 flows over 7 days: ~2 million events (a report every 15 s per
 * flow) and, for comparison, ~200,000 (every 150 s). The bot (bench/long-update-bot.ts) runs in a
 * fresh process each time so its peak RSS is its own. Targets, each checked in this run:
 *   - the 2M-event diagnosis moves at most 50,000 rows;
 *   - its wall time is at most 1.2× its slowest statement (latency injected before each, as bench/live.ts);
 *   - its peak RSS is under 300 MB and within 10% of the 200,000-event diagnosis'.
 * Note: the demo DuckDB runs one statement at a time, so a statement's observed time includes its
 * wait behind the others; a Databricks warehouse runs them concurrently.
 * Exits 1 when a target is missed.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const i = process.argv.indexOf('--latency');
const LATENCY = i >= 0 ? Number(process.argv[i + 1]) : 300;
const TSX = ['--import', 'tsx'];

function runJson(args: string[], keep: boolean): Promise<{ line: Record<string, unknown>; kill: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TSX, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const rl = createInterface({ input: child.stdout });
    let done = false;
    rl.on('line', (l) => {
      if (done || !l.startsWith('{')) return;
      done = true;
      resolve({ line: JSON.parse(l) as Record<string, unknown>, kill: () => child.kill() });
      if (!keep) child.kill();
    });
    child.on('exit', (code) => {
      if (!done) reject(new Error(`${args[0]} exited ${code} before printing its result`));
    });
  });
}

interface BotResult { wallMs: number; statements: { name: string; ms: number; rows: number }[]; rows: number; maxRssMB: number; verdict: string; window: unknown }

async function measure(every: number): Promise<{ events: number; bot: BotResult }> {
  const server = await runJson(['bench/long-update-server.ts', '--flows', '50', '--days', '7', '--every', String(every)], true);
  try {
    const { rest, sql, events, loadMs } = server.line as { rest: string; sql: string; events: number; loadMs: number };
    console.log(`  warehouse: ${events.toLocaleString('en-US')} events of one update loaded in ${(loadMs / 1000).toFixed(0)} s`);
    // one run to warm DuckDB's caches (as a warehouse that has read the table before), then the measured one
    await runJson(['bench/long-update-bot.ts', rest, sql, String(LATENCY)], false);
    const bot = (await runJson(['bench/long-update-bot.ts', rest, sql, String(LATENCY)], false)).line as unknown as BotResult;
    return { events, bot };
  } finally {
    server.kill();
  }
}

async function main(): Promise<number> {
  let failed = false;
  const check = (ok: boolean, what: string) => {
    if (!ok) failed = true;
    console.log(`  ${ok ? 'ok    ' : 'MISSED'} ${what}`);
  };
  console.log(`long continuous update, ${LATENCY} ms injected before every SQL statement`);
  console.log('200,000-event update:');
  const small = await measure(150);
  console.log(`  bot: ${small.bot.rows.toLocaleString('en-US')} rows, ${small.bot.wallMs} ms, peak RSS ${small.bot.maxRssMB} MB, verdict ${small.bot.verdict}`);
  console.log('2,000,000-event update:');
  const big = await measure(15);
  const slowest = big.bot.statements.reduce((a, b) => (b.ms > a.ms ? b : a));
  for (const s of [...big.bot.statements].sort((a, b) => b.ms - a.ms)) console.log(`    ${s.name.padEnd(26)} ${String(s.ms).padStart(6)} ms ${String(s.rows).padStart(7)} rows`);
  console.log(`  bot: ${big.bot.rows.toLocaleString('en-US')} rows, ${big.bot.wallMs} ms, peak RSS ${big.bot.maxRssMB} MB, verdict ${big.bot.verdict}, window ${JSON.stringify(big.bot.window)}`);
  check(big.events >= 2_000_000, `the update holds ${big.events.toLocaleString('en-US')} events (≥ 2,000,000)`);
  check(big.bot.rows <= 50_000, `rows moved ${big.bot.rows.toLocaleString('en-US')} (≤ 50,000)`);
  const ratio = big.bot.wallMs / slowest.ms;
  check(ratio <= 1.2, `wall ${big.bot.wallMs} ms ÷ slowest statement ${slowest.ms} ms (${slowest.name}) = ${ratio.toFixed(2)} (≤ 1.2)`);
  check(big.bot.maxRssMB < 300, `peak RSS ${big.bot.maxRssMB} MB (< 300)`);
  const rssRatio = big.bot.maxRssMB / small.bot.maxRssMB;
  check(Math.abs(rssRatio - 1) <= 0.1, `peak RSS ${big.bot.maxRssMB} MB ÷ ${small.bot.maxRssMB} MB on 200,000 events = ${rssRatio.toFixed(2)} (within 10%)`);
  check(big.bot.verdict === 'backlog' && small.bot.verdict === 'backlog', `verdict ${big.bot.verdict} / ${small.bot.verdict} (the first flow falls behind: backlog)`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
