/** What the Teams surface needs, injected so the bot is tested with fakes and the real command layer alike. */
import type { CommandContext, Reply } from '../../../commands/types.js';

/** `runCommandText` from commands/index.ts, or a fake in tests. */
export type RunCommand = (text: string, ctx: CommandContext) => Promise<Reply>;

export interface TeamsLogger {
  debug(...msg: unknown[]): void;
  info(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
  error(...msg: unknown[]): void;
}

export const consoleTeamsLogger: TeamsLogger = {
  debug: () => undefined,
  info: (...m) => console.info('[teams]', ...m),
  warn: (...m) => console.warn('[teams]', ...m),
  error: (...m) => console.error('[teams]', ...m),
};
