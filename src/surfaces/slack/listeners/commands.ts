/**
 * The /dlt slash command. Slack wants the HTTP 200 within 3 s, so we ack() before anything else
 * (https://docs.slack.dev/interactivity/implementing-slash-commands#responding_to_commands).
 * Help, usage errors and unknown pipelines answer the asker alone (ephemeral). Work commands post
 * an in-channel placeholder at once, update it as progress arrives and finally replace it with the
 * result; overflow goes into its thread.
 */
import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { CommandContext, Reply } from '../../../../commands/types.js';
import { toBlocks } from '../../../../templates/blocks/index.js';
import { esc, fallbackText, mention, section } from '../../../../templates/blocks/format.js';
import { renderProgress, type ProgressStep } from '../../../../templates/blocks/progress.js';
import { splitForSlack } from '../../../../templates/blocks/split.js';
import { slackInstallationOf } from '../../../store/slack-installations.js';
import type { SlackDeps } from '../deps.js';
import { SLACK_COMMANDS } from '../scopes.js';
import { NotInChannelError, renderInviteHint, slackErrorCode } from '../channel-join.js';
import { postPayload, publishReply, updatePayload, updateProgress, type WebClient } from '../publish.js';
import { describeError, errorReplyFrom, USER_ERROR_CODES } from '../reply-errors.js';
import { redactingRespond } from '../redact.js';
import { parseArgs, tokenize } from '../../../../commands/parse.js';
import { DoctorError } from '../../../errors.js';

/** Subcommands that do real work (Databricks calls) and so get an in-channel progress message. */
export const WORK_COMMANDS = new Set(['why-slow', 'compare', 'size', 'pipelines', 'cost']);
/** work commands whose first positional is a pipeline */
const PIPELINE_FIRST = new Set(['why-slow', 'compare', 'size']);

/**
 * True when the command names a pipeline the source does not have: then nothing is posted in the
 * channel (a typo gets its private "did you mean", never a public "Diagnosing order_silvr…").
 * Any other outcome (found, unparsable, an outage) leaves it to the command.
 */
async function namesUnknownPipeline(deps: SlackDeps, name: string, text: string): Promise<boolean> {
  if (!PIPELINE_FIRST.has(name)) return false;
  const tokens = tokenize(text);
  if (!tokens.ok) return false;
  const args = parseArgs(tokens.value.slice(1));
  const ref = args.ok ? args.value._[0] : undefined;
  if (!ref) return false;
  try {
    await deps.source.resolvePipeline(ref);
    return false;
  } catch (err) {
    return err instanceof DoctorError && err.code === 'PIPELINE_NOT_FOUND';
  }
}

export interface CommandArgs {
  command: Pick<SlashCommand, 'text' | 'channel_id' | 'user_id'>;
  ack: () => Promise<void>;
  respond: RespondFn;
  client: WebClient;
  /** Bolt's listener context: the installation the command came from (teamId, enterpriseId, isEnterpriseInstall) */
  context?: unknown;
}

export function parseHead(text: string): { name: string; subject: string | null } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const name = (words[0] ?? 'help').toLowerCase();
  const subject = words.slice(1).find((w) => !w.startsWith('--')) ?? null;
  return { name, subject };
}

async function runSafely(deps: SlackDeps, text: string, ctx: CommandContext): Promise<Reply> {
  try {
    return await deps.run(text, ctx);
  } catch (err) {
    deps.logger.error(`/dlt ${text} failed: ${describeError(err)}`, err instanceof Error ? err.stack : undefined);
    return errorReplyFrom(err);
  }
}

async function respondEphemeral(respond: RespondFn, reply: Reply): Promise<void> {
  // a response_url takes up to 5 posts; help and errors fit in one or two
  for (const part of splitForSlack(toBlocks(reply)).slice(0, 5)) {
    await respond({ response_type: 'ephemeral', text: part.text, blocks: part.blocks });
  }
}

export async function handleDltCommand(args: CommandArgs, deps: SlackDeps): Promise<void> {
  await args.ack();
  // let the event loop answer the other requests already waiting before this one's work (the
  // placeholder post, the command): under a burst their acks would otherwise queue behind it
  await new Promise<void>((resolve) => setImmediate(resolve));
  const { command, respond, client } = args;
  const text = command.text.trim() || 'help';
  const channel = command.channel_id;
  const { name, subject } = parseHead(text);
  const base = { source: deps.source, surface: 'slack' as const, channelId: channel, userId: command.user_id, slackInstallation: slackInstallationOf(args.context), now: deps.now };

  if (!WORK_COMMANDS.has(name) || (await namesUnknownPipeline(deps, name, text))) {
    const reply = await runSafely(deps, text, base);
    await respondEphemeral(respond, reply);
    // a change to the channel (a digest subscribed or stopped) is said to the whole channel too
    if (reply.kind === 'text' && reply.announce) {
      const who = reply.announce.by ? mention(reply.announce.by) : 'Someone';
      await respond({ response_type: 'in_channel', text: `${who} ${fallbackText(reply.announce.text)}`, blocks: [section(`${who} ${esc(reply.announce.text)}`)] });
    }
    return;
  }

  let placeholder: string | undefined;
  /** the bot is not in this (private) channel: Slack's code, for the invite hint */
  let notMember: string | null = null;
  try {
    placeholder = await postPayload(client, deps, channel, renderProgress(name, subject, 'started', command.user_id));
  } catch (err) {
    // e.g. not_in_channel / channel_not_found in a private channel: answer through the response_url instead
    deps.logger.warn(`cannot post in ${channel}: ${describeError(err)}`);
    const code = slackErrorCode(err);
    if (code === 'not_in_channel' || code === 'channel_not_found') notMember = code;
  }

  // queued at once (the channel queue keeps them in order); a newer update of the placeholder,
  // progress or the final one, makes the queue skip an older one not yet sent
  let progress: Promise<void> = Promise.resolve();
  const onProgress = (step: ProgressStep) => {
    if (!placeholder) return;
    progress = updateProgress(client, deps, channel, placeholder, renderProgress(name, subject, step, command.user_id))
      .catch((err) => deps.logger.warn(`progress update failed: ${describeError(err)}`));
  };

  const reply = await runSafely(deps, text, { ...base, onProgress });

  if (reply.kind === 'error' && USER_ERROR_CODES.has(reply.code)) {
    await progress;
    if (placeholder) await client.chat.delete({ channel, ts: placeholder }).catch((err) => deps.logger.warn(`delete failed: ${describeError(err)}`));
    await respondEphemeral(respond, reply);
    return;
  }

  if (!placeholder) {
    // a response_url takes 5 posts: the reply's first four parts, then the hint
    for (const part of splitForSlack(toBlocks(reply)).slice(0, notMember ? 4 : 5)) await respond({ response_type: 'in_channel', text: part.text, blocks: part.blocks });
    if (notMember) {
      const hint = renderInviteHint(new NotInChannelError(channel, notMember), 'Charts and threads are missing here');
      await respond({ response_type: 'ephemeral', text: hint.text, blocks: hint.blocks });
    }
    return;
  }
  try {
    await publishReply(client, deps, reply, { channel, ts: placeholder, askedBy: command.user_id });
  } catch (err) {
    deps.logger.error(`posting the reply to /dlt ${text} failed: ${describeError(err)}`);
    await updatePayload(client, deps, channel, placeholder, toBlocks(errorReplyFrom(err))).catch(() => undefined);
  }
}

export function registerCommands(app: App, deps: SlackDeps): void {
  app.command(SLACK_COMMANDS[0], async ({ command, ack, respond, client, context }) => {
    await handleDltCommand({ command, ack: () => ack(), respond: redactingRespond(respond), client, context }, deps);
  });
}
