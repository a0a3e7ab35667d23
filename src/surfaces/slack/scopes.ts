/**
 * The bot scopes this code uses, and nothing else; manifest.yml and manifest.socket-mode.yml must
 * declare exactly these (test/surfaces/slack/manifest.test.ts).
 * - commands: the /dlt slash command
 * - chat:write: chat.postMessage, chat.update, chat.delete of the bot's own messages
 * - chat:write.public: post in public channels the bot was not invited to
 * - files:write: files.uploadV2 of the diagnosis chart
 */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'chat:write.public', 'files:write'] as const;

/** The slash commands the app registers (listeners/commands.ts). */
export const SLACK_COMMANDS = ['/dlt'] as const;
