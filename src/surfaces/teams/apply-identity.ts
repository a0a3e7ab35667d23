/**
 * The identity a Teams activity gives apply (src/apply/allow-list.ts): the user's Entra object id
 * (from.aadObjectId — never from.id, a per-bot Teams id that a Slack id could imitate), the tenant
 * it names (channelData.tenant.id and conversation.tenantId; if they disagree, none) and the Bot
 * Framework channel (channelId, 'msteams' for Teams). See
 * https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/conversation-messages
 */
import type { TeamsIdentity } from '../../apply/apply-service.js';
import { activityTenants } from './routes.js';

interface ActivityLike {
  from?: { aadObjectId?: string | undefined } | undefined;
  channelId?: string | undefined;
  channelData?: unknown;
  conversation?: { tenantId?: string | undefined } | undefined;
}

export function teamsIdentityOf(activity: ActivityLike): TeamsIdentity {
  const tenants = [...new Set(activityTenants({ channelData: activity.channelData, conversation: activity.conversation } as Record<string, unknown>))];
  return {
    aadObjectId: typeof activity.from?.aadObjectId === 'string' && activity.from.aadObjectId ? activity.from.aadObjectId : null,
    tenantId: tenants.length === 1 ? tenants[0]! : null,
    channelId: typeof activity.channelId === 'string' ? activity.channelId : null,
  };
}
