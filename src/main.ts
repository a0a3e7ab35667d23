/**
 * `npm start`: wires configuration, the source (live workspace or demo), the SQLite store, the
 * surfaces and the schedulers, on ONE HTTP server (PORT):
 *   /healthz            liveness
 *   /slack/events       Slack (HTTP mode; Bolt's receiver owns the server and mounts the rest as custom routes)
 *   /                   the local chat console, when no chat platform is configured
 * Configuration errors are reported once, in plain words, and the process exits 2. A Slack token
 * that Slack refuses, or a Slack that cannot be reached, is checked before anything is started or
 * "running" printed (src/surfaces/slack/startup-check.ts): one line and exit 5 (token refused) or 6 (Slack unreachable).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { loadConfig, type Config } from './config.js';
import { openSource, type OpenedSource } from './sources.js';
import { openDb } from './store/db.js';
import { describePostgres, openStore, type OpenedStore } from './store/open.js';
import type { SqlDb } from './store/sql/types.js';
import { createSlackApp, type SlackApp } from './surfaces/slack/app.js';
import { createConsole, type ConsoleSurface } from './surfaces/console/server.js';
import { runCommandText } from '../commands/index.js';
import type { CommandContext, Reply } from '../commands/types.js';
import { startAlerts, type Alerts } from './schedule/alerts.js';
import { startLeadership, type Leadership } from './schedule/leader.js';
import { createLease } from './store/lease.js';
import { DEFAULT_THRESHOLDS } from './store/alerts.js';
import { teamsAlertThreads } from './schedule/teams-alert-poster.js';
import { createDigestScheduler, digestBuilder, type DigestScheduler } from './schedule/digest-scheduler.js';
import { slackDigestDelivery } from './schedule/digest-post.js';
import { createSlackInstallationStore } from './store/slack-installations.js';
import { installationClients, singleTokenClients, type SlackClients } from './surfaces/slack/installation-clients.js';
import { createSubscriptionStore } from './store/subscriptions.js';
import { createTeamsSurface, type TeamsSurface } from './surfaces/teams/index.js';
import { CONSOLE_USER_ID } from './surfaces/console/fake-slack-api.js';
import { toAdaptiveCard } from '../templates/cards/index.js';
import { DoctorError } from './errors.js';
import { uploadDigestChart } from './surfaces/slack/chart.js';
import { createExperimentService, type ExperimentService } from './experiment/service.js';
import { parseScratchTarget } from './experiment/clone-spec.js';
import { createExperimentStore } from './store/experiments.js';
import { registerExperimentActions } from './surfaces/slack/listeners/experiments.js';
import { createLogger, variadic, type Logger } from './log.js';
import { redactionSecretsOf, registerSecrets } from './redact.js';
import { checkBotToken, slackStartupError, StartupError, STARTUP_EXIT, type BotIdentity } from './surfaces/slack/startup-check.js';

export { StartupError };

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
interface Route {
  method: string;
  path: string;
  handler: RouteHandler;
}

export interface RunningBot {
  config: Config;
  opened: OpenedSource;
  /** the state database (SQLite or PostgreSQL) */
  db: SqlDb;
  store: OpenedStore;
  url: string;
  surfaces: string[];
  slack: SlackApp | null;
  console: ConsoleSurface | null;
  teams: TeamsSurface | null;
  alerts: Alerts;
  digests: DigestScheduler;
  /** the scheduler lease: whether this process runs digests and alert polling */
  leadership: Leadership;
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

function healthz(opened: () => OpenedSource | null, leader: () => boolean | null, database: () => Promise<boolean>): Route {
  return {
    method: 'GET',
    path: '/healthz',
    handler: async (_req, res) => {
      // scheduler: whether this process holds the scheduler lease (runs digests and alert polling);
      // database: whether the state database answers (503 when it does not: a load balancer or
      // Kubernetes then routes around this replica)
      const l = leader();
      const reachable = await database().catch(() => false);
      res.writeHead(reachable ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: reachable, source: opened()?.source.kind ?? 'starting', scheduler: l === null ? 'starting' : l ? 'leader' : 'follower', database: reachable ? 'reachable' : 'unreachable' }));
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
  // every secret of the config (and the Basic credentials built from them) is redacted from every
  // log line (src/log.ts) and from everything a surface sends out (src/redact.ts)
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const secrets = redactionSecretsOf(config);
  logger.addSecrets(secrets);
  registerSecrets(secrets);
  const log = (line: string) => rawLog(logger.redact(line));
  const port = options.port ?? config.port;

  // a refused or unreachable Slack fails here, in one line, before anything else is opened
  let slackIdentity: BotIdentity | undefined;
  if (config.slack?.botToken && !config.slack.oauth) slackIdentity = await checkBotToken(config.slack.botToken, { apiUrl: config.slack.apiUrl });

  // the state database first: an unreachable PostgreSQL fails here, in one line, before any server starts
  const store = await openStore({ databaseUrl: config.databaseUrl, dbPath: config.dbPath, application: `dlt-doctor ${hostname()}:${process.pid}` }).catch((err: unknown) => {
    throw new StartupError(
      config.databaseUrl
        ? `The state database could not be opened (DATABASE_URL: ${describePostgres(config.databaseUrl)}): ${logger.redact(err instanceof Error ? err.message : String(err))}. Check that the server is reachable from here, the user, password and database name, and sslmode.`
        : `The state database ${config.dbPath} could not be opened: ${err instanceof Error ? err.message : String(err)}. Check DLT_DOCTOR_DB and that its directory is writable.`,
      STARTUP_EXIT.unreachable,
    );
  });
  const db = store.sql;
  let opened: OpenedSource;
  try {
    opened = await openSource(config);
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  let leadership: Leadership | null = null;
  const routes: Route[] = [healthz(() => opened, () => leadership?.isLeader ?? null, () => db.ping())];
  const surfaces: string[] = [];
  const closers: (() => Promise<void>)[] = [];

  let slack: SlackApp | null = null;
  let consoleSurface: ConsoleSurface | null = null;
  let teams: TeamsSurface | null = null;
  let url: string;

  /** the Bolt app that posts to Slack-like channels: Slack itself, or the console's */
  const chatApp = (): SlackApp | null => slack ?? consoleSurface?.slack ?? null;
  /**
   * The Web API clients proactive posts use. OAuth (several workspaces): the App's own client has no
   * token, so each post uses the bot token of the installation its row recorded (the same store,
   * with the same SLACK_ALLOWED_TEAM_IDS, that Bolt's authorize reads). One token / the console: the App's client.
   */
  let clients: SlackClients | null = null;
  const slackClients = (): SlackClients | null => {
    if (clients) return clients;
    const chat = chatApp();
    if (!chat) return null;
    clients =
      chat.mode.auth === 'oauth'
        ? installationClients({ store: createSlackInstallationStore(db, undefined, { allowedTeamIds: config.slack?.oauth?.allowedTeamIds ?? [] }) })
        : singleTokenClients(chat.app.client);
    return clients;
  };
  const slackDigests = () => {
    const chat = chatApp();
    const c = slackClients();
    if (!chat || !c) return null;
    return slackDigestDelivery({
      clients: c,
      queue: chat.deps.queue,
      ...(chat.deps.charts ? { uploadChart: uploadDigestChart } : {}),
      logger,
    });
  };

  // Alerts and digests are created once a chat client exists; commands reach them through `run`.
  let alerts: Alerts | null = null;
  // benchmarks and A/B tests (issue 18): the apply allow-list decides who may run them
  const experimentLog = variadic(logger.child({ surface: 'experiments' }));
  const experiments: ExperimentService = createExperimentService({
    rest: opened.rest,
    source: opened.source,
    store: createExperimentStore(db),
    canRun: (actor) => Boolean(actor && alerts?.apply.canApply(actor)),
    appliedChanges: async () => (await alerts?.store.appliedChanges()) ?? [],
    scratch: parseScratchTarget(config.scratchSchema),
    // the demo's updates end in about 2 s of wall time: poll it often
    ...(opened.demo ? { pollMs: 250, progressEveryMs: 1000, settle: opened.demo.settled } : {}),
    logger: experimentLog,
  });
  const digests: DigestScheduler = createDigestScheduler({
    store: createSubscriptionStore(db),
    build: digestBuilder(async () => {
      if (!opened.source.costBackend) {
        throw new DoctorError('SOURCE_UNAVAILABLE', 'Digests need a SQL warehouse (DATABRICKS_WAREHOUSE_HTTP_PATH): cost comes from system.billing.');
      }
      return opened.source.costBackend();
    },
    // the changes dlt-doctor applied (the apply audit): no opportunity undoes one (src/digest/applied.ts)
    async () => (await alerts?.store.appliedChanges()) ?? []),
    post: async (sub, reply, meta) => {
      if (sub.surface === 'teams') {
        if (!teams) throw new DoctorError('CONFIG', 'A Teams digest is due but Teams is not configured.');
        const r = await teams.sendProactive(sub.channel, toAdaptiveCard(reply));
        return { ts: r.activityId ?? null };
      }
      const delivery = slackDigests();
      if (!delivery) throw new DoctorError('CONFIG', 'A Slack digest is due but Slack is not configured.');
      return delivery.post(sub, reply, meta);
    },
    // runs recovered at start only; Teams has no cheap read-back, so it stays at-least-once there (docs/digest.md)
    findPosted: async (sub, periodKey, since) => {
      const delivery = slackDigests();
      if (sub.surface === 'teams' || !delivery) return null;
      return delivery.findPosted(sub, periodKey, since);
    },
    // a failed digest (e.g. no token for its Slack workspace any more) is a warning, with the reason
    log: (message, meta) => (meta && 'error' in meta ? logger.warn(message, meta) : logger.info(message, meta)),
  });
  const run = (text: string, ctx: CommandContext): Promise<Reply> =>
    runCommandText(text, { ...ctx, subscriptions: digests, experiments, ...(alerts ? { alerts: alerts.api } : {}) });

  if (config.teams) {
    teams = createTeamsSurface({
      config: config.teams,
      db,
      source: opened.source,
      run,
      logger: variadic(logger.child({ surface: 'teams' })),
      // the apply service belongs to the alerts service, created below
      apply: { confirm: (...a) => alerts!.apply.confirm(...a), auditInvalid: (...a) => alerts!.apply.auditInvalid(...a) },
      // benchmarks and A/B tests: Start / Cancel on their cards (src/surfaces/teams/experiments.ts)
      experiments,
    });
    routes.push({ method: 'POST', path: '/api/messages', handler: teams.handler });
    surfaces.push('Teams (/api/messages)');
  }
  // Databricks notification webhooks; the handler itself answers 401/503 without a valid secret
  routes.push({ method: 'POST', path: '/hooks/databricks', handler: (req, res) => alerts!.webhook(req, res) });

  if (config.slack) {
    slack = createSlackApp({
      config: config.slack,
      run,
      source: opened.source,
      store: db,
      logger: variadic(logger.child({ surface: 'slack' })),
      customRoutes: routes.map((r) => ({ path: r.path, method: r.method, handler: safe(r.handler) })),
      ...(slackIdentity ? { identity: slackIdentity } : {}),
    });
    // Socket Mode with OAuth: the install pages on our one server below (PORT), not on a second one
    for (const r of slack.installRoutes) routes.push({ method: String(r.method), path: r.path, handler: r.handler as RouteHandler });
  }
  if (!config.slack && !config.teams) {
    // the console's history stays in the SQLite file even when the state is in PostgreSQL (src/store/open.ts)
    const consoleDb = store.sqlite ?? openDb(config.dbPath);
    if (!store.sqlite) closers.push(async () => void consoleDb.close());
    consoleSurface = createConsole({ source: opened.source, run, db: consoleDb, logger: variadic(logger.child({ surface: 'console' })) });
    surfaces.push('local console');
    closers.push(() => consoleSurface!.close());
  }
  const chat = chatApp();
  alerts = startAlerts({
    db,
    source: opened.source,
    rest: opened.rest,
    // each watch posts where it was made: Slack/console channels through Slack, Teams channels as cards
    ...(chat ? { slack: { client: slackClients()!, queue: chat.deps.queue } } : {}),
    ...(teams ? { posters: { teams: teamsAlertThreads(teams) } } : {}),
    // the console has no login and listens on loopback only: its one user is the operator (a Slack-API id)
    config: {
      webhookSecret: config.webhookSecret,
      applyAllowedUsers: consoleSurface ? [...config.applyAllowedUsers, `slack:${CONSOLE_USER_ID}`] : config.applyAllowedUsers,
      // a teams: allow-list entry counts only for an activity from one of these tenants (src/apply/allow-list.ts)
      teamsTenants: config.teams ? [config.teams.tenantId, ...(config.teams.extraTenantIds ?? [])].filter((t): t is string => Boolean(t)) : [],
    },
    logger: { info: (...m: unknown[]) => logger.info(m.map(String).join(' ')), warn: (...m: unknown[]) => logger.warn(m.map(String).join(' ')), error: (...m: unknown[]) => logger.error(m.map(String).join(' ')) },
    // polling starts when this process holds the scheduler lease (below)
    start: false,
    intervalMs: config.alertPollMs,
  });
  if (chat) alerts.registerSlack(chat.app);
  if (chat) registerExperimentActions(chat.app, { experiments, charts: Boolean(chat.deps.charts), logger: experimentLog });
  // clones a process that died left behind (recorded in the store) are deleted now and every 5 min:
  // a process restarted within the heartbeat's 10 min finds its predecessor's experiment still
  // fresh at start, so the sweep repeats (a live process elsewhere renews its heartbeat every poll)
  const sweep = () =>
    void experiments.cleanupOrphans().then(
      (r) => r.deleted.length + r.experiments.length > 0 && logger.info(`experiments: ${r.experiments.length} interrupted, ${r.deleted.length} clone(s) deleted${r.left.length ? `, ${r.left.length} left (tried again)` : ''}`),
      (err: unknown) => logger.warn(`experiments: cleaning up earlier clones failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  sweep();
  const sweeper = setInterval(sweep, 5 * 60_000);
  sweeper.unref();
  closers.push(async () => clearInterval(sweeper));
  // a graceful stop cancels this process's experiments and waits (bounded) for their clones to go
  closers.push(async () => {
    for (const e of await experiments.running()) await experiments.cancel(e.id, { userId: 'shutdown', actor: null, internal: true }).catch(() => undefined);
    await Promise.race([experiments.drain(), new Promise((r) => setTimeout(r, 20_000).unref())]);
  });
  if (consoleSurface && opened.demo && (await alerts.store.watches()).length === 0) {
    // First start of the demo console: watch every pipeline in #pipeline-alerts, so alert threads
    // arrive by themselves (`/dlt alerts off *` there stops it).
    await alerts.store.watch({ channel: 'C_PIPELINE_ALERTS', pipelineId: '*', pipelineName: '*', createdBy: null, createdAt: Date.now(), ...DEFAULT_THRESHOLDS });
  }
  closers.push(async () => alerts!.stop());
  // Scheduled work (digest schedules and their recovery, alert polling, apply reconciliation) runs in one process at a
  // time: the holder of the store's scheduler lease (src/schedule/leader.ts). Every process serves
  // requests. The lease is released at close; a crashed holder's lease expires after DLT_DOCTOR_SCHEDULER_LEASE_SECONDS (60 s).
  leadership = await startLeadership({
    lease: createLease(db, { name: 'scheduler', holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, ttlMs: config.schedulerLeaseMs }),
    renewEveryMs: Math.max(1000, Math.floor(config.schedulerLeaseMs / 4)),
    async onAcquire() {
      await digests.start();
      alerts!.poller.start();
      void alerts!.startReconciling();
      if (consoleSurface) {
        // a first poll right away, not after the first interval
        setTimeout(() => void alerts!.poller.pollOnce().catch(() => undefined), 1500).unref();
      }
    },
    async onLose() {
      alerts!.poller.stop();
      alerts!.stopReconciling();
      digests.stop();
      await digests.idle();
    },
    whileLeader: () => digests.sync(),
    log: (m) => logger.info(m),
  });
  closers.push(() => leadership!.stop());

  let boundPort = port;
  if (slack) {
    if (slack.mode.receiver === 'socket') {
      try {
        await slack.app.start();
      } catch (err) {
        // apps.connections.open refused the app token, or Slack was unreachable: one line, not a stack
        await slack.app.stop().catch(() => undefined);
        // close what is already open (schedulers, the source's servers, the db) so the process can exit
        for (const c of [...closers].reverse()) await c().catch(() => undefined);
        await opened.close().catch(() => undefined);
        await store.close().catch(() => undefined);
        throw slackStartupError(err, 'SLACK_APP_TOKEN', config.slack?.apiUrl ?? null);
      }
      surfaces.push(slack.installRoutes.length ? 'Slack (Socket Mode; install pages on /slack/install)' : 'Slack (Socket Mode)');
    } else {
      const server: unknown = await slack.app.start(port);
      // PORT=0 (tests, several replicas on one host): the port the receiver was given
      const address = server && typeof (server as Server).address === 'function' ? (server as Server).address() : null;
      boundPort = address && typeof address === 'object' ? address.port : port;
      surfaces.push('Slack (HTTP: /slack/events)');
    }
    closers.push(() => slack!.app.stop() as Promise<void>);
  }

  // Our own server whenever Bolt does not own one (no Slack, or Slack over Socket Mode).
  if (!slack || slack.mode.receiver === 'socket') {
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
    url = `http://localhost:${boundPort}`;
  }

  log(`dlt-doctor is running on the ${opened.describe}`);
  if (consoleSurface) {
    log(`Open ${url} : pick #data-eng, type /dlt why-slow orders_silver, then click "Details and all fixes" (press ? for help).`);
  }
  log(`Surfaces: ${surfaces.join(', ')}. State: ${store.describe}. Health: ${url}/healthz`);

  return {
    config,
    opened,
    db,
    store,
    url,
    surfaces,
    slack,
    console: consoleSurface,
    teams,
    alerts,
    digests,
    leadership,
    logger,
    async close() {
      for (const c of closers.reverse()) await c().catch(() => undefined);
      await opened.close().catch(() => undefined);
      await store.close().catch(() => undefined);
    },
  };
}
