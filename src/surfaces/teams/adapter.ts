/**
 * The CloudAdapter of the Microsoft 365 Agents SDK (@microsoft/agents-hosting, the maintained
 * successor of botbuilder's CloudAdapter). New Azure Bot registrations must be SingleTenant
 * (https://learn.microsoft.com/azure/bot-service/bot-service-quickstart-registration), so the app
 * id and tenant id come from TEAMS_APP_ID / TEAMS_TENANT_ID, with one credential: a client secret
 * (TEAMS_APP_PASSWORD → AuthType.ClientSecret) or a certificate (TEAMS_CERT_PEM_FILE and
 * TEAMS_CERT_KEY_FILE → AuthType.Certificate with the SDK's certPemFile / certKeyFile). The SDK's
 * MsalTokenProvider reads those files only when it first needs a token, not at construction.
 *
 * With no app id the adapter runs in test mode: the SDK's JWT middleware lets requests without an
 * Authorization header through as "anonymous" (only when NODE_ENV is not "production"; in
 * production it still answers 401) and replies go to the activity's serviceUrl without a token —
 * what the Bot Framework Emulator and our HTTP-level tests use.
 *
 * With an app id, three checks the SDK ships switched off are on (@microsoft/agents-hosting 1.8.1):
 *  - issuer: `validateIssuer` with `issuers` = the Bot Framework issuer plus the Entra v1 and v2
 *    issuers of each allowed tenant (TEAMS_TENANT_ID and TEAMS_ALLOWED_TENANT_IDS), the list the
 *    SDK's own `getDefaultIssuers` builds for one tenant (src/auth/settings.ts); the JWT middleware
 *    (src/auth/jwt-middleware.ts `validateIssuer`) then refuses a signature-valid token issued by any
 *    other tenant (Entra signing keys are shared across tenants) with 401.
 *  - serviceUrl: `CloudAdapterOptions.validateServiceUrl` — an activity whose `serviceUrl` host is not
 *    the token's `serviceurl` claim is refused with 400 before any reply (src/cloudAdapter.ts).
 *  - outbound hosts: the SDK's `OutboundHostValidator` (src/outboundHostValidator.ts) limited to the
 *    Bot Connector hosts Teams uses (TEAMS_SERVICE_HOSTS; not the SDK's wider default list, which
 *    also has blob.core.windows.net and sharepoint.com), so even a token without a `serviceurl` claim
 *    cannot make the bot send its access token to, or store a conversation reference for, another host.
 * routes.ts adds what the SDK lacks: the activity's own tenant must be on the allow-list, and a
 * `serviceUrl` off the claim's host is refused with 403 before the SDK sees it (`refuse`).
 */
import { AuthType, CloudAdapter, createOutboundHostValidator, type AuthConfiguration } from '@microsoft/agents-hosting';
import type { JwtPayload } from 'jsonwebtoken';
import { toAdaptiveCard } from '../../../templates/cards/index.js';
import { redactDeep } from '../../redact.js';
import { cardMessage } from './messages.js';
import type { TeamsLogger } from './types.js';

export interface TeamsAuth {
  appId: string;
  /** the client secret; null when the app authenticates with a certificate */
  appPassword: string | null;
  /** paths of the certificate and its private key (never their content); used when there is no password */
  certificate?: { pemFile: string; keyFile: string } | null;
  /** the Entra tenant of a SingleTenant registration; null only for legacy MultiTenant bots */
  tenantId: string | null;
  /** further Entra tenants whose users may talk to the bot (TEAMS_ALLOWED_TENANT_IDS); tenantId is always allowed */
  extraTenantIds?: readonly string[];
}

/** The tenants whose tokens and activities are accepted: TEAMS_TENANT_ID first, then the extras, lower-cased, no repeats. */
export function allowedTenants(auth: TeamsAuth | null): string[] {
  if (!auth) return [];
  return [...new Set([auth.tenantId, ...(auth.extraTenantIds ?? [])].filter((t): t is string => Boolean(t)).map((t) => t.toLowerCase()))];
}

/** The SDK's getDefaultIssuers(tenant, public cloud) for every allowed tenant, with the Bot Framework issuer once. */
export function allowedIssuers(tenants: readonly string[]): string[] {
  return ['https://api.botframework.com', ...tenants.flatMap((t) => [`https://sts.windows.net/${t}/`, `https://login.microsoftonline.com/${t}/v2.0`])];
}

/**
 * Host suffixes a Teams activity's serviceUrl may have: the Bot Connector of the public cloud
 * (https://smba.trafficmanager.net/<region>/), of GCC (smba.infra.gcc.teams.microsoft.com) and of
 * GCC High / DoD (smba.infra.gov|dod.teams.microsoft.us), and Bot Framework channels (botframework.com).
 */
export const TEAMS_SERVICE_HOSTS = ['smba.trafficmanager.net', 'teams.microsoft.com', 'teams.microsoft.us', 'botframework.com'] as const;

export interface TeamsAdapter {
  adapter: CloudAdapter;
  testMode: boolean;
  /** what continueConversation needs as the bot identity: the app id, or an empty identity in test mode */
  identity: string | JwtPayload;
  /** lower-cased tenant ids an activity may come from; empty in test mode (no check) */
  tenants: string[];
}

export function authConfiguration(auth: TeamsAuth | null): AuthConfiguration {
  if (!auth || !auth.appId) return {};
  const config: AuthConfiguration = auth.appPassword
    ? { clientId: auth.appId, clientSecret: auth.appPassword, authType: AuthType.ClientSecret }
    : auth.certificate
      ? { clientId: auth.appId, certPemFile: auth.certificate.pemFile, certKeyFile: auth.certificate.keyFile, authType: AuthType.Certificate }
      : { clientId: auth.appId, clientSecret: '', authType: AuthType.ClientSecret };
  if (auth.tenantId) config.tenantId = auth.tenantId;
  config.validateIssuer = true;
  config.issuers = allowedIssuers(allowedTenants(auth));
  return config;
}

export function createTeamsAdapter(auth: TeamsAuth | null, logger: TeamsLogger): TeamsAdapter {
  const testMode = !auth || !auth.appId;
  const adapter = testMode
    ? new CloudAdapter(authConfiguration(auth))
    : new CloudAdapter(authConfiguration(auth), undefined, undefined, { validateServiceUrl: true }, createOutboundHostValidator({ enabled: true, includeDefaultMicrosoftHosts: false, hosts: [...TEAMS_SERVICE_HOSTS] }));
  // outward redaction (src/redact.ts): every activity sent or updated, whichever turn or proactive
  // post made it (bot.ts, proactive.ts, onTurnError below), leaves with its text and cards redacted
  const sendActivities = adapter.sendActivities.bind(adapter);
  adapter.sendActivities = (context, activities) => sendActivities(context, redactDeep(activities));
  const updateActivity = adapter.updateActivity.bind(adapter);
  adapter.updateActivity = (context, activity) => updateActivity(context, redactDeep(activity));
  // the SDK's default onTurnError posts "please fix the source code" to the user; ours logs and apologises
  adapter.onTurnError = async (context, error) => {
    logger.error(`Teams turn failed (${context.activity.type}): ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    try {
      await context.sendActivity(cardMessage(toAdaptiveCard({
        kind: 'error',
        code: 'INTERNAL',
        message: 'Something went wrong while handling this message. The details were logged for the operator.',
        hint: 'Try again in a minute; if it keeps failing, ask whoever runs dlt-doctor to check its log.',
        suggestions: [],
        usage: null,
      })));
    } catch {
      // the connector itself may be what failed; the log line above is all we can do
    }
  };
  // continueConversation needs a truthy identity; one without `aud` means "no token" (test mode)
  return { adapter, testMode, identity: testMode ? {} : auth.appId, tenants: testMode ? [] : allowedTenants(auth) };
}
