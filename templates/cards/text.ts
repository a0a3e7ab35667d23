/** Adaptive Card for a plain text Reply. */
import type { Reply } from '../../commands/types.js';
import { card, plain } from './format.js';
import type { AdaptiveCard } from './types.js';

export type TextReply = Extract<Reply, { kind: 'text' }>;

export function toAdaptiveCard(reply: TextReply): AdaptiveCard {
  return card([plain(reply.text)], reply.text);
}
