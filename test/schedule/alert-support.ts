/** Shared set-up for the alert tests: the demo workspace + the Slack app over a fake Web API + startAlerts with a fake clock. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommandText } from '../../commands/index.js';
import { createRestClient } from '../../src/databricks/rest.js';
import type { DemoWorkspace } from '../../src/demo/workspace.js';
import { startAlerts, type Alerts } from '../../src/schedule/alerts.js';
import { openDb } from '../../src/store/db.js';
import { createSlackApp } from '../../src/surfaces/slack/app.js';
import { PostQueue } from '../../src/surfaces/slack/post-queue.js';
import { fakeSlackApi, quietLogger, TestReceiver } from '../surfaces/slack/helpers.js';

export const DEMO_TOKEN = 'dapi-demo-workspace';
export const ADMIN = 'UADMIN';
export const SECRET = 'hook-secret-123';

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'dlt-alerts-')), 'bot.sqlite');
}

export interface Harness {
  alerts: Alerts;
  rest: ReturnType<typeof createRestClient>;
  api: ReturnType<typeof fakeSlackApi>;
  receiver: TestReceiver;
  clock: { ms: number };
  logs: string[];
  close(): void;
}

export function harness(ws: DemoWorkspace, dbPath: string, clock: { ms: number }): Harness {
  const api = fakeSlackApi();
  const receiver = new TestReceiver();
  const db = openDb(dbPath);
  // no GET cache: the tests edit the pipeline and start updates behind the client's back
  const rest = createRestClient({ host: ws.rest.url, auth: { kind: 'pat', token: DEMO_TOKEN }, cacheTtlMs: 0 });
  let alerts: Alerts | undefined;
  const slack = createSlackApp({
    config: { botToken: 'xoxb-test', charts: false, postIntervalMs: 0 },
    run: (text, ctx) => alerts!.withAlerts(runCommandText)(text, ctx),
    source: ws.source,
    logger: quietLogger(),
    receiver,
    tokenVerificationEnabled: false,
    clientOptions: { fetch: api.fetch, retryConfig: { retries: 0 } },
    now: () => new Date(clock.ms),
  });
  const logs: string[] = [];
  const logger = { info: (...m: unknown[]) => void logs.push(m.join(' ')), warn: (...m: unknown[]) => void logs.push(m.join(' ')) };
  alerts = startAlerts({
    db,
    source: ws.source,
    rest,
    slack: { client: slack.app.client, queue: new PostQueue({ intervalMs: 0 }) },
    config: { webhookSecret: SECRET, applyAllowedUsers: [ADMIN] },
    clock: () => new Date(clock.ms),
    start: false,
    logger,
  });
  alerts.registerSlack(slack.app);
  return {
    alerts,
    rest,
    api,
    receiver,
    clock,
    logs,
    close() {
      alerts!.stop();
      db.close();
    },
  };
}

/** Top-level messages (alert parents) and thread replies, from the recorded chat.postMessage calls. */
export function posts(api: ReturnType<typeof fakeSlackApi>) {
  const all = api.of('chat.postMessage');
  return { parents: all.filter((c) => !c.params.thread_ts), replies: all.filter((c) => c.params.thread_ts) };
}
