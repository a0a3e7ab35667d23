/**
 * The local console: the Slack surface's own Bolt app (createSlackApp) driven by a ConsoleReceiver
 * and answering into a FakeSlackApi, plus the HTTP routes of the page:
 *   GET  /                      the page
 *   GET  /console/app.js|app.css|render.js   static files (plain JS, no build step, offline)
 *   GET  /console/events        server-sent events: every message posted, updated or deleted
 *   GET  /console/state         channels with their messages
 *   GET  /console/files/<id>    uploaded files (the diagnosis chart)
 *   POST /console/command       {channel, text}  → a /dlt slash command, as Slack sends it
 *   POST /console/action        {channel, message_ts, action_id, value?} → a button click
 *   POST /console/view_submission {view_id}  → the modal's submit button (a view_submission)
 *   POST /console/view_closed   {view_id}    → the modal's close button (view_closed if the view asked for it)
 * The console has no logic of its own: what it shows is what the bot posts in Slack.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { runCommandText } from '../../../commands/index.js';
import type { Source } from '../../source.js';
import { createSlackApp, type SlackApp } from '../slack/app.js';
import type { RunCommand, SlackLogger } from '../slack/deps.js';
import type { WebClient } from '../slack/publish.js';
import { createConsolePersistence } from '../../store/console-messages.js';
import type { Db } from '../../store/db.js';
import { BOT_USER_ID, CONSOLE_USER_ID, createFakeSlackApi, type ConsoleChannel, type FakeSlackApi } from './fake-slack-api.js';
import { ConsoleReceiver, ConsoleRequestError } from './receiver.js';
import { redactDeep } from '../../redact.js';

const PUBLIC_DIR = new URL('./public/', import.meta.url);
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/console/render.js': { file: 'render.js', type: 'text/javascript; charset=utf-8' },
  '/console/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};
const MAX_BODY = 64 * 1024;
const POSTS = new Set(['/console/command', '/console/action', '/console/view_submission', '/console/view_closed']);
const HEARTBEAT_MS = 20_000;

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const commandBody = z.object({ channel: z.string().min(1).max(100), text: z.string().max(4000) }).strict();
const actionBody = z
  .object({ channel: z.string().min(1).max(100), message_ts: z.string().min(1).max(40), action_id: z.string().min(1).max(255), value: z.string().max(2000).optional(), block_id: z.string().max(255).optional() })
  .strict();
const viewBody = z.object({ view_id: z.string().min(1).max(40) }).strict();

export interface ConsoleOptions {
  /** where evidence comes from: the demo workspace, a live workspace or a bundle */
  source: Source;
  /** the command layer; runCommandText unless a test fakes it */
  run?: RunCommand;
  channels?: readonly ConsoleChannel[];
  /** upload the diagnosis chart, as the Slack surface does (default true) */
  charts?: boolean;
  /** the bot's database (src/store/db.ts): the console keeps its messages there across restarts; absent: memory only */
  db?: Db;
  /** spacing of posts per channel; Slack's is 1000 ms, the console's default is 250 ms so progress stays visible */
  postIntervalMs?: number;
  logger?: SlackLogger;
  now?: () => Date;
}

export interface ConsoleSurface {
  api: FakeSlackApi;
  receiver: ConsoleReceiver;
  slack: SlackApp;
  /** the Web API client bound to the console: digests and alert threads post through it */
  client: WebClient;
  /** the node:http handler of the console routes */
  handler: ConsoleRequestHandler;
  /** waits for running commands and ends the event streams */
  close(): Promise<void>;
}

export type ConsoleRequestHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<void>) & {
  /** true for the paths the console serves (the main server routes the rest elsewhere) */
  matches(pathname: string): boolean;
  /** ends open event streams (server shutdown) */
  closeStreams(): void;
};

const quiet: SlackLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (...m) => console.warn('[console]', ...m),
  error: (...m) => console.error('[console]', ...m),
};

/** Builds the console: fake Slack, receiver, the Slack surface's Bolt app, and the routes. */
export function createConsole(options: ConsoleOptions): ConsoleSurface {
  const logger = options.logger ?? quiet;
  const api = createFakeSlackApi({
    ...(options.channels ? { channels: options.channels } : {}),
    // the bot's database: channels and threads survive a restart
    ...(options.db ? { persistence: createConsolePersistence(options.db), onPersistenceError: (err: unknown) => logger.warn(`console: keeping a message failed: ${err instanceof Error ? err.message : String(err)}`) } : {}),
  });
  const receiver = new ConsoleReceiver({ api, onError: (err) => logger.error(`console event failed: ${err instanceof Error ? err.message : String(err)}`) });
  const slack = createSlackApp({
    config: { botToken: 'xoxb-console', charts: options.charts ?? true, postIntervalMs: options.postIntervalMs ?? 250 },
    run: options.run ?? runCommandText,
    source: options.source,
    logger,
    receiver,
    tokenVerificationEnabled: false,
    clientOptions: { fetch: api.fetch, retryConfig: { retries: 0 } },
    ...(options.now ? { now: options.now } : {}),
  });
  const handler = createConsoleRoutes({ api, receiver });
  return {
    api,
    receiver,
    slack,
    client: slack.app.client,
    handler,
    async close() {
      handler.closeStreams();
      await receiver.stop();
    },
  };
}

/** every JSON answer, like every SSE event below, is redacted on its way out (src/redact.ts) */
function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(redactDeep(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS, ...headers });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  // JSON only: a cross-site form post cannot send it without a CORS preflight, which we never allow
  if (!type.toLowerCase().startsWith('application/json')) throw new ConsoleRequestError(415, 'Send JSON (content-type: application/json).');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ConsoleRequestError(413, 'The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new ConsoleRequestError(400, `Bad JSON: ${err instanceof Error ? err.message : 'cannot parse the body'}.`);
  }
}

function validate<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new ConsoleRequestError(400, `Bad request: ${r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}.`);
  return r.data;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * DNS rebinding: a page on attacker.example whose name is made to resolve to 127.0.0.1 is
 * "same-origin" with itself, so Origin checks pass; its requests still carry `Host: attacker.example`.
 * The console answers only the loopback names it is served under, with the port it listens on
 * (the socket's own local port). Anything else is 421 Misdirected Request (RFC 9110 §15.5.20).
 */
export function servedHost(req: IncomingMessage): boolean {
  const host = req.headers.host;
  if (!host) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(host.trim().toLowerCase());
  if (!m || !LOOPBACK_NAMES.has(m[1]!)) return false;
  const local = req.socket.localPort;
  if (local === undefined) return true;
  return m[2] === undefined ? local === 80 : Number(m[2]) === local;
}

/** The page's token: returned by /console/state, required on every state-changing request. */
function tokenMatches(req: IncomingMessage, token: Buffer): boolean {
  const sent = req.headers['x-console-token'];
  if (typeof sent !== 'string') return false;
  const got = Buffer.from(sent, 'utf8');
  return got.length === token.length && timingSafeEqual(got, token);
}

/** A browser on another site may not drive the console: same-origin requests (or none, e.g. curl) only. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function createConsoleRoutes(deps: { api: FakeSlackApi; receiver: ConsoleReceiver }): ConsoleRequestHandler {
  const { api, receiver } = deps;
  const streams = new Set<ServerResponse>();
  // one token per console instance, handed to the page by /console/state (readable only same-origin
  // from a loopback Host), sent back as x-console-token on every POST
  const tokenText = randomBytes(24).toString('base64url');
  const token = Buffer.from(tokenText, 'utf8');

  function state() {
    return {
      user: CONSOLE_USER_ID,
      users: { [CONSOLE_USER_ID]: 'you', [BOT_USER_ID]: 'dlt-doctor' },
      channels: api.listChannels().map((c) => ({ ...c, messages: api.history(c.id) })),
      views: api.openViews(CONSOLE_USER_ID),
      token: tokenText,
    };
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', ...SECURITY_HEADERS });
    res.write('retry: 2000\nevent: hello\ndata: {}\n\n');
    const off = api.onChange((change) => res.write(`event: change\ndata: ${JSON.stringify(redactDeep(change))}\n\n`));
    const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    beat.unref?.();
    streams.add(res);
    const end = () => {
      off();
      clearInterval(beat);
      streams.delete(res);
    };
    req.on('close', end);
    res.on('close', end);
  }

  async function dispatch(res: ServerResponse, d: { acked: Promise<void> }): Promise<void> {
    await d.acked;
    send(res, 200, { ok: true });
  }

  const handler = (async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://console.local');
    const path = url.pathname;
    try {
      if (!servedHost(req)) return send(res, 421, { error: 'The console answers only on localhost, 127.0.0.1 or [::1] with its own port.' });
      if (req.method === 'GET' || req.method === 'HEAD') {
        const file = STATIC[path];
        if (file) {
          const body = await readFile(new URL(file.file, PUBLIC_DIR));
          res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache', ...SECURITY_HEADERS });
          res.end(req.method === 'HEAD' ? undefined : body);
          return;
        }
        if (path === '/console/state') return send(res, 200, state());
        if (path === '/console/events') return events(req, res);
        const fileMatch = /^\/console\/files\/([A-Za-z0-9_-]+)$/.exec(path);
        if (fileMatch) {
          const f = api.file(fileMatch[1]!);
          if (!f) return send(res, 404, { error: 'No such file.' });
          res.writeHead(200, { 'content-type': f.mimetype, 'content-length': String(f.bytes.length), 'cache-control': 'private, max-age=3600', ...SECURITY_HEADERS });
          res.end(req.method === 'HEAD' ? undefined : f.bytes);
          return;
        }
        return send(res, 404, { error: `Nothing at ${path}.` });
      }
      if (req.method === 'POST' && POSTS.has(path)) {
        if (!sameOrigin(req)) return send(res, 403, { error: 'Requests from other sites are refused.' });
        if (!tokenMatches(req, token)) return send(res, 403, { error: 'Missing or wrong console token: reload the page.' });
        const body = await readJson(req);
        if (path === '/console/command') {
          const c = validate(commandBody, body);
          return await dispatch(res, receiver.slashCommand(c.channel, c.text.trim()));
        }
        if (path === '/console/view_submission') {
          const v = validate(viewBody, body);
          const r = await receiver.viewSubmission(v.view_id);
          return send(res, 200, { ok: true, closed: r.closed, ...(r.errors ? { errors: r.errors } : {}) });
        }
        if (path === '/console/view_closed') {
          const v = validate(viewBody, body);
          await receiver.viewClosed(v.view_id);
          return send(res, 200, { ok: true, closed: true });
        }
        const a = validate(actionBody, body);
        return await dispatch(res, receiver.action(a.channel, a.message_ts, a.action_id, { ...(a.value !== undefined ? { value: a.value } : {}), ...(a.block_id !== undefined ? { blockId: a.block_id } : {}) }));
      }
      return send(res, 405, { error: `${req.method} ${path} is not supported.` }, { allow: 'GET, POST' });
    } catch (err) {
      if (err instanceof ConsoleRequestError) return send(res, err.status, { error: err.message });
      // no stack traces to the page
      quiet.error(`console request ${req.method} ${path} failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) send(res, 500, { error: 'The console failed to handle that request.' });
      else res.end();
    }
  }) as ConsoleRequestHandler;

  handler.matches = (pathname: string) => pathname in STATIC || pathname.startsWith('/console/');
  handler.closeStreams = () => {
    for (const res of streams) res.end();
    streams.clear();
  };
  return handler;
}

export interface StartConsoleOptions extends ConsoleOptions {
  /** 0 picks a free port */
  port?: number;
  /** default 127.0.0.1: the console has no login, so it listens on this machine only */
  host?: string;
}

export interface RunningConsole extends ConsoleSurface {
  server: Server;
  url: string;
}

/** Starts the console on its own HTTP server (src/main.ts may mount `handler` on the shared one instead). */
export async function startConsole(options: StartConsoleOptions): Promise<RunningConsole> {
  const surface = createConsole(options);
  const server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    void surface.handler(req, res);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    ...surface,
    server,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    async close() {
      await surface.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
