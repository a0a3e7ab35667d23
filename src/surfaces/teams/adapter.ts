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
 */
import { AuthType, CloudAdapter, type AuthConfiguration } from '@microsoft/agents-hosting';
import type { JwtPayload } from 'jsonwebtoken';
import { toAdaptiveCard } from '../../../templates/cards/index.js';
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
}

export interface TeamsAdapter {
  adapter: CloudAdapter;
  testMode: boolean;
  /** what continueConversation needs as the bot identity: the app id, or an empty identity in test mode */
  identity: string | JwtPayload;
}

export function authConfiguration(auth: TeamsAuth | null): AuthConfiguration {
  if (!auth || !auth.appId) return {};
  const config: AuthConfiguration = auth.appPassword
    ? { clientId: auth.appId, clientSecret: auth.appPassword, authType: AuthType.ClientSecret }
    : auth.certificate
      ? { clientId: auth.appId, certPemFile: auth.certificate.pemFile, certKeyFile: auth.certificate.keyFile, authType: AuthType.Certificate }
      : { clientId: auth.appId, clientSecret: '', authType: AuthType.ClientSecret };
  if (auth.tenantId) config.tenantId = auth.tenantId;
  return config;
}

export function createTeamsAdapter(auth: TeamsAuth | null, logger: TeamsLogger): TeamsAdapter {
  const testMode = !auth || !auth.appId;
  const adapter = new CloudAdapter(authConfiguration(auth));
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
  return { adapter, testMode, identity: testMode ? {} : auth.appId };
}
