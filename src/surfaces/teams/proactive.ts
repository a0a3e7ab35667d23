/**
 * Proactive messages (digests, alerts) to a stored conversation reference, through
 * adapter.continueConversation (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages).
 * A reply into a channel thread (alert follow-ups) uses the channel conversation id with
 * ";messageid=<root activity id>", which is how Teams addresses a reply chain. An alert's root card
 * is edited in place (recovered, muted, fix applied) with updateActivity inside continueConversation
 * (PUT /v3/conversations/{id}/activities/{activityId}).
 */
import type { CloudAdapter, TurnContext } from '@microsoft/agents-hosting';
import type { ConversationReference } from '@microsoft/agents-activity';
import type { JwtPayload } from 'jsonwebtoken';
import { DoctorError } from '../../errors.js';
import type { TeamsConversationStore, TeamsReference } from '../../store/teams-conversations.js';
import type { AdaptiveCard } from '../../../templates/cards/index.js';
import { cardMessage } from './messages.js';

export interface ProactiveOptions {
  /** post as a reply in the thread of this root message (a channel alert's first post) */
  threadRootId?: string | null;
}

export interface ProactiveResult {
  /** the id of the posted message (keep it as the thread root of an alert) */
  activityId: string | null;
  conversationId: string;
}

export type SendProactive = (target: TeamsReference | string, card: AdaptiveCard, options?: ProactiveOptions) => Promise<ProactiveResult>;

/** The reference to post with: the stored one, or its thread when `threadRootId` is given. */
export function threadReference(ref: TeamsReference, threadRootId?: string | null): TeamsReference {
  const channelId = ref.conversation.id.split(';messageid=')[0]!;
  const id = threadRootId ? `${channelId};messageid=${threadRootId}` : channelId;
  const copy: TeamsReference = { ...ref, conversation: { ...ref.conversation, id } };
  delete copy.activityId;
  return copy;
}

/** Replaces the card of a message the bot posted (`activityId`) in a stored conversation. */
export type UpdateProactive = (target: TeamsReference | string, activityId: string, card: AdaptiveCard) => Promise<void>;

interface ProactiveDeps {
  adapter: CloudAdapter;
  identity: string | JwtPayload;
  store: TeamsConversationStore | null;
}

async function referenceOf(o: ProactiveDeps, target: TeamsReference | string): Promise<TeamsReference> {
  if (typeof target !== 'string') return target;
  const stored = await o.store?.get(target.split(';messageid=')[0]!);
  if (!stored) throw new DoctorError('CONFIG', `No Teams conversation ${target} is known: add the bot to that team or chat first.`);
  return stored.reference;
}

export function createUpdateProactive(o: ProactiveDeps): UpdateProactive {
  return async (target, activityId, card) => {
    const reference = threadReference(await referenceOf(o, target));
    await o.adapter.continueConversation(o.identity, reference as unknown as ConversationReference, async (context) => {
      const message = cardMessage(card);
      message.id = activityId;
      await context.updateActivity(message);
    });
  };
}

export function createSendProactive(o: ProactiveDeps): SendProactive {
  return async (target, card, options = {}) => {
    const ref = await referenceOf(o, target);
    const reference = threadReference(ref, options.threadRootId);
    let activityId: string | null = null;
    await o.adapter.continueConversation(o.identity, reference as unknown as ConversationReference, async (context) => {
      // the SDK gives the continuation activity a random id and would send a reply to it
      // (POST …/activities/{random}); a proactive post is a new activity in the conversation (or thread)
      context.onSendActivities(async (_ctx, activities, next) => {
        for (const a of activities) delete a.replyToId;
        return next();
      });
      const sent = await context.sendActivity(cardMessage(card));
      activityId = sent?.id || null;
    });
    return { activityId, conversationId: reference.conversation.id };
  };
}

/**
 * Runs `fn` in a new turn of the conversation an incoming activity came from (its reference, kept
 * as is: a channel thread stays that thread). The bot answers /api/messages at once and finishes a
 * slow command here, because the Bot Connector retries a request not answered within ~15 s
 * (https://learn.microsoft.com/azure/bot-service/bot-builder-howto-long-operations-guidance).
 */
export type ContinueIn = (reference: ConversationReference, fn: (context: TurnContext) => Promise<void>) => Promise<void>;

export function createContinueIn(o: Pick<ProactiveDeps, 'adapter' | 'identity'>): ContinueIn {
  return async (reference, fn) => {
    await o.adapter.continueConversation(o.identity, reference, fn);
  };
}
