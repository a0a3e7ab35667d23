/**
 * Load benchmark: `npx tsx bench/load.ts [--requests 50] [--channels 10] [--interval 1000] [--slack429 10]`.
 *
 * 50 concurrent `/dlt why-slow orders_silver` as signed HTTP requests to the Slack surface (Bolt's
 * HTTP receiver on an ephemeral port; Web API = the console's in-process fake Slack; Databricks =
 * the demo workspace). Two runs: Slack healthy, then Slack answering 429 (Retry-After: 1) to the
 * first K chat.postMessage calls. Prints ack latency p50/p99/max (target p99 < 100 ms, every ack
 * < 3 s), answers, time until all are answered, Slack calls and Databricks calls (REST requests
 * and SQL statements, against those of ONE why-slow). Exits 1 when a target is missed.
 */
import { runLoad, type LoadResult } from './load-harness.js';
import { startDemoWorkspace } from '../src/demo/workspace.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} needs a number ≥ 0`);
  return v;
}

const REQUESTS = arg('--requests', 50);
const CHANNELS = arg('--channels', 10);
const INTERVAL = arg('--interval', 1000);
const SLACK_429 = arg('--slack429', 10);

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

function report(label: string, r: LoadResult): boolean {
  const coalesced = r.databricks.rest === r.solo.rest && r.databricks.sql === r.solo.sql;
  console.log(`\n${label}`);
  console.log(`  acked (200 within 3 s): ${r.acked}/${r.requests}   ack latency p50 ${fmt(r.ackMs.p50)} ms, p99 ${fmt(r.ackMs.p99)} ms, max ${fmt(r.ackMs.max)} ms`);
  console.log(`  answered with the diagnosis: ${r.answered}/${r.requests}   all answered after ${fmt(r.allAnsweredMs / 1000)} s`);
  console.log(`  Slack: chat.postMessage ${r.slack.postMessage} (of which answered 429: ${r.slack.rateLimited}), chat.update ${r.slack.update}`);
  console.log(`  Databricks: REST ${r.databricks.rest} requests, SQL ${r.databricks.sql} statements   (one why-slow alone: REST ${r.solo.rest}, SQL ${r.solo.sql}) → ${coalesced ? 'coalesced' : 'NOT coalesced'}`);
  console.log(`    REST by path: ${Object.entries(r.databricks.restByPath).map(([k, v]) => `${k.replace(/\/api\/2\.0\/pipelines/, 'pipelines')} ×${v}`).join(', ')}`);
  if (r.unanswered.length) console.log(`  unanswered:\n    ${r.unanswered.slice(0, 10).join('\n    ')}`);
  if (r.ackMs.p99 >= 100) console.log('  ack p99 target (< 100 ms) missed');
  if (!coalesced) console.log('  Databricks calls not those of one why-slow');
  return r.acked === r.requests && r.answered === r.requests && r.ackMs.p99 < 100 && coalesced;
}

const demo = await startDemoWorkspace();
try {
  console.log(`${REQUESTS} concurrent /dlt why-slow orders_silver over ${CHANNELS} channels, post interval ${INTERVAL} ms per channel (node ${process.version})`);
  const base = { requests: REQUESTS, channels: CHANNELS, pipeline: 'orders_silver', postIntervalMs: INTERVAL, retryAfterS: 1, answerTimeoutMs: 180_000 };
  // warm-up (JIT, sockets, DuckDB), not reported; each measured run then uses a fresh client
  await runLoad({ ...base, requests: 5, channels: 5, postIntervalMs: 0, slack429: 0 }, demo);
  await new Promise((r) => setTimeout(r, 5_500));
  // the floor: the same burst with a command that answers at once (no Databricks, no diagnosis)
  const floor = await runLoad({ ...base, postIntervalMs: 0, slack429: 0, run: async () => ({ kind: 'text', text: 'ok' }) }, demo);
  console.log(`\nFloor (same burst, a command that answers at once): ack p50 ${fmt(floor.ackMs.p50)} ms, p99 ${fmt(floor.ackMs.p99)} ms, max ${fmt(floor.ackMs.max)} ms`);
  await new Promise((r) => setTimeout(r, 5_500));
  // wait out the collect TTL (5 s) between runs so each starts cold
  const ok1 = report('Slack healthy', await runLoad({ ...base, slack429: 0 }, demo));
  await new Promise((r) => setTimeout(r, 5_500));
  const ok2 = report(`Slack answers 429 (Retry-After: 1) to the first ${SLACK_429} chat.postMessage`, await runLoad({ ...base, slack429: SLACK_429 }, demo));
  if (!ok1 || !ok2) {
    console.log('\nA target was missed.');
    process.exitCode = 1;
  }
} finally {
  await demo.close();
}
