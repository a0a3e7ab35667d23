/** Block Kit for a plain text Reply (long text is cut into sections by splitForSlack). */
import type { Reply } from '../../commands/types.js';
import type { SlackPayload } from './types.js';
import { esc, fallbackText, section } from './format.js';

export type TextReply = Extract<Reply, { kind: 'text' }>;

export function renderText(reply: TextReply): SlackPayload {
  return { text: fallbackText(reply.text) || ' ', blocks: [section(esc(reply.text) || ' ')] };
}
