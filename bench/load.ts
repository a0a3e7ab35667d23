/**
 * Load benchmark: `npx tsx bench/load.ts [--requests 50] [--channels 10] [--interval 1000] [--slack429 10]`.
 *
 * The bot — the Slack surface (Bolt's HTTP receiver on an ephemeral port), the console's fake Slack
 * Web API, the demo workspace — runs in a CHILD process (bench/load-server.ts); this process is the
 * load generator only: it signs and sends N concurrent `/dlt why-slow orders_silver` and times each
 * HTTP 200 ack, then reads the answers and call counts from the child's loopback control endpoint.
 *
 * Rounds, each with fresh channels and counters: a warm-up round of the same N requests (JIT, sockets,
 * DuckDB; not reported), the floor (a command that answers at once), Slack healthy, Slack answering
 * 429 (Retry-After: 1) to the first K chat.postMessage. Prints ack latency p50/p95/p99/max, answers,
 * time until all are answered, Slack calls and Databricks calls (REST requests and SQL statements,
 * against those of ONE why-slow). Exits 1 when a request is not acked (HTTP 200) within 3 s, not
 * answered, or the ack p99 of a measured round is ≥ 100 ms.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ACK_DEADLINE_MS, sendBurst, waitAllAnswered, type LoadResult, type RoundSpec, type RoundStats } from './load-harness.js';

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
const ACK_P99_TARGET_MS = 100;
const ANSWER_TIMEOUT_MS = 180_000;
/** the collect single flight keeps a result 5 s: wait it out so each round starts cold */
const BETWEEN_ROUNDS_MS = 5_500;

// ---- the child (edge: validate what it says) ----
const ready = z.object({ ready: z.literal(true), url: z.string().url(), bare: z.string().url(), control: z.string().url(), solo: z.object({ rest: z.number(), sql: z.number() }) });
const ms = z.number().nullable().transform((v) => v ?? NaN);
const roundStats: z.ZodType<RoundStats> = z.object({
  requests: z.number(),
  answered: z.number(),
  unanswered: z.array(z.string()),
  slack: z.object({ postMessage: z.number(), update: z.number(), rateLimited: z.number() }),
  databricks: z.object({ rest: z.number(), restByPath: z.record(z.string(), z.number()), sql: z.number() }),
  rateLimitLogs: z.number(),
  // JSON has no NaN: an empty round's percentiles arrive as null
  serverAckMs: z.object({ p50: ms, p95: ms, p99: ms, max: ms }),
});

const serverScript = fileURLToPath(new URL('./load-server.ts', import.meta.url));
// LOAD_SERVER_NODE_ARGS: extra node flags for the bot process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
const nodeArgs = (process.env.LOAD_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', serverScript, '--channels', String(CHANNELS), '--interval', String(INTERVAL), '--retry-after', '1'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const info = await new Promise<z.infer<typeof ready>>((resolve, reject) => {
  const lines = createInterface({ input: child.stdout! });
  lines.once('line', (line) => {
    try {
      resolve(ready.parse(JSON.parse(line)));
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
  child.once('exit', (code) => reject(new Error(`load server exited (${code}) before it was ready`)));
});

async function control<T>(path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
  const res = await fetch(`${info.control}${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (!res.ok) throw new Error(`load server ${path}: HTTP ${res.status}`);
  return schema.parse(await res.json());
}

async function round(spec: RoundSpec): Promise<LoadResult> {
  const { bodies } = await control('/round', z.object({ bodies: z.array(z.string()) }), spec);
  const started = Date.now();
  const acks = await sendBurst(info.url, bodies);
  const { stats, allAnsweredMs } = await waitAllAnswered(() => control('/stats', roundStats), started, ANSWER_TIMEOUT_MS);
  return { ...stats, ...acks, allAnsweredMs, solo: info.solo };
}

const pause = () => new Promise((r) => setTimeout(r, BETWEEN_ROUNDS_MS));
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
const acks = (r: LoadResult) =>
  `acked (200 within 3 s): ${r.acked}/${r.requests}   ack latency p50 ${fmt(r.ackMs.p50)} ms, p95 ${fmt(r.ackMs.p95)} ms, p99 ${fmt(r.ackMs.p99)} ms, max ${fmt(r.ackMs.max)} ms`;

function report(label: string, r: LoadResult, diagnosis: boolean): boolean {
  const coalesced = r.databricks.rest === r.solo.rest && r.databricks.sql === r.solo.sql;
  console.log(`\n${label}`);
  console.log(`  ${acks(r)}`);
  console.log(`  bot side (request parsed → ack sent): p50 ${fmt(r.serverAckMs.p50)} ms, p95 ${fmt(r.serverAckMs.p95)} ms, p99 ${fmt(r.serverAckMs.p99)} ms, max ${fmt(r.serverAckMs.max)} ms`);
  console.log(`  answered: ${r.answered}/${r.requests}   all answered after ${fmt(r.allAnsweredMs / 1000)} s`);
  console.log(`  Slack: chat.postMessage ${r.slack.postMessage} (of which answered 429: ${r.slack.rateLimited}), chat.update ${r.slack.update}`);
  if (diagnosis) {
    console.log(`  Databricks: REST ${r.databricks.rest} requests, SQL ${r.databricks.sql} statements   (one why-slow alone: REST ${r.solo.rest}, SQL ${r.solo.sql}) → ${coalesced ? 'coalesced' : 'NOT coalesced'}`);
    console.log(`    REST by path: ${Object.entries(r.databricks.restByPath).map(([k, v]) => `${k.replace(/\/api\/2\.0\/pipelines/, 'pipelines')} ×${v}`).join(', ')}`);
  }
  if (r.unanswered.length) console.log(`  unanswered:\n    ${r.unanswered.slice(0, 10).join('\n    ')}`);
  const acked = r.acked === r.requests;
  const answered = r.answered === r.requests && r.unanswered.length === 0;
  const p99 = r.ackMs.p99 < ACK_P99_TARGET_MS;
  if (!acked) console.log(`  MISSED: ${r.requests - r.acked} request(s) not acked (HTTP 200) within ${ACK_DEADLINE_MS} ms`);
  if (!answered) console.log('  MISSED: not every request answered');
  console.log(`  ack p99 ${fmt(r.ackMs.p99)} ms vs target < ${ACK_P99_TARGET_MS} ms: ${p99 ? 'met' : 'MISSED'}`);
  return acked && answered && p99;
}

let ok = true;
try {
  console.log(`${REQUESTS} concurrent /dlt why-slow orders_silver over ${CHANNELS} channels, post interval ${INTERVAL} ms per channel (node ${process.version}; bot in child pid ${child.pid})`);
  const warm = await round({ requests: REQUESTS, slack429: 0 });
  console.log(`\nWarm-up (not counted): ${acks(warm)}; answered ${warm.answered}/${warm.requests}`);
  const bodies = Array.from({ length: REQUESTS }, (_, i) => `command=%2Fdlt&text=why-slow+orders_silver&n=${i}`);
  await sendBurst(info.bare, bodies); // its own warm-up
  await pause();
  const bare = await sendBurst(info.bare, bodies);
  console.log(`\nBare HTTP server in the bot process (answers 200 at once; the transport floor): ack p50 ${fmt(bare.ackMs.p50)} ms, p95 ${fmt(bare.ackMs.p95)} ms, p99 ${fmt(bare.ackMs.p99)} ms, max ${fmt(bare.ackMs.max)} ms`);
  ok = report('Floor (same burst, a command that answers at once)', await round({ requests: REQUESTS, slack429: 0, floor: true }), false) && ok;
  await pause();
  ok = report('Slack healthy', await round({ requests: REQUESTS, slack429: 0 }), true) && ok;
  await pause();
  ok = report(`Slack answers 429 (Retry-After: 1) to the first ${SLACK_429} chat.postMessage`, await round({ requests: REQUESTS, slack429: SLACK_429 }), true) && ok;
} catch (err) {
  ok = false;
  console.error(`load benchmark failed: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  await control('/stop', z.unknown(), {}).catch(() => child.kill());
}
if (!ok) {
  console.log('\nA target was missed.');
  process.exitCode = 1;
}
