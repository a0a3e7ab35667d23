/** What the Slack listeners need, injected so handlers are plain functions tested with fakes. */
import type { CommandContext, Reply } from '../../../commands/types.js';
import type { Source } from '../../source.js';
import type { PostQueue } from './post-queue.js';

/** `runCommandText` from commands/index.ts, or a fake in tests. */
export type RunCommand = (text: string, ctx: CommandContext) => Promise<Reply>;

export interface SlackLogger {
  debug(...msg: unknown[]): void;
  info(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
  error(...msg: unknown[]): void;
}

export interface SlackDeps {
  run: RunCommand;
  source: Source;
  queue: PostQueue;
  logger: SlackLogger;
  /** upload the phase/duration chart under each diagnosis (files:write) */
  charts: boolean;
  now: () => Date;
}
