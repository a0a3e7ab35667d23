/**
 * How alerts reach a chat: post a message (optionally in a thread), edit one, and post a Reply in a
 * thread. The Slack implementation goes through the per-channel PostQueue (about one message per
 * second per channel, 429s retried after Retry-After), using only chat.postMessage and chat.update,
 * so it works unchanged against the local console's fake Slack API.
 */
import type { webApi } from '@slack/bolt';
import type { Reply } from '../../commands/types.js';
import { toBlocks } from '../../templates/blocks/index.js';
import { splitForSlack } from '../../templates/blocks/split.js';
import type { SlackPayload } from '../../templates/blocks/types.js';
import { PostQueue } from '../surfaces/slack/post-queue.js';

export interface AlertPoster {
  /** returns the new message's ts */
  post(channel: string, payload: SlackPayload, threadTs?: string): Promise<string>;
  update(channel: string, ts: string, payload: SlackPayload): Promise<void>;
  /** a message to one person in a channel (refusals, conflicts) */
  ephemeral(channel: string, user: string, payload: SlackPayload, threadTs?: string): Promise<void>;
}

/** Posts a Reply as one or more messages in `threadTs` (overflow of splitForSlack follows in order). */
export async function postReply(poster: AlertPoster, channel: string, reply: Reply, threadTs: string): Promise<string> {
  let first: string | undefined;
  for (const part of splitForSlack(toBlocks(reply))) {
    const ts = await poster.post(channel, part, threadTs);
    first ??= ts;
  }
  return first!;
}

export function slackPoster(client: webApi.WebClient, queue: PostQueue = new PostQueue()): AlertPoster {
  return {
    async post(channel, payload, threadTs) {
      const [first, ...rest] = splitForSlack(payload);
      const res = await queue.enqueue(channel, () => client.chat.postMessage({ channel, text: first!.text, blocks: first!.blocks, ...(threadTs ? { thread_ts: threadTs } : {}) }));
      if (!res.ts) throw new Error('chat.postMessage returned no ts');
      for (const part of rest) {
        await queue.enqueue(channel, () => client.chat.postMessage({ channel, text: part.text, blocks: part.blocks, thread_ts: threadTs ?? res.ts! }));
      }
      return res.ts;
    },
    async update(channel, ts, payload) {
      const [first] = splitForSlack(payload);
      await queue.enqueue(channel, () => client.chat.update({ channel, ts, text: first!.text, blocks: first!.blocks }));
    },
    async ephemeral(channel, user, payload, threadTs) {
      const [first] = splitForSlack(payload);
      await queue.enqueue(channel, () => client.chat.postEphemeral({ channel, user, text: first!.text, blocks: first!.blocks, ...(threadTs ? { thread_ts: threadTs } : {}) }));
    },
  };
}
