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
import type { SlackInstallationRef } from '../store/slack-installations.js';
import { explainSlackAuthError, singleTokenClients, type SlackClients } from '../surfaces/slack/installation-clients.js';
import { PostQueue } from '../surfaces/slack/post-queue.js';
import { findMessageByMetadata, type MessageMetadata } from '../surfaces/slack/message-metadata.js';

/**
 * `install`: the Slack installation the message belongs to (the row's); in OAuth mode its bot token
 * posts it (src/surfaces/slack/installation-clients.ts). Ignored with a single token and in Teams.
 */
type Install = SlackInstallationRef | null | undefined;

export interface AlertPoster {
  /** returns the new message's ts; `metadata` goes on its first message (Slack message metadata) */
  post(channel: string, payload: SlackPayload, threadTs?: string, install?: Install, metadata?: MessageMetadata): Promise<string>;
  /** the ts of the top-level message with this metadata posted since `since`; throws when the history cannot be read */
  find?(channel: string, metadata: MessageMetadata, since: Date, install?: Install): Promise<string | null>;
  update(channel: string, ts: string, payload: SlackPayload, install?: Install): Promise<void>;
  /** a message to one person in a channel (refusals, conflicts) */
  ephemeral(channel: string, user: string, payload: SlackPayload, threadTs?: string, install?: Install): Promise<void>;
}

/** Posts a Reply as one or more messages in `threadTs` (overflow of splitForSlack follows in order). */
export async function postReply(poster: AlertPoster, channel: string, reply: Reply, threadTs: string, install?: Install): Promise<string> {
  let first: string | undefined;
  for (const part of splitForSlack(toBlocks(reply))) {
    const ts = await poster.post(channel, part, threadTs, install);
    first ??= ts;
  }
  return first!;
}

export const ALERT_EVENT_TYPE = 'dlt_doctor_alert';
/** the metadata of an alert parent: its dedupe key (pipeline:update:kind), unique per channel */
export const alertMetadata = (dedupeKey: string): MessageMetadata => ({ event_type: ALERT_EVENT_TYPE, event_payload: { dedupe_key: dedupeKey } });

const isClients = (c: webApi.WebClient | SlackClients): c is SlackClients => typeof (c as SlackClients).clientFor === 'function';

/** Over one WebClient (single token, the console) or per-installation clients (OAuth). */
export function slackPoster(clients: webApi.WebClient | SlackClients, queue: PostQueue = new PostQueue()): AlertPoster {
  const resolver = isClients(clients) ? clients : singleTokenClients(clients);
  /** one Web API call with the installation's client; a refused token becomes an actionable error */
  async function call<T>(channel: string, install: Install, f: (client: webApi.WebClient) => Promise<T>): Promise<T> {
    const client = await resolver.clientFor(install);
    try {
      return await queue.enqueue(channel, () => f(client));
    } catch (err) {
      throw explainSlackAuthError(err, install);
    }
  }
  return {
    async post(channel, payload, threadTs, install, metadata) {
      const [first, ...rest] = splitForSlack(payload);
      const res = await call(channel, install, (c) => c.chat.postMessage({ channel, text: first!.text, blocks: first!.blocks, ...(threadTs ? { thread_ts: threadTs } : {}), ...(metadata ? { metadata } : {}) }));
      if (!res.ts) throw new Error('chat.postMessage returned no ts');
      for (const part of rest) {
        await call(channel, install, (c) => c.chat.postMessage({ channel, text: part.text, blocks: part.blocks, thread_ts: threadTs ?? res.ts! }));
      }
      return res.ts;
    },
    async find(channel, metadata, since, install) {
      const client = await resolver.clientFor(install);
      try {
        return await findMessageByMetadata(client, channel, metadata, since, 'alert');
      } catch (err) {
        throw explainSlackAuthError(err, install);
      }
    },
    async update(channel, ts, payload, install) {
      const [first] = splitForSlack(payload);
      await call(channel, install, (c) => c.chat.update({ channel, ts, text: first!.text, blocks: first!.blocks }));
    },
    async ephemeral(channel, user, payload, threadTs, install) {
      const [first] = splitForSlack(payload);
      await call(channel, install, (c) => c.chat.postEphemeral({ channel, user, text: first!.text, blocks: first!.blocks, ...(threadTs ? { thread_ts: threadTs } : {}) }));
    },
  };
}

/**
 * What the alert poller posts, surface-neutral: each surface renders it its own way. Message ids
 * are Slack ts values or Teams activity ids; `channel` is a Slack channel or a Teams conversation id.
 */
export interface AlertThreads {
  /**
   * the incident's parent message; returns its id (the thread root). `install`: the watch's Slack
   * installation; `dedupeKey`: carried in the message (Slack metadata) so findParent can find it
   */
  postParent(channel: string, parent: AlertParent, install?: Install, dedupeKey?: string): Promise<string>;
  /**
   * The parent posted for this dedupe key since `since` (a post a crash interrupted), or null.
   * Absent where the chat cannot be read back cheaply (Teams): there a crash mid-post may post the
   * parent twice (at-least-once). Throws when the history cannot be read.
   */
  findParent?(channel: string, dedupeKey: string, since: Date, install?: Install): Promise<string | null>;
  /** edits the parent in place (recovered, muted, fix applied) */
  updateParent(channel: string, parentId: string, parent: AlertParent, install?: Install): Promise<void>;
  /** a Reply (the diagnosis) in the parent's thread */
  postReply(channel: string, reply: Reply, threadId: string, install?: Install): Promise<void>;
  /** the "did it help" follow-up after an apply, in `threadId` when known */
  postDidItHelp(channel: string, result: DidItHelp, threadId: string | null, install?: Install): Promise<void>;
}

/** AlertThreads over a Block Kit AlertPoster (Slack, the console). */
export function slackAlertThreads(poster: AlertPoster): AlertThreads {
  return {
    postParent: (channel, parent, install, dedupeKey) => poster.post(channel, renderAlertParent(parent), undefined, install, dedupeKey ? alertMetadata(dedupeKey) : undefined),
    ...(poster.find ? { findParent: (channel: string, dedupeKey: string, since: Date, install?: Install) => poster.find!(channel, alertMetadata(dedupeKey), since, install) } : {}),
    updateParent: (channel, ts, parent, install) => poster.update(channel, ts, renderAlertParent(parent), install),
    postReply: async (channel, reply, threadTs, install) => {
      await postReply(poster, channel, reply, threadTs, install);
    },
    postDidItHelp: async (channel, result, threadTs, install) => {
      await poster.post(channel, renderDidItHelp(result), threadTs ?? undefined, install);
    },
  };
}
