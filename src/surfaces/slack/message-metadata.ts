/**
 * Finding a message the bot posted by its Slack message metadata
 * (https://docs.slack.dev/messaging/message-metadata/): chat.postMessage's `metadata`
 * ({ event_type, event_payload }), read back by conversations.history with include_all_metadata
 * (https://docs.slack.dev/reference/methods/conversations.history/). A post interrupted by a
 * crash (Slack accepted it, the process died before recording the ts) is found this way instead
 * of being posted twice: digests (digest-post.ts) and alert parents (alert-poster.ts).
 *
 * Reading history needs `channels:history` / `groups:history` and, for a bot token, membership of
 * the channel; when the read fails this throws and the caller decides (post again: at-least-once).
 */
import type { webApi } from '@slack/bolt';
import { z } from 'zod';

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, string | number | boolean>;
}

// the edge: what conversations.history answers (only the fields read here)
const historyPage = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string(),
        metadata: z.object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).optional() }).optional(),
      }),
    )
    .default([]),
  has_more: z.boolean().optional(),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

/** Pages read at most (100 messages each); a channel busier than that since `since` is not searched further. */
const MAX_PAGES = 20;

/** every key of `wanted.event_payload` has the same value (compared as strings: Slack may echo numbers as numbers or strings) */
const matches = (m: { event_type: string; event_payload?: Record<string, unknown> | undefined }, wanted: MessageMetadata) =>
  m.event_type === wanted.event_type && Object.entries(wanted.event_payload).every(([k, v]) => String(m.event_payload?.[k]) === String(v));

/**
 * The ts of the top-level message with this metadata posted in `channel` since `since`, or null when
 * there is none. Throws when the history cannot be read (missing scope, not in channel, too long).
 */
export async function findMessageByMetadata(client: webApi.WebClient, channel: string, metadata: MessageMetadata, since: Date, what = 'message'): Promise<string | null> {
  // an unreadable `since` reads from the newest message back (bounded by MAX_PAGES), never skips the check
  const oldest = Number.isFinite(since.getTime()) ? { oldest: (Math.max(0, since.getTime()) / 1000).toFixed(6) } : {};
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const raw = await client.conversations.history({ channel, ...oldest, include_all_metadata: true, limit: 100, ...(cursor ? { cursor } : {}) });
    const parsed = historyPage.safeParse(raw);
    if (!parsed.success) throw new Error('conversations.history returned an unexpected answer');
    const hit = parsed.data.messages.find((m) => m.metadata !== undefined && matches(m.metadata, metadata));
    if (hit) return hit.ts;
    cursor = parsed.data.response_metadata?.next_cursor || undefined;
    if (!parsed.data.has_more || !cursor) return null;
  }
  throw new Error(`more than ${MAX_PAGES * 100} messages in the channel since the ${what} was started; not searched further`);
}
