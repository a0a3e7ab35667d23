/**
 * Files in channels the bot is not a member of. chat:write.public lets the bot post messages in any
 * public channel, but a file share (files.completeUploadExternal, inside files.uploadV2) answers
 * `not_in_channel` there. The bot then joins the channel once (conversations.join, bot scope
 * channels:join: https://docs.slack.dev/reference/methods/conversations.join) and uploads again.
 * conversations.join cannot join a private channel (`method_not_supported_for_channel_type`), an
 * archived one (`is_archived`), or without the scope (`missing_scope`, an install older than the
 * scope); a private channel the bot cannot see answers `channel_not_found`. Those end in a
 * `NotInChannelError`, whose hint (invite the bot) the caller shows instead of a stack trace.
 */
import type { webApi } from '@slack/bolt';
import { context, esc, fallbackText, section } from '../../../templates/blocks/format.js';
import type { SlackPayload } from '../../../templates/blocks/types.js';

export type JoinClient = Partial<Pick<webApi.WebClient, 'conversations'>>;

/** The bot could not be made a member of `channel`; `reason` is Slack's error code. */
export class NotInChannelError extends Error {
  constructor(
    readonly channel: string,
    readonly reason: string,
  ) {
    super(`not a member of ${channel} (${reason})`);
    this.name = 'NotInChannelError';
  }
}

/** Slack's error code of a failed Web API call (WebAPIPlatformError.data.error), or null. */
export function slackErrorCode(err: unknown): string | null {
  const data = (err as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : null;
}

/** Slack's answers that mean "the bot is not in this channel". */
const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found']);

/**
 * Runs `upload`; on `not_in_channel` joins the channel and runs it once more. A channel the bot
 * cannot join (or see) is a NotInChannelError. Without a `conversations` client (a test double, a
 * surface without it) the first error stays as it is.
 */
export async function uploadJoiningChannel<T>(client: JoinClient, channel: string, upload: () => Promise<T>): Promise<T> {
  try {
    return await upload();
  } catch (err) {
    const code = slackErrorCode(err);
    if (!code || !NOT_A_MEMBER.has(code)) throw err;
    // a private channel the bot cannot see: joining cannot help
    if (code === 'channel_not_found' || !client.conversations) throw new NotInChannelError(channel, code);
  }
  try {
    await client.conversations.join({ channel });
  } catch (err) {
    throw new NotInChannelError(channel, slackErrorCode(err) ?? 'join_failed');
  }
  try {
    return await upload();
  } catch (err) {
    const code = slackErrorCode(err);
    if (code && NOT_A_MEMBER.has(code)) throw new NotInChannelError(channel, code);
    throw err;
  }
}

/** What to tell the channel when the chart (or, `lead`, something else) could not be posted there. */
export function renderInviteHint(err: NotInChannelError, lead = 'The chart could not be posted'): SlackPayload {
  const why =
    err.reason === 'missing_scope'
      ? 'I am not a member of this channel and this installation may not join channels (the channels:join scope came with a newer version of the app: reinstall it).'
      : err.reason === 'method_not_supported_for_channel_type' || err.reason === 'channel_not_found'
        ? 'I am not a member of this private channel, and only an invitation lets me in.'
        : err.reason === 'not_in_channel'
          ? 'I am not a member of this channel.'
          : 'I am not a member of this channel and could not join it.';
  const text = `${lead}: ${why} Invite me with \`/invite @dlt-doctor\` and run the command again.`;
  return {
    text: fallbackText(text),
    blocks: [section(`:information_source: ${esc(text)}`), context(`Slack answered \`${esc(err.reason)}\`.`)],
  };
}
