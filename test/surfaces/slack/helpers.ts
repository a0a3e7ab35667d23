/**
 * Test doubles for the Slack surface: a fake Bolt receiver (app.processEvent, as bolt-js's own
 * tests do), a recording fake fetch standing in for slack.com and response_urls, and payload builders.
 */
import { vi } from 'vitest';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { CommandContext, Reply } from '../../../commands/types.js';
import type { Source } from '../../../src/source.js';
import { createSlackApp } from '../../../src/surfaces/slack/app.js';
import type { SlackLogger } from '../../../src/surfaces/slack/deps.js';

export class TestReceiver implements Receiver {
  private app: App | undefined;
  init(app: App) {
    this.app = app;
  }
  start() {
    return Promise.resolve();
  }
  stop() {
    return Promise.resolve();
  }
  async send(body: Record<string, unknown>) {
    const ack = vi.fn(async () => undefined);
    await this.app!.processEvent({ body, ack } as unknown as ReceiverEvent);
    return ack;
  }
}

export interface ApiCall {
  method: string; // "chat.postMessage", "respond", "upload"
  url: string;
  params: Record<string, unknown>;
}

type Responder = (call: ApiCall) => { status?: number; body: unknown } | undefined;

/** A fetch that answers like Slack: records every call; `on(method, fn)` overrides an answer. */
export function fakeSlackApi() {
  const calls: ApiCall[] = [];
  const overrides = new Map<string, Responder>();
  let ts = 1000;
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    let method = 'other';
    let params: Record<string, unknown> = {};
    if (url.startsWith('https://slack.com/api/')) {
      method = url.slice('https://slack.com/api/'.length);
      if (typeof init?.body === 'string') {
        for (const [k, v] of new URLSearchParams(init.body)) {
          params[k] = k === 'blocks' || k === 'files' ? JSON.parse(v) : v;
        }
      }
    } else if (url.startsWith('https://hooks.slack.com/')) {
      method = 'respond';
      params = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
    } else if (url.startsWith('https://files.slack.com/')) {
      method = 'upload';
    }
    const call = { method, url, params };
    calls.push(call);
    const custom = overrides.get(method)?.(call);
    if (custom) return new Response(JSON.stringify(custom.body), { status: custom.status ?? 200, headers: { 'content-type': 'application/json' } });
    const body = (() => {
      switch (method) {
        case 'chat.postMessage':
          return { ok: true, channel: params.channel, ts: `${++ts}.000100` };
        case 'chat.update':
          return { ok: true, channel: params.channel, ts: params.ts };
        case 'files.getUploadURLExternal':
          return { ok: true, upload_url: 'https://files.slack.com/upload/v1/abc', file_id: 'F1' };
        case 'views.open':
        case 'views.update':
          // as Slack: the view with its id and a hash that changes on every update
          return { ok: true, view: { id: String(params.view_id ?? 'V1'), hash: `h${++ts}` } };
        case 'files.completeUploadExternal':
          return { ok: true, files: [{ id: 'F1' }] };
        case 'upload':
          return 'OK';
        default:
          return { ok: true };
      }
    })();
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status: 200, headers: { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' } });
  };
  return {
    fetch: fetch as unknown as typeof globalThis.fetch,
    calls,
    on(method: string, fn: Responder) {
      overrides.set(method, fn);
    },
    of(method: string) {
      return calls.filter((c) => c.method === method);
    },
  };
}

export const quietLogger = (): SlackLogger & { lines: string[] } => {
  const lines: string[] = [];
  const log = (...m: unknown[]) => void lines.push(m.map(String).join(' '));
  return { debug: () => undefined, info: log, warn: log, error: log, lines };
};

export const fakeSource: Source = {
  kind: 'demo',
  pipelineUrl: () => null,
  listPipelines: async () => [],
  resolvePipeline: async (ref) => ({ id: ref, name: ref }),
  collect: async () => {
    throw new Error('not used: run is faked');
  },
};

export type FakeRun = (text: string, ctx: CommandContext) => Promise<Reply>;

/** A Bolt app with a fake receiver, the fake Slack API and an injected `run`. */
export function testApp(run: FakeRun, o: { charts?: boolean; source?: Source } = {}) {
  const api = fakeSlackApi();
  const receiver = new TestReceiver();
  const logger = quietLogger();
  const runMock = vi.fn(run);
  const slack = createSlackApp({
    config: { botToken: 'xoxb-test', signingSecret: 'test-secret', charts: o.charts ?? false, postIntervalMs: 0 },
    run: runMock,
    source: o.source ?? fakeSource,
    logger,
    receiver,
    tokenVerificationEnabled: false,
    clientOptions: { fetch: api.fetch, retryConfig: { retries: 0 } },
  });
  return { slack, api, receiver, logger, run: runMock };
}

export function slashCommand(text: string, o: Record<string, unknown> = {}) {
  return {
    command: '/dlt',
    text,
    channel_id: 'C1',
    channel_name: 'data-eng',
    user_id: 'U1',
    user_name: 'ana',
    team_id: 'T1',
    team_domain: 'acme',
    api_app_id: 'A1',
    response_url: 'https://hooks.slack.com/commands/T1/1/abc',
    trigger_id: 'trig',
    token: 'legacy-token',
    ...o,
  };
}

/** each click is a new request, as from Slack (its own action_ts): the receiver refuses replays of a signed body */
let clicks = 0;
export function buttonClick(actionId: string, value: string | undefined, message: Record<string, unknown> = {}) {
  clicks += 1;
  return {
    type: 'block_actions',
    team: { id: 'T1', domain: 'acme' },
    user: { id: 'U2', username: 'bo', name: 'bo', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-token',
    trigger_id: 'trig',
    container: { type: 'message', channel_id: 'C1', message_ts: '1500.000100', is_ephemeral: false },
    channel: { id: 'C1', name: 'data-eng' },
    message: { type: 'message', ts: '1500.000100', text: 'orders_silver: CPU-bound', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'old diagnosis' } }], ...message },
    response_url: 'https://hooks.slack.com/actions/T1/1/xyz',
    actions: [{ type: 'button', action_id: actionId, block_id: 'dlt_diagnosis_actions', text: { type: 'plain_text', text: 'x' }, ...(value === undefined ? {} : { value }), action_ts: `1500.${200 + clicks}` }],
  };
}

/** All text of a call's blocks and fallback, for "contains" assertions. */
export function textOf(call: ApiCall | undefined): string {
  if (!call) return '';
  return `${String(call.params.text ?? '')}\n${JSON.stringify(call.params.blocks ?? [])}`;
}
