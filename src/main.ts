/**
 * `npm start`: wires configuration, the source (live workspace or demo), the SQLite store, the
 * surfaces and the schedulers, on ONE HTTP server (PORT):
 *   /healthz            liveness
 *   /slack/events       Slack (HTTP mode; Bolt's receiver owns the server and mounts the rest as custom routes)
 *   /                   the local chat console, when no chat platform is configured
 * Configuration errors are reported once, in plain words, and the process exits 1.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from './config.js';
import { openSource, type OpenedSource } from './sources.js';
import { openDb, type Db } from './store/db.js';
import { createSlackApp, type SlackApp } from './surfaces/slack/app.js';
import { createConsole, type ConsoleSurface } from './surfaces/console/server.js';
import { runCommandText } from '../commands/index.js';
import { createLogger, secretsOf, variadic, type Logger } from './log.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
interface Route {
  method: string;
  path: string;
  handler: RouteHandler;
}

export interface RunningBot {
  config: Config;
  opened: OpenedSource;
  db: Db;
  url: string;
  surfaces: string[];
  slack: SlackApp | null;
  console: ConsoleSurface | null;
  logger: Logger;
  close(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  /** overrides PORT (0 = any free port; tests) */
  port?: number;
  log?: (line: string) => void;
  /** structured logger (JSON lines, redacted); default: one at LOG_LEVEL over stdout/stderr. The config's secrets are registered on it. */
  logger?: Logger;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function healthz(opened: () => OpenedSource | null): Route {
  return {
    method: 'GET',
    path: '/healthz',
    handler: (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, source: opened()?.source.kind ?? 'starting' }));
    },
  };
}

function safe(handler: RouteHandler): RouteHandler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'internal error' }));
    }
  };
}

async function listen(server: Server, port: number, host?: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

export async function startBot(options: StartOptions = {}): Promise<RunningBot> {
  const rawLog = options.log ?? ((line: string) => console.log(line));
  const loaded = loadConfig(options.env ?? process.env);
  if (!loaded.ok) throw new ConfigError(loaded.errors);
  const config = loaded.config;
  // every secret of the config is redacted from every log line (src/log.ts)
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  logger.addSecrets(secretsOf(config));
  const log = (line: string) => rawLog(logger.redact(line));
  const port = options.port ?? config.port;

  const opened = await openSource(config);
  const db = openDb(config.dbPath);
  const routes: Route[] = [healthz(() => opened)];
  const surfaces: string[] = [];
  const closers: (() => Promise<void>)[] = [];

  let slack: SlackApp | null = null;
  let consoleSurface: ConsoleSurface | null = null;
  let url: string;

  if (config.slack) {
    slack = createSlackApp({
      config: config.slack,
      run: runCommandText,
      source: opened.source,
      store: db,
      logger: variadic(logger.child({ surface: 'slack' })),
      customRoutes: routes.map((r) => ({ path: r.path, method: r.method, handler: safe(r.handler) })),
    });
    if (slack.mode.receiver === 'socket') {
      await slack.app.start();
      surfaces.push('Slack (Socket Mode)');
    } else {
      await slack.app.start(port);
      surfaces.push('Slack (HTTP: /slack/events)');
    }
    closers.push(() => slack!.app.stop() as Promise<void>);
  }

  // Our own server whenever Bolt does not own one (no Slack, or Slack over Socket Mode).
  if (!slack || slack.mode.receiver === 'socket') {
    const chatConfigured = Boolean(config.slack || config.teams);
    if (!chatConfigured) {
      consoleSurface = createConsole({ source: opened.source, logger: variadic(logger.child({ surface: 'console' })) });
      surfaces.push('local console');
      closers.push(() => consoleSurface!.close());
    }
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const route = routes.find((r) => r.path === path && r.method === req.method);
      if (route) return void safe(route.handler)(req, res);
      if (consoleSurface) return void consoleSurface.handler(req, res);
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'not found' }));
    });
    // the console has no login: listen on loopback only when it is the surface
    const bound = await listen(server, port, consoleSurface ? '127.0.0.1' : undefined);
    url = `http://localhost:${bound}`;
    closers.push(async () => {
      consoleSurface?.handler.closeStreams();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    });
  } else {
    url = `http://localhost:${port}`;
  }

  log(`dlt-doctor is running on the ${opened.describe}`);
  if (consoleSurface) {
    log(`Open ${url} : pick #data-eng, type /dlt why-slow orders_silver, then click "Show all fixes" (press ? for help).`);
  }
  log(`Surfaces: ${surfaces.join(', ')}. Health: ${url}/healthz`);

  return {
    config,
    opened,
    db,
    url,
    surfaces,
    slack,
    console: consoleSurface,
    logger,
    async close() {
      for (const c of closers.reverse()) await c().catch(() => undefined);
      await opened.close().catch(() => undefined);
      db.close();
    },
  };
}
