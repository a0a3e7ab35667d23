/** Adaptive Card → a message activity (attachment + fallback text for notifications). */
import { CardFactory, MessageFactory } from '@microsoft/agents-hosting';
import type { AdaptiveCard } from '../../../templates/cards/index.js';

export type MessageActivity = ReturnType<typeof MessageFactory.attachment>;

export function cardMessage(card: AdaptiveCard): MessageActivity {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  // Teams shows `summary` in notifications and the activity feed when the message is a card
  if (card.fallbackText) activity.summary = card.fallbackText.split('\n')[0]!.slice(0, 200);
  return activity;
}
