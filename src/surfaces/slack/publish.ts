/**
 * Posts a Reply: the first message in place of a placeholder (chat.update) or as a new message,
 * the overflow of splitForSlack as thread replies, and the chart under a diagnosis or a digest.
 */
import type { webApi } from '@slack/bolt';
import type { Reply } from '../../../commands/types.js';
import { toBlocks } from '../../../templates/blocks/index.js';
import { splitForSlack } from '../../../templates/blocks/split.js';
import { context, mention } from '../../../templates/blocks/format.js';
import type { SlackPayload } from '../../../templates/blocks/types.js';
import type { SlackDeps } from './deps.js';
import { uploadChart, uploadDigestChart } from './chart.js';
import { NotInChannelError, renderInviteHint } from './channel-join.js';

import { describeError } from './reply-errors.js';

export type WebClient = webApi.WebClient;

export interface Where {
  channel: string;
  /** replace this message (the placeholder, or the message a button sits on) */
  ts?: string;
  /** thread the message belongs to, when it is itself a reply */
  threadTs?: string;
  /** the user whose command this answers: the reply keeps the placeholder's "Asked by" line */
  askedBy?: string;
}

export async function postPayload(client: WebClient, deps: SlackDeps, channel: string, payload: SlackPayload, threadTs?: string): Promise<string | undefined> {
  const res = await deps.queue.enqueue(channel, () =>
    client.chat.postMessage({ channel, text: payload.text, blocks: payload.blocks, ...(threadTs ? { thread_ts: threadTs } : {}) }),
  );
  return res.ts;
}

/** Replaces message `ts`; never skipped, and supersedes a progress update of `ts` still queued. */
export async function updatePayload(client: WebClient, deps: SlackDeps, channel: string, ts: string, payload: SlackPayload): Promise<void> {
  await deps.queue.enqueue(channel, () => client.chat.update({ channel, ts, text: payload.text, blocks: payload.blocks }), ts);
}

/**
 * A progress update of message `ts`: skipped when a newer update of `ts` (progress or final) is
 * queued before it is sent, so a busy channel spends its one-post-per-second on the latest state.
 */
export async function updateProgress(client: WebClient, deps: SlackDeps, channel: string, ts: string, payload: SlackPayload): Promise<void> {
  await deps.queue.enqueueLatest(channel, ts, () => client.chat.update({ channel, ts, text: payload.text, blocks: payload.blocks }));
}

/** Publishes `payload` (already rendered); returns the ts of the first message. */
export async function publishPayload(client: WebClient, deps: SlackDeps, payload: SlackPayload, where: Where): Promise<string | undefined> {
  const [first, ...rest] = splitForSlack(payload);
  let ts = where.ts;
  if (ts) await updatePayload(client, deps, where.channel, ts, first!);
  else ts = await postPayload(client, deps, where.channel, first!, where.threadTs);
  const root = where.threadTs ?? ts;
  for (const part of rest) await postPayload(client, deps, where.channel, part, root);
  return ts;
}

export async function publishReply(client: WebClient, deps: SlackDeps, reply: Reply, where: Where): Promise<string | undefined> {
  const payload = toBlocks(reply);
  if (where.askedBy) payload.blocks = [...payload.blocks, context(`Asked by ${mention(where.askedBy)}`)];
  const ts = await publishPayload(client, deps, payload, where);
  if (reply.kind === 'diagnosis' && deps.charts && reply.durations.length + Object.keys(reply.diagnosis.update.phases_s).length > 0) {
    try {
      await deps.queue.enqueue(where.channel, () => uploadChart(client, reply, { channel: where.channel, threadTs: where.threadTs ?? ts }));
    } catch (err) {
      // the chart is a bonus: the diagnosis is already posted
      await chartFailed(client, deps, where, ts, err);
    }
  }
  if ((reply.kind === 'digest' || reply.kind === 'cost') && deps.charts && ts) {
    // daily spend of the top pipelines, in the reply's thread (nothing when there is nothing to draw)
    await deps.queue.enqueue(where.channel, () => uploadDigestChart(client, reply, { channel: where.channel, threadTs: where.threadTs ?? ts })).catch((err: unknown) => chartFailed(client, deps, where, ts, err));
  }
  return ts;
}

/** A chart that could not be shared: the invite hint in the reply's thread when the bot is not in the channel, else a log line. */
async function chartFailed(client: WebClient, deps: SlackDeps, where: Where, ts: string | undefined, err: unknown): Promise<void> {
  deps.logger.warn(`chart upload failed: ${describeError(err)}`);
  if (!(err instanceof NotInChannelError)) return;
  await postPayload(client, deps, where.channel, renderInviteHint(err), where.threadTs ?? ts).catch((e: unknown) => deps.logger.warn(`invite hint not posted: ${describeError(e)}`));
}
