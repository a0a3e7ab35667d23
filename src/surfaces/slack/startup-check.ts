/**
 * Start-up checks of the Slack credentials, so a bad token is one plain line and an exit code
 * before "running" is printed, not an unhandled rejection (and its stack trace) a few seconds after.
 *
 * - The bot token (single workspace): `auth.test` once, without retries. Slack answers `ok: false`
 *   with `invalid_auth` (a wrong or malformed token), `not_authed` (none sent), `token_revoked`
 *   (the app was uninstalled or the token revoked) or `account_inactive` (a deleted workspace or
 *   bot user) (https://docs.slack.dev/reference/methods/auth.test/). Its bot and user ids are handed
 *   to Bolt (`botId`/`botUserId`), which then does not call auth.test a second time: Bolt's own
 *   call starts in the App constructor and its rejection is handled by nobody until the first event
 *   (bolt-js src/App.ts singleAuthorization / runAuthTestForBotToken), which is what crashed.
 * - The app-level token (Socket Mode): the Socket Mode client's `apps.connections.open` rejects
 *   `app.start()` on `invalid_auth`, `not_authed`, `account_inactive` and on any request or HTTP
 *   error (@slack/socket-mode SocketModeClient.retrieveWSSURL, UnrecoverableSocketModeStartError);
 *   main.ts turns that rejection into the same kind of line through `slackStartupError`.
 */
import { webApi } from '@slack/bolt';

/**
 * `dlt-doctor start` exit codes for Slack at start (README "Install in Slack", docs/slack.md), apart
 * from 1 (a crash) and 2 (a configuration error): 5 Slack refused a token, 6 Slack was not reachable.
 */
export const STARTUP_EXIT = { tokenRejected: 5, unreachable: 6 } as const;

/** A start-up failure told in one line; the CLI prints `message` and exits with `exitCode`. */
export class StartupError extends Error {
  constructor(
    message: string,
    /** STARTUP_EXIT.tokenRejected or STARTUP_EXIT.unreachable */
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

const DEFAULT_API_URL = 'https://slack.com/api/';

/** What Slack's error code means for the operator, and what to do. */
const PLATFORM_HINTS: Record<string, string> = {
  invalid_auth: 'reinstall the app or fix the token',
  not_authed: 'the token is empty: set it',
  token_revoked: 'the app was uninstalled or the token revoked: reinstall the app and copy the new token',
  account_inactive: 'the workspace or the bot user was deleted or deactivated: reinstall the app in an active workspace',
  team_disabled: 'the workspace is disabled',
  user_removed_from_team: 'the bot user was removed from the workspace: reinstall the app',
  missing_scope: 'the token lacks a scope the manifest asks for: reinstall the app',
};

interface SlackErrorShape {
  code?: unknown;
  data?: { error?: unknown };
  statusCode?: unknown;
  original?: { message?: unknown; code?: unknown; cause?: { code?: unknown; message?: unknown } };
}

/**
 * The one line for a failed Slack call at start. `what` names the setting that holds the token
 * ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"); no token, URL query or stack is in the message.
 */
export function slackStartupError(err: unknown, what: string, apiUrl: string | null = null): StartupError {
  const e = (err ?? {}) as SlackErrorShape;
  const where = apiUrl ?? DEFAULT_API_URL;
  if (e.code === webApi.ErrorCode.PlatformError) {
    const code = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
    return new StartupError(`Slack rejected ${what} (${code}): ${PLATFORM_HINTS[code] ?? 'check the token and the app installation'}.`, STARTUP_EXIT.tokenRejected);
  }
  if (e.code === webApi.ErrorCode.HTTPError) {
    return new StartupError(`Slack answered HTTP ${String(e.statusCode)} at ${where} while checking ${what}: try again later, or check SLACK_API_URL and any proxy.`, STARTUP_EXIT.unreachable);
  }
  if (e.code === webApi.ErrorCode.RequestError) {
    const o = e.original;
    // the native fetch's TypeError('fetch failed') carries the socket error (ECONNREFUSED, ENOTFOUND…) as its cause
    const message = typeof o?.message === 'string' && o.message && !o.message.startsWith('[object') ? o.message.split('\n')[0] : 'request failed';
    const reason = [o?.cause?.code, o?.code].find((c) => typeof c === 'string') ?? message;
    return new StartupError(`Slack could not be reached at ${where} (${String(reason)}) while checking ${what}: check the network, the proxy and SLACK_API_URL, then start again.`, STARTUP_EXIT.unreachable);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new StartupError(`Slack could not be reached at ${where} while checking ${what} (${message.split('\n')[0]}).`, STARTUP_EXIT.unreachable);
}

export interface BotIdentity {
  botId: string;
  botUserId: string;
  teamId: string | null;
}

/**
 * `auth.test` with the bot token: its identity, or a StartupError. One attempt (no retries) with a
 * 10 s timeout, so an unreachable Slack fails the start quickly.
 */
export async function checkBotToken(token: string, options: { apiUrl?: string | null; fetch?: typeof globalThis.fetch } = {}): Promise<BotIdentity> {
  const client = new webApi.WebClient(token, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    retryConfig: { retries: 0 },
    timeout: 10_000,
    // its own warnings would repeat the one line the caller prints
    logLevel: webApi.LogLevel.ERROR,
  });
  let res: webApi.AuthTestResponse;
  try {
    res = await client.auth.test();
  } catch (err) {
    throw slackStartupError(err, 'SLACK_BOT_TOKEN', options.apiUrl ?? null);
  }
  if (!res.bot_id || !res.user_id) {
    throw new StartupError('SLACK_BOT_TOKEN is not a bot token (auth.test returned no bot id): copy the Bot User OAuth Token (xoxb-…) from Install App.', STARTUP_EXIT.tokenRejected);
  }
  return { botId: res.bot_id, botUserId: res.user_id, teamId: res.team_id ?? null };
}
