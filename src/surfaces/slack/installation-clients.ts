/**
 * The Slack Web API client a proactive post (alert, digest, its recovery lookup, "did it help",
 * "Applied by …", refusals, edits of an alert's parent) uses, by the installation its row recorded.
 *
 * - Single-token mode (SLACK_BOT_TOKEN, and the local console): the app's client, whatever the row says.
 * - OAuth (several workspaces): Bolt's App has no token of its own then (the token comes from
 *   `authorize` per request), so a post outside a request would get `not_authed`. The token is the
 *   installation's bot token from the installation store, found the way Bolt's authorize finds it:
 *   `fetchInstallation({ teamId, enterpriseId, isEnterpriseInstall })` → `installation.bot.token`
 *   (@slack/oauth InstallProvider.authorize). A row from before installations were recorded uses
 *   the sole installation when exactly one is stored.
 *
 * No installation (uninstalled, or taken off SLACK_ALLOWED_TEAM_IDS) is a SlackInstallationUnavailable
 * with an actionable message; so is a Slack answer saying the token is no longer good (not_authed,
 * invalid_auth, token_revoked, account_inactive): callers log it and keep the row for a retry.
 * Not handled: token rotation (a stored bot.refreshToken is not refreshed here; Bolt refreshes it on
 * the next request from that workspace).
 */
import { webApi } from '@slack/bolt';
import { slackInstallationKey, type SlackInstallationRef, type SlackInstallationStore } from '../../store/slack-installations.js';

type WebClient = webApi.WebClient;

export class SlackInstallationUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackInstallationUnavailable';
  }
}

export interface SlackClients {
  readonly mode: 'token' | 'oauth';
  /** the client that posts for this installation; throws SlackInstallationUnavailable when there is no token for it */
  clientFor(ref: SlackInstallationRef | null | undefined): Promise<WebClient>;
}

/** One token for every row (SLACK_BOT_TOKEN, the console's fake Slack API). */
export function singleTokenClients(client: WebClient): SlackClients {
  return { mode: 'token', clientFor: async () => client };
}

const describeRef = (ref: SlackInstallationRef | null | undefined) =>
  ref?.isEnterpriseInstall && ref.enterpriseId ? `Enterprise Grid org ${ref.enterpriseId}` : ref?.teamId ? `workspace ${ref.teamId}` : 'an unknown workspace';

const REINSTALL = 'reinstall dlt-doctor there (/slack/install) or remove the subscription or watch; it is kept and retried';

export interface InstallationClientsOptions {
  store: Pick<SlackInstallationStore, 'fetchInstallation' | 'sole'>;
  /** options of each per-installation WebClient (the App's: rejectRateLimitedCalls, retries; tests: slackApiUrl) */
  clientOptions?: webApi.WebClientOptions;
}

/** OAuth: a WebClient per installation, with that installation's bot token. */
export function installationClients(o: InstallationClientsOptions): SlackClients {
  const clients = new Map<string, WebClient>();
  return {
    mode: 'oauth',
    async clientFor(recorded) {
      const ref = slackInstallationKey(recorded) ? recorded! : await o.store.sole();
      if (!ref) {
        throw new SlackInstallationUnavailable(
          'This subscription or watch was made before dlt-doctor recorded Slack workspaces and several are installed: run the command (`/dlt digest subscribe …` or `/dlt alerts on …`) again in that channel, then remove the old one.',
        );
      }
      let token: string | undefined;
      try {
        const installation = await o.store.fetchInstallation({ teamId: ref.teamId ?? undefined, enterpriseId: ref.enterpriseId ?? undefined, isEnterpriseInstall: ref.isEnterpriseInstall });
        token = installation.bot?.token;
      } catch (err) {
        throw new SlackInstallationUnavailable(`No Slack installation for ${describeRef(ref)} (${err instanceof Error ? err.message : String(err)}): ${REINSTALL}.`);
      }
      if (!token) throw new SlackInstallationUnavailable(`The Slack installation for ${describeRef(ref)} has no bot token: ${REINSTALL}.`);
      let client = clients.get(token);
      if (!client) {
        client = new webApi.WebClient(token, { rejectRateLimitedCalls: true, retryConfig: { retries: 2, factor: 2 }, ...o.clientOptions });
        clients.set(token, client);
      }
      return client;
    },
  };
}

/**
 * Slack's answers that mean the token no longer works there (the Web API's common errors,
 * https://docs.slack.dev/reference/methods/chat.postMessage#errors; e.g. token_revoked:
 * "Authentication token is for a deleted user or workspace or the app has been removed",
 * account_inactive: "for a deleted user or workspace").
 */
const AUTH_ERRORS = new Set(['not_authed', 'invalid_auth', 'token_revoked', 'token_expired', 'account_inactive', 'team_access_not_granted']);

/** `err` as a SlackInstallationUnavailable when Slack refused the token, else `err` itself. */
export function explainSlackAuthError(err: unknown, ref: SlackInstallationRef | null | undefined): unknown {
  const code = (err as { data?: { error?: unknown } } | null)?.data?.error;
  if (typeof code === 'string' && AUTH_ERRORS.has(code)) {
    return new SlackInstallationUnavailable(`Slack refused dlt-doctor's token for ${describeRef(ref)} (${code}): it was uninstalled or its token revoked; ${REINSTALL}.`);
  }
  return err;
}
