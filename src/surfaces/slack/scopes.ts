/**
 * The bot scopes this code uses, and nothing else; manifest.yml and manifest.socket-mode.yml must
 * declare exactly these (test/surfaces/slack/manifest.test.ts).
 * - commands: the /dlt slash command
 * - chat:write: chat.postMessage, chat.update, chat.delete of the bot's own messages
 * - chat:write.public: post in public channels the bot was not invited to
 * - files:write: files.uploadV2 of the diagnosis chart
 * - channels:join: conversations.join of a public channel the bot is not in, when sharing a chart
 *   there answers not_in_channel (channel-join.ts; chat:write.public covers messages, not files)
 * - channels:history, groups:history: conversations.history of a public / private channel, read
 *   at start for a digest interrupted by a crash, to find its message (by its metadata) instead of
 *   posting it twice (src/schedule/digest-post.ts); and conversations.history / .replies of the one
 *   message a fix was applied from, to mark it applied in place (listeners/alerts.ts)
 */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'chat:write.public', 'files:write', 'channels:join', 'channels:history', 'groups:history'] as const;

/** The slash commands the app registers (listeners/commands.ts). */
export const SLACK_COMMANDS = ['/dlt'] as const;
