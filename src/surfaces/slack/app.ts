/**
 * Builds the Bolt app for the Slack surface.
 * - Receiver: Socket Mode when `socketMode` (needs the xapp- app token), else the HTTP receiver on
 *   /slack/events with signature verification (signing secret) and replay protection
 *   (replay-guard.ts: a second use of a signature, or a timestamp in the future, is refused); tests
 *   pass their own receiver.
 * - Socket Mode with OAuth: Bolt's SocketModeReceiver would serve /slack/install and
 *   /slack/oauth_redirect on a second HTTP server of its own, on `installerOptions.port` or a
 *   hard-wired 3000 — the main server's default PORT (bolt-js src/receivers/SocketModeReceiver.ts:
 *   `this.httpServerPort = installerOptions.port === undefined ? 3000 : installerOptions.port`,
 *   listened in `start()` without an error handler). Instead `OneServerSocketModeReceiver` keeps its
 *   installer (the public `installer`, an @slack/oauth InstallProvider, which also authorizes each
 *   event from the installation store) and never listens; the two pages are `installRoutes`, which
 *   main.ts mounts on its one HTTP server (PORT) beside /healthz.
 * - Auth: one workspace with a bot token, or multi-workspace OAuth (client id/secret + state
 *   secret) with /slack/install, /slack/oauth_redirect and the installation store in SQLite,
 *   limited to the teams in SLACK_ALLOWED_TEAM_IDS (a warning at start when that list is empty).
 * - Web API client: rejectRateLimitedCalls so a 429 reaches our per-channel PostQueue instead of
 *   pausing the whole client (@slack/web-api pauses its queue for Retry-After by default).
 */
import { App, HTTPReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { AppOptions, CustomRoute, Receiver } from '@slack/bolt';
import { z } from 'zod';
import { DoctorError } from '../../errors.js';
import { createLogger, variadic } from '../../log.js';
import type { Source } from '../../source.js';
import type { Db } from '../../store/db.js';
import type { SqlDb } from '../../store/sql/types.js';
import { createSlackInstallationStore } from '../../store/slack-installations.js';
import type { RunCommand, SlackDeps, SlackLogger } from './deps.js';
import { registerActions } from './listeners/actions.js';
import { registerCommands } from './listeners/commands.js';
import { PostQueue } from './post-queue.js';
import { guardSlackReplays } from './replay-guard.js';
import { createSeenKeyStore } from '../../store/seen-keys.js';
import { asSqlDb } from '../../store/sql/sqlite.js';
import { SLACK_BOT_SCOPES } from './scopes.js';
import { redactSlackCalls } from './redact.js';

type BoltApp = InstanceType<typeof App>;

/**
 * The Slack part of the app config. Accepts `Config['slack']` of src/config.ts as is (nulls, an
 * `oauth` object) as well as flat optional fields.
 */
export const slackConfigSchema = z
  .object({
    /** SLACK_BOT_TOKEN: single-workspace mode */
    botToken: z.string().startsWith('xoxb-').nullish(),
    /** SLACK_SIGNING_SECRET: verifies HTTP requests */
    signingSecret: z.string().min(1).nullish(),
    /** SLACK_SOCKET_MODE=true with SLACK_APP_TOKEN (xapp-…) */
    socketMode: z.boolean().default(false),
    appToken: z.string().startsWith('xapp-').nullish(),
    /** SLACK_CLIENT_ID / SLACK_CLIENT_SECRET / SLACK_STATE_SECRET: multi-workspace OAuth */
    clientId: z.string().min(1).nullish(),
    clientSecret: z.string().min(1).nullish(),
    stateSecret: z.string().min(1).nullish(),
    oauth: z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1), stateSecret: z.string().min(1), allowedTeamIds: z.array(z.string().min(1)).optional() }).nullish(),
    /** SLACK_ALLOWED_TEAM_IDS: the Slack teams / enterprises that may install and use the app (OAuth); empty = any */
    allowedTeamIds: z.array(z.string().min(1)).optional(),
    /** SLACK_API_URL: the Web API base URL (GovSlack, or a local fake in tests); default Slack's */
    apiUrl: z.string().url().nullish(),
    /** post the phase/duration chart under each diagnosis */
    charts: z.boolean().default(true),
    /** spacing of posts in one channel (Slack: ~1 message per second per channel) */
    postIntervalMs: z.number().int().min(0).default(1000),
  })
  .transform((c) => ({
    botToken: c.botToken ?? undefined,
    signingSecret: c.signingSecret ?? undefined,
    socketMode: c.socketMode,
    appToken: c.appToken ?? undefined,
    clientId: c.oauth?.clientId ?? c.clientId ?? undefined,
    clientSecret: c.oauth?.clientSecret ?? c.clientSecret ?? undefined,
    stateSecret: c.oauth?.stateSecret ?? c.stateSecret ?? undefined,
    allowedTeamIds: c.oauth?.allowedTeamIds ?? c.allowedTeamIds ?? [],
    apiUrl: c.apiUrl ?? undefined,
    charts: c.charts,
    postIntervalMs: c.postIntervalMs,
  }));
export type SlackConfig = z.infer<typeof slackConfigSchema>;

export interface CreateSlackAppOptions {
  config: z.input<typeof slackConfigSchema>;
  run: RunCommand;
  source: Source;
  /** SQLite database; required for multi-workspace OAuth (installation store) */
  store?: SqlDb | Db | null;
  logger?: SlackLogger;
  /** tests: a fake receiver (app.processEvent) */
  receiver?: Receiver;
  /** tests: fetch, retryConfig; merged over the defaults */
  clientOptions?: AppOptions['clientOptions'];
  /** extra HTTP routes on the same server (health check, other surfaces) */
  customRoutes?: CustomRoute[];
  now?: () => Date;
  /** default true; tests turn it off */
  tokenVerificationEnabled?: boolean;
  /**
   * The bot's ids from the start-up auth.test (startup-check.ts): Bolt then skips its own auth.test,
   * whose rejection nothing would handle (single workspace only).
   */
  identity?: { botId: string; botUserId: string };
}

export interface SlackApp {
  app: BoltApp;
  deps: SlackDeps;
  mode: { receiver: 'http' | 'socket' | 'custom'; auth: 'token' | 'oauth' };
  /**
   * Socket Mode with OAuth: GET /slack/install and /slack/oauth_redirect, for the caller's HTTP
   * server (main.ts mounts them on PORT). Empty otherwise (over HTTP Bolt's receiver serves them).
   */
  installRoutes: CustomRoute[];
}

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_URI_PATH = '/slack/oauth_redirect';

/**
 * A SocketModeReceiver that never opens its own HTTP server: `start`/`stop` only connect and
 * disconnect the WebSocket client (the public `client`). Its installer stays, for
 * `installRoutes` and for Bolt's authorize (App uses `receiver.installer.authorize`).
 */
class OneServerSocketModeReceiver extends SocketModeReceiver {
  override start() {
    return this.client.start();
  }
  override async stop(): Promise<void> {
    await this.client.disconnect();
  }
}

function installRoutesOf(receiver: SocketModeReceiver): CustomRoute[] {
  const installer = receiver.installer;
  if (!installer) return [];
  return [
    // Bolt's receivers call the same two InstallProvider methods (bolt-js SocketModeReceiver/HTTPReceiver)
    // async: a rejection reaches main.ts's safe() (a 500), not the process as an unhandled rejection
    { path: INSTALL_PATH, method: 'GET', handler: async (req, res) => installer.handleInstallPath(req, res, undefined, { scopes: [...SLACK_BOT_SCOPES] }) },
    { path: REDIRECT_URI_PATH, method: 'GET', handler: async (req, res) => installer.handleCallback(req, res) },
  ];
}

/** default: JSON lines with token-shaped strings redacted (src/log.ts); main passes one with the config's secrets registered */
const consoleLogger: SlackLogger = variadic(createLogger({ fields: { surface: 'slack' } }));

/** Bolt wants its own Logger interface (level and name setters); ours only logs. */
function boltLogger(logger: SlackLogger): NonNullable<AppOptions['logger']> {
  let level = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => logger.debug(...m),
    info: (...m: unknown[]) => logger.info(...m),
    warn: (...m: unknown[]) => logger.warn(...m),
    error: (...m: unknown[]) => logger.error(...m),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

export function createSlackApp(options: CreateSlackAppOptions): SlackApp {
  const parsed = slackConfigSchema.safeParse(options.config);
  if (!parsed.success) {
    throw new DoctorError('CONFIG', `Slack settings are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const config = parsed.data;
  const logger = options.logger ?? consoleLogger;
  const oauth = Boolean(config.clientId && config.clientSecret && config.stateSecret);
  if (!oauth && !config.botToken) {
    throw new DoctorError('CONFIG', 'Slack needs SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (OAuth install).');
  }
  if (oauth && config.botToken) {
    throw new DoctorError('CONFIG', 'Set either SLACK_BOT_TOKEN or the OAuth settings (SLACK_CLIENT_ID/SECRET/STATE_SECRET), not both.');
  }
  if (oauth && !options.store) throw new DoctorError('CONFIG', 'Multi-workspace OAuth needs the SQLite store for installations.');
  if (oauth && config.allowedTeamIds.length === 0) {
    logger.warn('SLACK_ALLOWED_TEAM_IDS is empty: ANY Slack workspace that opens /slack/install can install dlt-doctor and query the configured Databricks workspace. Set it to your team id(s) (T…) or Enterprise Grid id (E…), comma-separated (docs/security.md).');
  }
  if (config.socketMode && !config.appToken) throw new DoctorError('CONFIG', 'SLACK_SOCKET_MODE=true needs SLACK_APP_TOKEN (xapp-…, scope connections:write).');
  if (!options.receiver && !config.socketMode && !config.signingSecret) {
    throw new DoctorError('CONFIG', 'The HTTP receiver needs SLACK_SIGNING_SECRET (or set SLACK_SOCKET_MODE=true).');
  }

  const appOptions: AppOptions = {
    logger: boltLogger(logger),
    tokenVerificationEnabled: options.tokenVerificationEnabled ?? true,
    clientOptions: { rejectRateLimitedCalls: true, retryConfig: { retries: 2, factor: 2 }, ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}), ...options.clientOptions },
  };

  if (oauth) {
    Object.assign(appOptions, {
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      stateSecret: config.stateSecret,
      scopes: [...SLACK_BOT_SCOPES],
      installationStore: createSlackInstallationStore(options.store!, undefined, { allowedTeamIds: config.allowedTeamIds }),
      installerOptions: { installPath: INSTALL_PATH, redirectUriPath: REDIRECT_URI_PATH, directInstall: true },
    } satisfies Partial<AppOptions>);
  } else {
    appOptions.token = config.botToken;
    if (options.identity) Object.assign(appOptions, { botId: options.identity.botId, botUserId: options.identity.botUserId });
  }

  let receiverMode: SlackApp['mode']['receiver'];
  let installRoutes: CustomRoute[] = [];
  if (options.receiver) {
    appOptions.receiver = options.receiver;
    receiverMode = 'custom';
  } else if (config.socketMode) {
    // until the first connection, a failed apps.connections.open is the start's own one-line error
    // (main.ts, startup-check.ts): the socket client's error log of it goes to debug, not beside it
    let connected = false;
    const base = appOptions.logger!;
    const socketLogger: typeof base = { ...base, error: (...m: unknown[]) => (connected ? base.error(...m) : base.debug(...m)) };
    const receiver = new OneServerSocketModeReceiver({
      appToken: config.appToken!,
      logger: socketLogger,
      // the socket client's own WebClient (apps.connections.open): same base URL and retries
      installerOptions: { clientOptions: appOptions.clientOptions, ...(oauth ? { installPath: INSTALL_PATH, redirectUriPath: REDIRECT_URI_PATH, directInstall: true } : {}) },
      ...(oauth
        ? { clientId: config.clientId, clientSecret: config.clientSecret, stateSecret: config.stateSecret, scopes: [...SLACK_BOT_SCOPES], installationStore: appOptions.installationStore }
        : {}),
    });
    appOptions.socketMode = true;
    appOptions.receiver = receiver;
    installRoutes = installRoutesOf(receiver);
    receiver.client.once('connected', () => {
      connected = true;
    });
    receiverMode = 'socket';
    if (oauth) {
      // the receiver owns the installer, as over HTTP below
      delete appOptions.clientId;
      delete appOptions.clientSecret;
      delete appOptions.stateSecret;
      delete appOptions.installerOptions;
    }
  } else {
    appOptions.receiver = new HTTPReceiver({
      signingSecret: config.signingSecret!,
      endpoints: '/slack/events',
      logger: appOptions.logger,
      ...(options.customRoutes ? { customRoutes: options.customRoutes } : {}),
      ...(oauth
        ? {
            clientId: config.clientId,
            clientSecret: config.clientSecret,
            stateSecret: config.stateSecret,
            scopes: [...SLACK_BOT_SCOPES],
            installationStore: appOptions.installationStore,
            installerOptions: { installPath: INSTALL_PATH, redirectUriPath: REDIRECT_URI_PATH, directInstall: true },
          }
        : {}),
    });
    receiverMode = 'http';
    // Bolt checks signatures against the real clock; so does the guard
    // with the store, a replay sent to another replica is refused too (src/store/seen-keys.ts)
    const shared = options.store ? createSeenKeyStore(asSqlDb(options.store), { scope: 'slack-signature', ttlMs: 600_000 }) : undefined;
    guardSlackReplays(appOptions.receiver as HTTPReceiver, { signingSecret: config.signingSecret!, logger, ...(shared ? { shared } : {}) });
    if (oauth) {
      // the receiver owns the installer; the App only needs the store to authorize
      delete appOptions.clientId;
      delete appOptions.clientSecret;
      delete appOptions.stateSecret;
      delete appOptions.installerOptions;
    }
  }

  // every Web API call's arguments are redacted (src/surfaces/slack/redact.ts)
  redactSlackCalls();
  const app = new App(appOptions);
  const deps: SlackDeps = {
    run: options.run,
    source: options.source,
    queue: new PostQueue({ intervalMs: config.postIntervalMs, onRateLimited: (ch, s) => logger.warn(`rate limited in ${ch}; retrying in ${s}s`) }),
    logger,
    charts: config.charts,
    now: options.now ?? (() => new Date()),
  };
  registerCommands(app, deps);
  registerActions(app, deps);
  app.error(async (err) => {
    logger.error(`unhandled Slack error: ${err.message}`);
  });
  return { app, deps, mode: { receiver: receiverMode, auth: oauth ? 'oauth' : 'token' }, installRoutes };
}
