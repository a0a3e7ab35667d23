/**
 * The load scenario shared by bench/load.ts (figures, bot in a child process: bench/load-server.ts)
 * and test/reliability/load.test.ts (counts, in one process): N concurrent `/dlt why-slow <pipeline>`
 * as signed HTTP requests to the Slack surface (Bolt's HTTP receiver on an ephemeral port), the Web
 * API served in-process by the console's fake Slack (clientOptions.fetch), the demo workspace behind
 * a counting REST client and warehouse. Optionally Slack answers 429 (Retry-After) to the first K
 * chat.postMessage calls of a round.
 *
 * Two halves: `startLoadServer` (the bot side: app, fake Slack, counters; one "round" at a time, each
 * with fresh channels and counters) and `sendBurst` (the client side: signs and sends the requests,
 * times each HTTP 200). `runLoad` puts both in one process.
 */
import { createHmac } from 'node:crypto';
import { Agent, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCommandText } from '../commands/index.js';
import { createWorkspaceSource } from '../src/databricks/collect.js';
import { createRestClient, type RestClient } from '../src/databricks/rest.js';
import type { Warehouse } from '../src/databricks/sql.js';
import { startDemoWorkspace, type DemoWorkspace } from '../src/demo/workspace.js';
import { createFakeSlackApi, type ConsoleChannel, type FakeSlackApi } from '../src/surfaces/console/fake-slack-api.js';
import { createSlackApp } from '../src/surfaces/slack/app.js';
import type { RunCommand, SlackLogger } from '../src/surfaces/slack/deps.js';

/** the demo REST server's token (src/demo/workspace.ts): not a secret */
const DEMO_TOKEN = 'dapi-demo-workspace';
/** shared by both halves of the benchmark: not a secret */
export const LOAD_SIGNING_SECRET = 'load-test-signing-secret';

export interface LoadServerOptions {
  channels: number;
  pipeline: string;
  /** Slack's per-channel spacing the PostQueue applies (1000 in production) */
  postIntervalMs: number;
  retryAfterS: number;
}

export interface RoundSpec {
  requests: number;
  /** the first K chat.postMessage calls of this round answer HTTP 429 with Retry-After */
  slack429: number;
  /** the command answers at once (no Databricks, no diagnosis): the floor of the ack latency */
  floor?: boolean;
}

export interface RoundStats {
  requests: number;
  answered: number;
  /** top-level messages still showing the "Diagnosing…" placeholder or an error */
  unanswered: string[];
  slack: { postMessage: number; update: number; rateLimited: number };
  databricks: { rest: number; restByPath: Record<string, number>; sql: number };
  rateLimitLogs: number;
  /** bot side: from the HTTP request's headers parsed to the ack response finished (excludes the client and the network) */
  serverAckMs: { p50: number; p95: number; p99: number; max: number };
}

export interface LoadServer {
  /** the Slack receiver: POST signed slash commands here */
  url: string;
  /** REST requests and SQL statements of ONE why-slow on a fresh client */
  solo: { rest: number; sql: number };
  /** fresh channels and counters; returns the form bodies of the round's slash commands */
  startRound(spec: RoundSpec): string[];
  stats(): RoundStats;
  close(): Promise<void>;
}

export interface LoadOptions extends LoadServerOptions, Omit<RoundSpec, 'floor'> {
  /** give up waiting for answers after this long */
  answerTimeoutMs: number;
  /** replaces runCommandText (a command that answers at once) */
  run?: RunCommand;
}

export interface AckStats {
  acked: number;
  /** HTTP status of every request, in order */
  statuses: number[];
  ackMs: { p50: number; p95: number; p99: number; max: number };
}

export interface LoadResult extends RoundStats, AckStats {
  /** time from the first request to the last answer (NaN: not all answered in time) */
  allAnsweredMs: number;
  solo: { rest: number; sql: number };
}

export const ACK_DEADLINE_MS = 3000;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;

function percentiles(ms: number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] ?? NaN };
}

interface CountingWarehouse extends Warehouse {
  statements(): number;
}

function counting(inner: Warehouse): CountingWarehouse {
  let statements = 0;
  return {
    query: (name, params, options) => {
      statements++;
      return inner.query(name, params, options);
    },
    close: async () => undefined,
    stats: () => ({ statements }),
    statements: () => statements,
  };
}

function freshSource(demo: DemoWorkspace): { rest: RestClient; warehouse: CountingWarehouse; source: ReturnType<typeof createWorkspaceSource> } {
  // the same settings startDemoWorkspace uses (default 10 s GET cache, collect single flight + 5 s TTL)
  const rest = createRestClient({ host: demo.rest.url, auth: { kind: 'pat', token: DEMO_TOKEN } });
  const warehouse = counting(demo.warehouse);
  const source = createWorkspaceSource({ rest, warehouse, kind: 'demo', host: demo.data.host });
  return { rest, warehouse, source };
}

const floorRun: RunCommand = async () => ({ kind: 'text', text: 'ok' });

/** The bot side. `run` replaces runCommandText for every round (tests); `floor` rounds replace it too. */
export async function startLoadServer(o: LoadServerOptions, demo: DemoWorkspace, run: RunCommand = runCommandText): Promise<LoadServer> {
  const solo = freshSource(demo);
  await runCommandText(`why-slow ${o.pipeline}`, { source: solo.source, surface: 'slack', now: () => new Date() });
  const soloCounts = { rest: solo.rest.stats().total, sql: solo.warehouse.statements() };

  let round = 0;
  let spec: RoundSpec = { requests: 0, slack429: 0 };
  let channels: ConsoleChannel[] = [];
  let api: FakeSlackApi = createFakeSlackApi({ channels });
  let slack = { postMessage: 0, update: 0, rateLimited: 0 };
  let rateLimitLogs = 0;
  const live = freshSource(demo);
  let base = { rest: live.rest.stats(), sql: 0 };

  const fetchWith429 = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url === 'https://slack.com/api/chat.postMessage') {
      slack.postMessage++;
      if (slack.rateLimited < spec.slack429) {
        slack.rateLimited++;
        return new Response(JSON.stringify({ ok: false, error: 'ratelimited' }), { status: 429, headers: { 'content-type': 'application/json', 'retry-after': String(o.retryAfterS) } });
      }
    }
    if (url === 'https://slack.com/api/chat.update') slack.update++;
    return api.fetch(input, init);
  }) as typeof fetch;

  const logger: SlackLogger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (...m) => {
      if (String(m[0]).startsWith('rate limited')) rateLimitLogs++;
    },
    error: () => undefined,
  };
  const { app } = createSlackApp({
    config: { botToken: 'xoxb-load-test', signingSecret: LOAD_SIGNING_SECRET, charts: false, postIntervalMs: o.postIntervalMs },
    run: (text, ctx) => (spec.floor ? floorRun(text, ctx) : run(text, ctx)),
    source: live.source,
    logger,
    tokenVerificationEnabled: false,
    clientOptions: { fetch: fetchWith429, retryConfig: { retries: 0 } },
  });
  const server = (await app.start(0)) as Server;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  let serverAcks: number[] = [];
  server.on('request', (_req, res: ServerResponse) => {
    const t0 = performance.now();
    res.once('finish', () => serverAcks.push(performance.now() - t0));
  });

  const isAnswer = (m: { text: string; blocks: unknown[] }) =>
    !m.text.startsWith('Diagnosing') && (spec.floor || run !== runCommandText || JSON.stringify(m.blocks).includes('dlt_rediagnose'));

  return {
    url,
    solo: soloCounts,
    startRound(next) {
      round++;
      spec = { ...next };
      channels = Array.from({ length: o.channels }, (_, i) => ({ id: `C${round}X${String(i).padStart(3, '0')}`, name: `team-${round}-${i}` }));
      api = createFakeSlackApi({ channels });
      slack = { postMessage: 0, update: 0, rateLimited: 0 };
      rateLimitLogs = 0;
      serverAcks = [];
      base = { rest: live.rest.stats(), sql: live.warehouse.statements() };
      return Array.from({ length: spec.requests }, (_, i) => {
        const c = channels[i % channels.length]!;
        return new URLSearchParams({
          command: '/dlt', text: `why-slow ${o.pipeline}`, channel_id: c.id, channel_name: c.name,
          user_id: `U${String(i).padStart(3, '0')}`, user_name: `user${i}`, team_id: 'T1', team_domain: 'acme', api_app_id: 'A1',
          response_url: api.createResponseUrl({ channel: c.id, user: `U${i}` }), trigger_id: `trig${round}-${i}`, token: 'legacy',
        }).toString();
      });
    },
    stats() {
      const f = channels.flatMap((c) => api.history(c.id).filter((m) => !m.thread_ts || m.thread_ts === m.ts));
      const rest = live.rest.stats();
      const restByPath: Record<string, number> = {};
      for (const [k, v] of Object.entries(rest.byPath)) if (v - (base.rest.byPath[k] ?? 0) > 0) restByPath[k] = v - (base.rest.byPath[k] ?? 0);
      return {
        requests: spec.requests,
        answered: f.filter(isAnswer).length,
        unanswered: [
          ...f.filter((m) => !isAnswer(m)).map((m) => `${m.channel} ${m.ts}: ${m.text.slice(0, 80)}`),
          ...(f.length < spec.requests ? [`${spec.requests - f.length} request(s) without any message`] : []),
        ],
        slack: { ...slack },
        databricks: { rest: rest.total - base.rest.total, restByPath, sql: live.warehouse.statements() - base.sql },
        rateLimitLogs,
        serverAckMs: percentiles(serverAcks),
      };
    },
    close: () => app.stop().then(() => undefined),
  };
}

const sign = (body: string, ts: number) => `v0=${createHmac('sha256', LOAD_SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;

/**
 * The client side: sends every body at once, signed; times each request to its HTTP response. Uses
 * node:http (lighter than fetch's web streams) so the generator adds as little as it can.
 */
export async function sendBurst(url: string, bodies: string[]): Promise<AckStats> {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const post = (body: string) =>
    new Promise<{ status: number; ms: number }>((resolve) => {
      const ts = Math.floor(Date.now() / 1000);
      const headers = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(body, ts) };
      const t0 = performance.now();
      const req = request(url, { method: 'POST', headers, agent, timeout: 10_000 }, (res) => {
        res.resume();
        res.once('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
      });
      req.once('timeout', () => req.destroy(new Error('timeout')));
      req.once('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
      req.end(body);
    });
  try {
    const acks = await Promise.all(bodies.map(post));
    return {
      acked: acks.filter((a) => a.status === 200 && a.ms < ACK_DEADLINE_MS).length,
      statuses: acks.map((a) => a.status),
      ackMs: percentiles(acks.map((a) => a.ms)),
    };
  } finally {
    agent.destroy();
  }
}

/** Polls `stats` every 50 ms until every request is answered or `timeoutMs` passed; NaN when not all were. */
export async function waitAllAnswered(stats: () => Promise<RoundStats> | RoundStats, startedAt: number, timeoutMs: number): Promise<{ stats: RoundStats; allAnsweredMs: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await stats();
    if (s.answered >= s.requests && s.unanswered.length === 0) return { stats: s, allAnsweredMs: Date.now() - startedAt };
    if (Date.now() > deadline) return { stats: s, allAnsweredMs: NaN };
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Both halves in one process (the reliability test: counts, not timings). */
export async function runLoad(o: LoadOptions, demoIn?: DemoWorkspace): Promise<LoadResult> {
  const demo = demoIn ?? (await startDemoWorkspace());
  try {
    const server = await startLoadServer(o, demo, o.run);
    try {
      const bodies = server.startRound({ requests: o.requests, slack429: o.slack429 });
      const started = Date.now();
      const acks = await sendBurst(server.url, bodies);
      const { stats, allAnsweredMs } = await waitAllAnswered(() => server.stats(), started, o.answerTimeoutMs);
      return { ...stats, ...acks, allAnsweredMs, solo: server.solo };
    } finally {
      await server.close();
    }
  } finally {
    if (!demoIn) await demo.close();
  }
}
