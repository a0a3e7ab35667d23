/**
 * How alerts reach a chat: post a message (optionally in a thread), edit one, and post a Reply in a
 * thread. The Slack implementation goes through the per-channel PostQueue (about one message per
 * second per channel, 429s retried after Retry-After), using only chat.postMessage and chat.update,
 * so it works unchanged against the local console's fake Slack API.
 *
 * The poller speaks `AlertThreads` (alert data and Replies, no platform payloads): `slackAlertThreads`
 * renders Block Kit over an AlertPoster, `teamsAlertThreads` (teams-alert-poster.ts) Adaptive Cards.
 */
import type { webApi } from '@slack/bolt';
import type { Reply } from '../../commands/types.js';
import { renderAlertParent, renderDidItHelp, type AlertParent, type DidItHelp } from '../../templates/blocks/alerts.js';
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

/**
 * What the alert poller posts, surface-neutral: each surface renders it its own way. Message ids
 * are Slack ts values or Teams activity ids; `channel` is a Slack channel or a Teams conversation id.
 */
export interface AlertThreads {
  /** the incident's parent message; returns its id (the thread root) */
  postParent(channel: string, parent: AlertParent): Promise<string>;
  /** edits the parent in place (recovered, muted, fix applied) */
  updateParent(channel: string, parentId: string, parent: AlertParent): Promise<void>;
  /** a Reply (the diagnosis) in the parent's thread */
  postReply(channel: string, reply: Reply, threadId: string): Promise<void>;
  /** the "did it help" follow-up after an apply, in `threadId` when known */
  postDidItHelp(channel: string, result: DidItHelp, threadId: string | null): Promise<void>;
}

/** AlertThreads over a Block Kit AlertPoster (Slack, the console). */
export function slackAlertThreads(poster: AlertPoster): AlertThreads {
  return {
    postParent: (channel, parent) => poster.post(channel, renderAlertParent(parent)),
    updateParent: (channel, ts, parent) => poster.update(channel, ts, renderAlertParent(parent)),
    postReply: async (channel, reply, threadTs) => {
      await postReply(poster, channel, reply, threadTs);
    },
    postDidItHelp: async (channel, result, threadTs) => {
      await poster.post(channel, renderDidItHelp(result), threadTs ?? undefined);
    },
  };
}
