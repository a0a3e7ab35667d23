/**
 * Idempotent digest posting for Slack and the local console (whose fake Slack Web API speaks the
 * same methods). The first message of a digest carries Slack message metadata
 *   { event_type: 'dlt_doctor_digest', event_payload: { subscription_id, period_key } }
 * (https://docs.slack.dev/messaging/message-metadata/); the rest of it follows as thread replies.
 * When a run is found 'recorded' at start (the process died between posting and saving 'posted'),
 * the scheduler asks `findSlackDigest` first: it reads the channel's history since the run was
 * recorded (minus a minute) and returns the ts of a message with that metadata, so the digest is
 * marked posted instead of being posted twice. Only recovered runs pay that read.
 *
 * Reading history needs `channels:history` / `groups:history` and, for a bot token, membership of
 * the channel; when the read fails (an install from before those scopes, not_in_channel) this
 * throws and the scheduler posts again (at-least-once), saying so in the log.
 */
import type { webApi } from '@slack/bolt';
import { splitForSlack } from '../../templates/blocks/split.js';
import type { SlackPayload } from '../../templates/blocks/types.js';
import type { PostQueue } from '../surfaces/slack/post-queue.js';
import type { Reply } from '../../commands/types.js';
import { toBlocks } from '../../templates/blocks/index.js';
import type { Subscription } from '../store/subscriptions.js';
import { explainSlackAuthError, type SlackClients } from '../surfaces/slack/installation-clients.js';
import { findMessageByMetadata } from '../surfaces/slack/message-metadata.js';

export const DIGEST_EVENT_TYPE = 'dlt_doctor_digest';

export interface DigestMetadata {
  event_type: typeof DIGEST_EVENT_TYPE;
  event_payload: { subscription_id: number; period_key: string };
}

export function digestMetadata(subscriptionId: number, periodKey: string): DigestMetadata {
  return { event_type: DIGEST_EVENT_TYPE, event_payload: { subscription_id: subscriptionId, period_key: periodKey } };
}

/** Posts a digest: the first message with `metadata`, the overflow in its thread. Returns the first message's ts. */
export async function postSlackDigest(client: webApi.WebClient, queue: PostQueue, channel: string, payload: SlackPayload, metadata: DigestMetadata): Promise<string> {
  const [first, ...rest] = splitForSlack(payload);
  const res = await queue.enqueue(channel, () => client.chat.postMessage({ channel, text: first!.text, blocks: first!.blocks, metadata }));
  if (!res.ts) throw new Error('chat.postMessage returned no ts');
  for (const part of rest) {
    await queue.enqueue(channel, () => client.chat.postMessage({ channel, text: part.text, blocks: part.blocks, thread_ts: res.ts! }));
  }
  return res.ts;
}

/**
 * The ts of the digest message with this metadata posted in `channel` since `since`, or null when
 * there is none. Throws when the history cannot be read (missing scope, not in channel, too long).
 */
export function findSlackDigest(client: webApi.WebClient, channel: string, metadata: DigestMetadata, since: Date): Promise<string | null> {
  return findMessageByMetadata(client, channel, metadata, since, 'digest');
}

export interface SlackDigestDeliveryOptions {
  /** single token, or per installation (OAuth): each subscription posts with the token of the installation it recorded */
  clients: SlackClients;
  queue: PostQueue;
  /** the daily-spend chart in the digest's thread (uploadDigestChart); absent: no chart */
  uploadChart?: (client: webApi.WebClient, reply: Reply, where: { channel: string; threadTs: string }) => Promise<unknown>;
  logger: { warn(message: string): void };
}

/**
 * The scheduler's `post` and `findPosted` for Slack (and the console): the subscription's
 * installation's client (installation-clients.ts) posts the digest, reads the history for a
 * recovered run and uploads the chart. No token for it (uninstalled): the run stays 'recorded', so
 * the next start posts it, and the scheduler logs the actionable reason.
 */
export function slackDigestDelivery(o: SlackDigestDeliveryOptions) {
  return {
    async post(sub: Subscription, reply: Reply, meta: { periodKey: string }): Promise<{ ts: string }> {
      const client = await o.clients.clientFor(sub.slack);
      let ts: string;
      try {
        // the first message carries { subscription, period } metadata: a restart finds it (findPosted) instead of posting twice
        ts = await postSlackDigest(client, o.queue, sub.channel, toBlocks(reply), digestMetadata(sub.id, meta.periodKey));
      } catch (err) {
        throw explainSlackAuthError(err, sub.slack);
      }
      if (o.uploadChart) {
        // a bonus: the digest is already posted
        const upload = o.uploadChart;
        await o.queue
          .enqueue(sub.channel, () => upload(client, reply, { channel: sub.channel, threadTs: ts }))
          .catch((err: unknown) => o.logger.warn(`digest chart upload failed: ${err instanceof Error ? err.message : String(err)}`));
      }
      return { ts };
    },
    async findPosted(sub: Subscription, periodKey: string, since: Date): Promise<{ ts: string } | null> {
      const client = await o.clients.clientFor(sub.slack);
      const ts = await findSlackDigest(client, sub.channel, digestMetadata(sub.id, periodKey), since).catch((err: unknown) => {
        throw explainSlackAuthError(err, sub.slack);
      });
      return ts ? { ts } : null;
    },
  };
}
