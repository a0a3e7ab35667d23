/**
 * The load scenario shared by bench/load.ts (figures) and test/reliability/load.test.ts (counts):
 * N concurrent `/dlt why-slow <pipeline>` as signed HTTP requests to the Slack surface (Bolt's
 * HTTP receiver on an ephemeral port), the Web API served in-process by the console's fake Slack
 * (clientOptions.fetch), the demo workspace behind a counting REST client and warehouse. Optionally
 * Slack answers 429 (Retry-After) to the first K chat.postMessage calls.
 */
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCommandText } from '../commands/index.js';
import { createWorkspaceSource } from '../src/databricks/collect.js';
import { createRestClient, type RestClient } from '../src/databricks/rest.js';
import type { Warehouse } from '../src/databricks/sql.js';
import { startDemoWorkspace, type DemoWorkspace } from '../src/demo/workspace.js';
import { createFakeSlackApi, type ConsoleChannel } from '../src/surfaces/console/fake-slack-api.js';
import { createSlackApp } from '../src/surfaces/slack/app.js';
import type { RunCommand, SlackLogger } from '../src/surfaces/slack/deps.js';

/** the demo REST server's token (src/demo/workspace.ts): not a secret */
const DEMO_TOKEN = 'dapi-demo-workspace';
const SIGNING_SECRET = 'load-test-signing-secret';

export interface LoadOptions {
  requests: number;
  channels: number;
  pipeline: string;
  /** Slack's per-channel spacing the PostQueue applies (1000 in production) */
  postIntervalMs: number;
  /** the first K chat.postMessage calls answer HTTP 429 with Retry-After */
  slack429: number;
  retryAfterS: number;
  /** give up waiting for answers after this long */
  answerTimeoutMs: number;
  /** replaces runCommandText (bench floor: a command that answers at once) */
  run?: RunCommand;
}

export interface LoadResult {
  requests: number;
  acked: number;
  /** HTTP status of every request, in order */
  statuses: number[];
  ackMs: { p50: number; p99: number; max: number };
  answered: number;
  /** top-level messages still showing the "Diagnosing…" placeholder or an error */
  unanswered: string[];
  /** time from the first request to the last answer */
  allAnsweredMs: number;
  slack: { postMessage: number; update: number; rateLimited: number };
  databricks: { rest: number; restByPath: Record<string, number>; sql: number };
  /** the same counts for ONE why-slow on a fresh client */
  solo: { rest: number; sql: number };
  rateLimitLogs: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;

function counting(inner: Warehouse): Warehouse {
  let statements = 0;
  return {
    query: (name, params, options) => {
      statements++;
      return inner.query(name, params, options);
    },
    close: async () => undefined,
    stats: () => ({ statements }),
  };
}

function freshSource(demo: DemoWorkspace): { rest: RestClient; warehouse: Warehouse; source: ReturnType<typeof createWorkspaceSource> } {
  // the same settings startDemoWorkspace uses (GET cache 2 s, collect single flight + 5 s TTL)
  const rest = createRestClient({ host: demo.rest.url, auth: { kind: 'pat', token: DEMO_TOKEN }, cacheTtlMs: 2000 });
  const warehouse = counting(demo.warehouse);
  const source = createWorkspaceSource({ rest, warehouse, kind: 'demo', host: demo.data.host });
  return { rest, warehouse, source };
}

const sign = (body: string, ts: number) => `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;

export async function runLoad(o: LoadOptions, demoIn?: DemoWorkspace): Promise<LoadResult> {
  const demo = demoIn ?? (await startDemoWorkspace());
  const channels: ConsoleChannel[] = Array.from({ length: o.channels }, (_, i) => ({ id: `C${String(i).padStart(3, '0')}`, name: `team-${i}` }));
  const api = createFakeSlackApi({ channels });
  const slack = { postMessage: 0, update: 0, rateLimited: 0 };
  const fetchWith429 = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url === 'https://slack.com/api/chat.postMessage') {
      slack.postMessage++;
      if (slack.rateLimited < o.slack429) {
        slack.rateLimited++;
        return new Response(JSON.stringify({ ok: false, error: 'ratelimited' }), { status: 429, headers: { 'content-type': 'application/json', 'retry-after': String(o.retryAfterS) } });
      }
    }
    if (url === 'https://slack.com/api/chat.update') slack.update++;
    return api.fetch(input, init);
  }) as typeof fetch;

  try {
    const solo = freshSource(demo);
    await runCommandText(`why-slow ${o.pipeline}`, { source: solo.source, surface: 'slack', now: () => new Date() });
    const soloCounts = { rest: solo.rest.stats().total, sql: solo.warehouse.stats().statements };

    const live = freshSource(demo);
    let rateLimitLogs = 0;
    const logger: SlackLogger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (...m) => {
        if (String(m[0]).startsWith('rate limited')) rateLimitLogs++;
      },
      error: () => undefined,
    };
    const { app } = createSlackApp({
      config: { botToken: 'xoxb-load-test', signingSecret: SIGNING_SECRET, charts: false, postIntervalMs: o.postIntervalMs },
      run: o.run ?? runCommandText,
      source: live.source,
      logger,
      tokenVerificationEnabled: false,
      clientOptions: { fetch: fetchWith429, retryConfig: { retries: 0 } },
    });
    const server = (await app.start(0)) as Server;
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;

    const started = Date.now();
    const acks = await Promise.all(
      Array.from({ length: o.requests }, async (_, i) => {
        const body = new URLSearchParams({
          command: '/dlt', text: `why-slow ${o.pipeline}`, channel_id: channels[i % channels.length]!.id, channel_name: channels[i % channels.length]!.name,
          user_id: `U${String(i).padStart(3, '0')}`, user_name: `user${i}`, team_id: 'T1', team_domain: 'acme', api_app_id: 'A1',
          response_url: api.createResponseUrl({ channel: channels[i % channels.length]!.id, user: `U${i}` }), trigger_id: `trig${i}`, token: 'legacy',
        }).toString();
        const ts = Math.floor(Date.now() / 1000);
        const t0 = performance.now();
        const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(body, ts) } });
        await res.arrayBuffer();
        return { status: res.status, ms: performance.now() - t0 };
      }),
    );

    const finals = () => channels.flatMap((c) => api.history(c.id).filter((m) => !m.thread_ts || m.thread_ts === m.ts));
    const isAnswer = (m: { text: string; blocks: unknown[] }) => !m.text.startsWith('Diagnosing') && (o.run !== undefined || JSON.stringify(m.blocks).includes('dlt_rediagnose'));
    const deadline = Date.now() + o.answerTimeoutMs;
    let allAnsweredMs = NaN;
    for (;;) {
      const f = finals();
      if (f.length >= o.requests && f.every(isAnswer)) {
        allAnsweredMs = Date.now() - started;
        break;
      }
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await app.stop();

    const sorted = acks.map((a) => a.ms).sort((a, b) => a - b);
    const f = finals();
    const stats = live.rest.stats();
    return {
      requests: o.requests,
      acked: acks.filter((a) => a.status === 200 && a.ms < 3000).length,
      statuses: acks.map((a) => a.status),
      ackMs: { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] ?? NaN },
      answered: f.filter(isAnswer).length,
      unanswered: f.filter((m) => !isAnswer(m)).map((m) => `${m.channel} ${m.ts}: ${m.text.slice(0, 80)}`),
      allAnsweredMs,
      slack,
      databricks: { rest: stats.total, restByPath: stats.byPath, sql: live.warehouse.stats().statements },
      solo: soloCounts,
      rateLimitLogs,
    };
  } finally {
    if (!demoIn) await demo.close();
  }
}
