/**
 * Replicas benchmark (issue 19): `npx tsx bench/replicas.ts [--requests 50] [--lease 60]`.
 *
 * Two whole bot processes (`dlt-doctor start`, as `npm start` runs it; test/support/bot-process.ts)
 * on one real PostgreSQL server (DATABASE_URL; test/support/postgres.ts), each on the demo
 * workspace, Slack over HTTP with the Web API answered by a local stand-in for slack.com
 * (test/support/slack-capture.ts). This process is the load generator:
 *   1. N concurrent signed `/dlt why-slow orders_silver` (each in its own channel), alternately to
 *      replica A and B, as a load balancer would spread them; each HTTP 200 ack is timed, then the
 *      answers are awaited (every command's placeholder replaced by its diagnosis: chat.update).
 *   2. Failover: the scheduler leader is SIGKILLed; the time until the other replica's /healthz
 *      says `leader` is measured (the lease as deployed: DLT_DOCTOR_SCHEDULER_LEASE_SECONDS,
 *      default 60, renewed every quarter). Then the killed one is started again (a follower) and
 *      the leader is stopped gracefully (SIGTERM: the lease is released) and that handover timed.
 * Prints ack p50/p95/p99/max per replica and overall, the answer time, both failover times.
 * Exits 1 when a request is not acked within 3 s, not answered within 180 s, a replica answered
 * none of them, or a failover takes longer than the lease's ttl plus two renew intervals.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBotProcess, type BotProcess } from '../test/support/bot-process.js';
import { postgresAvailable, startPostgres } from '../test/support/postgres.js';
import { startSlackCapture } from '../test/support/slack-capture.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} needs a number > 0`);
  return v;
}
const REQUESTS = arg('--requests', 50);
const LEASE_S = arg('--lease', 60);
const ACK_DEADLINE_MS = 3000;
const SECRET = 'replicas-bench-signing-secret';

if (!postgresAvailable) {
  console.error('PostgreSQL is not installed (apt-get install postgresql)');
  process.exit(1);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;

const pg = await startPostgres();
const capture = await startSlackCapture();
const env = {
  DATABASE_URL: await pg.database('replicas_bench'),
  DLT_DOCTOR_DB: join(mkdtempSync(join(tmpdir(), 'dlt-replicas-')), 'unused.sqlite'),
  SLACK_BOT_TOKEN: 'xoxb-replicas-bench',
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: `${capture.url}/api/`,
  DLT_DOCTOR_SCHEDULER_LEASE_SECONDS: String(LEASE_S),
  LOG_LEVEL: 'warn',
};
const bots: BotProcess[] = [];
let failed = false;
const fail = (m: string) => {
  failed = true;
  console.log(`FAIL: ${m}`);
};

try {
  const a = await startBotProcess('A', env);
  bots.push(a);
  await a.waitForRole('leader', 60_000);
  const b = await startBotProcess('B', env);
  bots.push(b);
  await b.waitForRole('follower', 30_000);

  // ---- 1. N concurrent slash commands over both replicas ----
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const send = (url: string, i: number) =>
    new Promise<{ replica: string; status: number; ms: number; channel: string }>((resolve) => {
      const channel = `C0LOAD${String(i).padStart(3, '0')}`;
      const body = new URLSearchParams({
        command: '/dlt', text: 'why-slow orders_silver', channel_id: channel, channel_name: `load-${i}`, user_id: 'U0LOAD', user_name: 'load', team_id: 'T0CAPTURE',
        team_domain: 'capture', api_app_id: 'A0LOAD', response_url: `${capture.url}/response/${i}`, trigger_id: `trigger-${i}`,
      }).toString();
      const ts = Math.floor(Date.now() / 1000);
      const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
      const t0 = performance.now();
      const req = request(`${url}/slack/events`, { method: 'POST', agent, timeout: 10_000, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature } }, (res) => {
        res.resume();
        res.once('end', () => resolve({ replica: url === a.url ? 'A' : 'B', status: res.statusCode ?? 0, ms: performance.now() - t0, channel }));
      });
      req.once('timeout', () => req.destroy(new Error('timeout')));
      req.once('error', () => resolve({ replica: url === a.url ? 'A' : 'B', status: 0, ms: performance.now() - t0, channel }));
      req.end(body);
    });
  // a warm-up command on each (JIT, DuckDB, sockets), not counted
  await Promise.all([send(a.url, 900), send(b.url, 901)]);
  await capture.waitFor('the warm-up answers', () => capture.updates.filter((u) => u.channel >= 'C0LOAD900' && !u.text.includes('Diagnosing')).length >= 2, 120_000);

  const started = Date.now();
  const acks = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => send(i % 2 === 0 ? a.url : b.url, i)));
  agent.destroy();
  const late = acks.filter((x) => x.status !== 200 || x.ms >= ACK_DEADLINE_MS);
  const answered = () => new Set(capture.updates.filter((u) => u.channel < 'C0LOAD900' && u.channel.startsWith('C0LOAD') && !u.text.includes('Diagnosing')).map((u) => u.channel));
  await capture.waitFor('every command answered', () => answered().size >= REQUESTS, 180_000).catch(() => undefined);
  const answeredMs = Date.now() - started;
  console.log(`${REQUESTS} concurrent /dlt why-slow over 2 replicas (PostgreSQL state), acked within ${ACK_DEADLINE_MS} ms: ${REQUESTS - late.length}/${REQUESTS}`);
  for (const r of ['A', 'B']) {
    const mine = acks.filter((x) => x.replica === r);
    console.log(`  replica ${r}: ${mine.length} requests, ack ${fmt(mine.map((x) => x.ms))}`);
  }
  console.log(`  all: ack ${fmt(acks.map((x) => x.ms))}`);
  console.log(`  answered: ${answered().size}/${REQUESTS}, all answered ${answeredMs} ms after the burst started`);
  if (late.length) fail(`${late.length} request(s) not acked with 200 within ${ACK_DEADLINE_MS} ms`);
  if (answered().size < REQUESTS) fail(`${REQUESTS - answered().size} request(s) not answered`);

  // ---- 2. failover ----
  const budget = LEASE_S * 1000 + 2 * (LEASE_S * 1000) / 4 + 5_000;
  const leader = (await a.health())?.scheduler === 'leader' ? a : b;
  const other = leader === a ? b : a;
  let t0 = Date.now();
  await leader.kill('SIGKILL');
  await other.waitForRole('leader', budget).catch((err: unknown) => fail(String(err)));
  const crashMs = Date.now() - t0;
  console.log(`failover after SIGKILL of the leader (lease ${LEASE_S} s, renewed every ${LEASE_S / 4} s): ${other.name} leader after ${crashMs} ms`);

  const again = await startBotProcess(`${leader.name}2`, env);
  bots.push(again);
  await again.waitForRole('follower', 30_000);
  t0 = Date.now();
  await other.kill('SIGTERM');
  await again.waitForRole('leader', budget).catch((err: unknown) => fail(String(err)));
  const gracefulMs = Date.now() - t0;
  console.log(`handover after a graceful stop (SIGTERM, lease released): ${again.name} leader after ${gracefulMs} ms (including the stop itself)`);
} finally {
  for (const b of bots) await b.kill('SIGTERM').catch(() => undefined);
  await capture.close();
  await pg.stop();
}
process.exit(failed ? 1 : 0);
